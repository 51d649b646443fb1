"""Import merchants and terminals from XLSX or CSV: preview every row, then write the valid ones.

Both steps run each row through the real services (create_merchant, update_merchant,
create_terminal, update_terminal, bind_terminal), batch by batch, each row inside a SAVEPOINT: a
row fails in the preview exactly when it would fail in the import. The preview rolls every batch
back; the import commits each batch of about 500 rows and writes the rows that failed to an error
file beside the source, which can be fixed and imported again as it is.
"""

from __future__ import annotations

import csv
import io
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError as SchemaError
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import SQLModel, col, select

from app.context import Context
from app.errors import AppError, PermissionDenied, ValidationError
from app.i18n import _
from app.models.catalogue import Acquirer, DeviceModel
from app.models.imports import ImportKind, ImportPreview, ImportResult, ImportRow, RowAction
from app.models.merchant import Merchant, MerchantCreate, MerchantUpdate
from app.models.terminal import Terminal, TerminalCreate, TerminalUpdate
from app.rules import tabular
from app.rules.permissions import Action
from app.rules.tabular import ERROR_HEADER, KEY_FIELDS, HeaderMatch, ParsedRow, ValueKind
from app.rules.validation import FormatError, compact, normalize, validate_merchant_no
from app.services import merchants as merchant_service
from app.services import terminals as terminal_service
from app.services.base import checked

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
T = TypeVar("T")

BATCH_SIZE = 500
PROGRESS_EVERY = 50
HEADER_SEARCH_ROWS = 10  # a title row or two may sit above the headers
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
# Record fields the services name in their errors, and the column that holds each.
FIELD_COLUMNS = {"model_id": "model", "acquirer_id": "acquirer"}


class ImportCancelled(AppError):
    """The person stopped reading the file before the preview was complete."""


class _RollBack(Exception):
    """Ends a preview batch: its unit of work rolls back."""


class _Stop(Exception):
    """The person cancelled the import; the running batch rolls back."""


# --- reading the file -----------------------------------------------------------------------------


@dataclass
class _Sheet:
    path: Path
    headers: list[str]
    match: HeaderMatch
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells as text)
    encoding: str


def _xlsx_rows(path: Path) -> list[tuple[Any, ...]]:
    import openpyxl  # only when an Excel file is read: it takes a while to import

    try:
        # data_only=False: a formula cell gives its formula text, nothing is evaluated.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - zip, XML and format errors all mean the same here
        raise AppError(
            _("{name} cannot be read as an Excel workbook ({reason}).").format(
                name=path.name, reason=type(exc).__name__
            )
        ) from exc
    try:
        sheet = workbook.active or workbook.worksheets[0]
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(path: Path) -> tuple[list[tuple[Any, ...]], str]:
    try:
        text, encoding = tabular.decode_text(path.read_bytes())
    except FormatError as exc:
        raise AppError(f"{path.name}: {exc.reason}") from exc
    try:
        rows = [
            tuple(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        ]
    except csv.Error as exc:
        raise AppError(
            _("{name} is not a readable CSV file ({reason}).").format(name=path.name, reason=exc)
        ) from exc
    return rows, encoding


def _key_header(kind: ImportKind) -> str:
    column = tabular.column_for_field(kind, KEY_FIELDS[kind])
    assert column is not None
    return column.header()


def _read_sheet(kind: ImportKind, path: Path) -> _Sheet:
    if not path.is_file():
        raise AppError(_("The file {path} does not exist.").format(path=path))
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        raw, encoding = _xlsx_rows(path), "XLSX"
    elif suffix in CSV_SUFFIXES:
        raw, encoding = _csv_rows(path)
    elif suffix == ".xls":
        raise AppError(
            _(
                "{name} is an Excel 97-2003 workbook; save it in Excel as .xlsx or CSV "
                "and import that."
            ).format(name=path.name)
        )
    else:
        raise AppError(
            _("Import reads .xlsx and .csv files; {name} is neither.").format(name=path.name)
        )
    key = KEY_FIELDS[kind]
    for index, candidate in enumerate(raw[:HEADER_SEARCH_ROWS]):
        headers = [normalize(tabular.cell_text(v)) for v in candidate]
        match = tabular.match_headers(kind, headers)
        if key in match.fields:
            break
    else:
        raise AppError(
            _("{name} has no {column} column; the table must start with its row of column headers.").format(
                name=path.name, column=_key_header(kind)
            )
        )
    kinds = [ValueKind.TEXT] * len(headers)
    for name, position in match.fields.items():
        column = tabular.column_for_field(kind, name)
        if column is not None:
            kinds[position] = column.kind
    rows: list[tuple[int, list[str]]] = []
    for number, values in enumerate(raw[index + 1 :], start=index + 2):
        cells = [
            tabular.cell_text(values[i] if i < len(values) else None, kinds[i])
            for i in range(len(headers))
        ]
        if any(normalize(c) for c in cells):
            rows.append((number, cells))
    return _Sheet(path, headers, match, rows, encoding)


def _detect_kind(path: Path) -> ImportKind:
    """Terminals if the file has a serial no. column, else merchants."""
    try:
        _read_sheet(ImportKind.TERMINALS, path)
    except AppError:
        return ImportKind.MERCHANTS
    return ImportKind.TERMINALS


# --- planning: parse every row, find duplicates inside the file -----------------------------------


@dataclass
class _Row:
    number: int
    cells: list[str]
    key: str
    parsed: ParsedRow
    duplicate: bool = False


def _row_key(kind: ImportKind, parsed: ParsedRow) -> str:
    raw = str(parsed.values.get(KEY_FIELDS[kind], ""))
    if kind == ImportKind.TERMINALS:
        return compact(raw).upper()
    try:
        return validate_merchant_no(raw)
    except FormatError:
        return compact(raw)


def _plan(kind: ImportKind, sheet: _Sheet) -> list[_Row]:
    key_field = KEY_FIELDS[kind]
    first_seen: dict[str, int] = {}
    planned: list[_Row] = []
    for number, cells in sheet.rows:
        parsed = tabular.parse_row(kind, sheet.match, cells)
        row = _Row(number, cells, _row_key(kind, parsed), parsed)
        if row.key:
            first = first_seen.setdefault(row.key, number)
            if first != number:
                row.duplicate = True
                if kind == ImportKind.MERCHANTS:
                    reason = _("Merchant no. {no} appears again; the first is in row {row}.")
                    parsed.errors[key_field] = reason.format(no=row.key, row=first)
                else:
                    reason = _("Serial number {sn} appears again; the first is in row {row}.")
                    parsed.errors[key_field] = reason.format(sn=row.key, row=first)
        planned.append(row)
    return planned


def _messages(kind: ImportKind, match: HeaderMatch, errors: dict[str, str]) -> list[str]:
    """Each problem as "column: reason", the column named as the file names it."""
    out: list[str] = []
    order = {c.field: i for i, c in enumerate(tabular.columns_for(kind))}

    def position(name: str) -> int:
        return order.get(FIELD_COLUMNS.get(name, name), len(order))

    for name in sorted(errors, key=position):
        column_field = FIELD_COLUMNS.get(name, name)
        header = match.headers.get(column_field)
        if header is None:
            column = tabular.column_for_field(kind, column_field)
            header = column.header() if column else ""
        out.append(f"{header}: {errors[name]}" if header else errors[name])
    return out


# --- writing one row through the services ---------------------------------------------------------


def _schema(cls: type[SQLModel], data: dict[str, Any]) -> Any:
    """Build a Create/Update schema; its own checks (lengths, types) become field errors."""
    try:
        return cls.model_validate(data)
    except SchemaError as exc:
        fields: dict[str, str] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else ""
            if error["type"] == "string_too_long":
                limit = (error.get("ctx") or {}).get("max_length", "")
                reason = _("This is too long: at most {n} characters.").format(n=limit)
            elif error["type"] == "missing":
                reason = _("This column must be filled in.")
            else:
                reason = _("This value is not valid.")
            fields.setdefault(name, reason)
        raise ValidationError(fields) from exc


def _blame(name: str, call: Callable[[], T]) -> T:
    """Run a service; an error that is not about a field is reported on column `name`."""
    try:
        return call()
    except ValidationError:
        raise
    except AppError as exc:
        raise ValidationError.single(name, str(exc)) from exc


def _catalogue_key(text: str) -> str:
    return compact(text).casefold()


class _Catalogue:
    """Models and acquirers by the names people write (loaded into the batch's session)."""

    def __init__(self, ctx: Context) -> None:
        self.models: dict[tuple[str, str], uuid.UUID] = {}
        self.by_model: dict[str, list[uuid.UUID]] = {}
        for model in ctx.s.exec(select(DeviceModel)):
            key = _catalogue_key(model.model)
            self.models[(_catalogue_key(model.brand), key)] = model.id
            self.by_model.setdefault(key, []).append(model.id)
        self.acquirers = {_catalogue_key(a.name): a.id for a in ctx.s.exec(select(Acquirer))}

    def model(self, brand: str | None, model: str) -> uuid.UUID:
        if brand:
            found = self.models.get((_catalogue_key(brand), _catalogue_key(model)))
            if found is None:
                raise FormatError(
                    _("{brand} {model} is not in the model catalogue.").format(
                        brand=brand, model=model
                    )
                )
            return found
        candidates = self.by_model.get(_catalogue_key(model), [])
        if not candidates:
            raise FormatError(_("{model} is not in the model catalogue.").format(model=model))
        if len(candidates) > 1:
            raise FormatError(
                _("Several brands have a model {model}; fill in the brand.").format(model=model)
            )
        return candidates[0]

    def acquirer(self, name: str) -> uuid.UUID:
        found = self.acquirers.get(_catalogue_key(name))
        if found is None:
            raise FormatError(_("{name} is not in the list of acquirers.").format(name=name))
        return found


class _Batch:
    """One batch of rows applied inside one unit of work."""

    def __init__(self, ctx: Context, kind: ImportKind, rows: Sequence[_Row]) -> None:
        self.ctx = ctx
        self.kind = kind
        keys = sorted({r.key for r in rows if r.key})
        if kind == ImportKind.MERCHANTS:
            found = ctx.s.exec(select(Merchant).where(col(Merchant.merchant_no).in_(keys)))
            self.merchants = {m.merchant_no: m for m in found}
            return
        self.catalogue = _Catalogue(ctx)
        terminals = ctx.s.exec(select(Terminal).where(col(Terminal.serial_no).in_(keys)))
        self.terminals = {t.serial_no: t for t in terminals}
        holder_nos = set()
        for row in rows:
            holder = row.parsed.values.get("merchant_no")
            if holder:
                try:
                    holder_nos.add(validate_merchant_no(holder))
                except FormatError:
                    pass
        holders = ctx.s.exec(
            select(Merchant).where(col(Merchant.merchant_no).in_(sorted(holder_nos)))
        )
        self.merchants = {m.merchant_no: m for m in holders}

    def apply(self, row: _Row) -> RowAction:
        """Write the row; raises ValidationError naming every field that stops it."""
        if self.kind == ImportKind.MERCHANTS:
            return self._merchant(row)
        return self._terminal(row)

    def _merchant(self, row: _Row) -> RowAction:
        values = dict(row.parsed.values)
        current = self.merchants.get(row.key) if row.key else None
        if current is None:
            data = {"merchant_no": "", "legal_name": ""} | values
            merchant_service.create_merchant(self.ctx, _schema(MerchantCreate, data))
            return RowAction.NEW
        values.pop("merchant_no", None)
        patch = _schema(MerchantUpdate, values | {"expected_version": current.version})
        _blame("status", lambda: merchant_service.update_merchant(self.ctx, current.id, patch))
        return RowAction.UPDATE

    def _terminal(self, row: _Row) -> RowAction:
        values = dict(row.parsed.values)
        errors: dict[str, str] = {}
        brand, model = values.pop("brand", None), values.pop("model", None)
        acquirer, holder_no = values.pop("acquirer", None), values.pop("merchant_no", None)
        current = self.terminals.get(row.key) if row.key else None
        try:
            if model:
                values["model_id"] = self.catalogue.model(brand, model)
            elif current is None:
                raise FormatError(_("Please choose a model from the catalogue."))
        except FormatError as exc:
            errors["model"] = exc.reason
        if acquirer:
            try:
                values["acquirer_id"] = self.catalogue.acquirer(acquirer)
            except FormatError as exc:
                errors["acquirer"] = exc.reason
        holder: Merchant | None = None
        if holder_no:
            try:
                holder = self.merchants.get(validate_merchant_no(holder_no))
            except FormatError as exc:
                errors["merchant_no"] = exc.reason
            else:
                if holder is None:
                    errors["merchant_no"] = _(
                        "There is no merchant with merchant no. {no}."
                    ).format(no=holder_no)
        action = RowAction.NEW if current is None else RowAction.UPDATE
        terminal_id: uuid.UUID | None = None
        version, bound_to = 0, None
        try:
            if current is None:
                if "model_id" in values:
                    data = {"serial_no": ""} | values
                    created = terminal_service.create_terminal(
                        self.ctx, _schema(TerminalCreate, data)
                    )
                    terminal_id, version = created.id, created.version
            else:
                values.pop("serial_no", None)
                terminal_id, version, bound_to = current.id, current.version, current.merchant_id
                if values:
                    patch = _schema(TerminalUpdate, values | {"expected_version": version})
                    own_id = terminal_id
                    updated = _blame(
                        "serial_no",
                        lambda: terminal_service.update_terminal(self.ctx, own_id, patch),
                    )
                    version = updated.version
            if holder is not None and terminal_id is not None and bound_to != holder.id:
                if bound_to is not None:
                    errors["merchant_no"] = _(
                        "Terminal {sn} is bound to another merchant; unbind it first."
                    ).format(sn=row.key)
                else:
                    self._bind(terminal_id, holder.id, version, str(values.get("location") or ""))
        except ValidationError as exc:
            for name, reason in exc.fields.items():
                errors.setdefault(FIELD_COLUMNS.get(name, name), reason)
        if errors:
            raise ValidationError(errors)
        return action

    def _bind(
        self, terminal_id: uuid.UUID, merchant_id: uuid.UUID, version: int, location: str
    ) -> None:
        _blame(
            "merchant_no",
            lambda: terminal_service.bind_terminal(
                self.ctx, terminal_id, merchant_id, expected_version=version, location=location
            ),
        )


# --- running batches ------------------------------------------------------------------------------


@dataclass
class _Outcome:
    row: _Row
    action: RowAction
    errors: dict[str, str] = field(default_factory=dict)


class _Runner:
    """Applies rows batch by batch, reporting progress and watching for a cancel."""

    def __init__(
        self,
        ctx: Context,
        kind: ImportKind,
        total: int,
        progress: Progress | None,
        cancelled: Cancelled | None,
    ) -> None:
        self.ctx = ctx
        self.kind = kind
        self.total = total
        self.progress = progress
        self.cancelled = cancelled
        self.done = 0
        self.reported = -1

    def report(self, done: int, *, force: bool = False) -> None:
        if self.progress is None or done <= self.reported:
            return
        if force or done - self.reported >= PROGRESS_EVERY or done == self.total:
            self.reported = done
            self.progress(done, self.total)

    def run(self, rows: Sequence[_Row], *, dry: bool) -> list[_Outcome]:
        """Apply `rows` in one unit of work; committed unless `dry`. Raises _Stop on a cancel."""
        outcomes: list[_Outcome] = []
        start = self.done

        def work(session: Any) -> None:
            outcomes.clear()
            ctx = self.ctx.with_session(session)
            batch = _Batch(ctx, self.kind, rows)
            for offset, row in enumerate(rows):
                if self.cancelled is not None and self.cancelled():
                    raise _Stop
                outcomes.append(self._apply(ctx, batch, row))
                self.report(start + offset + 1)
            if dry:
                raise _RollBack

        user = self.ctx.user
        try:
            self.ctx.db.run(
                work,
                write=True,
                user_id=user.id if user else None,
                username=user.username if user else "",
                clock=self.ctx.clock,
            )
        except _RollBack:
            pass
        self.done = start + len(rows)
        self.report(self.done, force=True)
        return list(outcomes)

    def _apply(self, ctx: Context, batch: _Batch, row: _Row) -> _Outcome:
        savepoint = ctx.s.begin_nested()
        errors: dict[str, str] = {}
        action = RowAction.ERROR
        try:
            action = batch.apply(row)
        except ValidationError as exc:
            errors = dict(exc.fields)
        except PermissionDenied:
            savepoint.rollback()
            raise  # the same for every row: the import stops with it
        except AppError as exc:
            errors = {KEY_FIELDS[self.kind]: str(exc)}
        except (IntegrityError, DataError):
            errors = {KEY_FIELDS[self.kind]: _("This row conflicts with a record in the database.")}
        # What the file itself gets wrong comes first; the services may add more.
        errors = {FIELD_COLUMNS.get(k, k): v for k, v in errors.items()} | row.parsed.errors
        if errors:
            savepoint.rollback()
            return _Outcome(row, RowAction.ERROR, errors)
        savepoint.commit()
        return _Outcome(row, action)


def _batches(rows: Sequence[_Row]) -> Iterator[Sequence[_Row]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start : start + BATCH_SIZE]


def _import_row(kind: ImportKind, match: HeaderMatch, outcome: _Outcome) -> ImportRow:
    return ImportRow(
        row_number=outcome.row.number,
        action=outcome.action,
        key=outcome.row.key,
        messages=_messages(kind, match, outcome.errors),
        cells=outcome.row.cells,
    )


def _counts(rows: Sequence[ImportRow]) -> dict[str, int]:
    counts = {str(a): 0 for a in RowAction}
    for row in rows:
        counts[str(row.action)] += 1
    return counts


# --- the services ---------------------------------------------------------------------------------


@checked(Action.DATA_IMPORT)
def preview_import(
    ctx: Context,
    kind: ImportKind,
    path: Path | str,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPreview:
    """Read a file and say for every row whether it is new, an update or an error.

    Nothing is written: every batch runs through the services and is rolled back.
    """
    kind = ImportKind(kind)
    sheet = _read_sheet(kind, Path(path))
    planned = _plan(kind, sheet)
    runner = _Runner(ctx, kind, len(planned), progress, cancelled)
    outcomes: dict[int, _Outcome] = {}
    for batch in _batches(planned):
        to_check = [r for r in batch if not r.duplicate]
        try:
            for outcome in runner.run(to_check, dry=True) if to_check else []:
                outcomes[outcome.row.number] = outcome
        except _Stop:
            raise ImportCancelled(_("Reading the file was cancelled.")) from None
        runner.done += len(batch) - len(to_check)  # duplicates are not tried
        runner.report(runner.done, force=True)
    rows = [
        _import_row(
            kind,
            sheet.match,
            outcomes.get(r.number) or _Outcome(r, RowAction.ERROR, r.parsed.errors),
        )
        for r in planned
    ]
    return ImportPreview(
        kind=kind,
        path=sheet.path,
        columns=sheet.headers,
        ignored_columns=sheet.match.ignored,
        encoding=sheet.encoding,
        rows=rows,
        counts=_counts(rows),
    )


def _remove(path: Path) -> None:
    """Delete a half-written file, if there is one."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _error_file_path(source: Path) -> Path:
    stem = source.stem
    if stem.lower().endswith(".errors"):
        stem = stem[: -len(".errors")]
    return source.with_name(f"{stem}.errors.csv")


def _write_error_file(
    source: Path, headers: Sequence[str], error_index: int | None, rows: Sequence[ImportRow]
) -> Path:
    """The failed rows with their original columns and a "错误 / error" column, UTF-8 with BOM."""
    out = _error_file_path(source)
    keep = [i for i in range(len(headers)) if i != error_index]
    tmp = out.with_name(out.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([headers[i] for i in keep] + [ERROR_HEADER])
            for row in rows:
                cells = [row.cells[i] if i < len(row.cells) else "" for i in keep]
                reason = _("row {n}: {problems}").format(
                    n=row.row_number, problems="; ".join(row.messages)
                )
                writer.writerow(
                    [tabular.neutralise(c) for c in cells] + [tabular.neutralise(reason)]
                )
        os.replace(tmp, out)
    except OSError as exc:
        _remove(tmp)
        raise AppError(
            _(
                "Cannot write the error file {path} ({reason}); if it is open in Excel, close it."
            ).format(path=out, reason=exc.strerror or exc)
        ) from exc
    return out


@checked(Action.DATA_IMPORT)
def write_error_file(ctx: Context, preview: ImportPreview) -> Path | None:
    """Write a preview's error rows next to its file (for a dry run); None when there are none."""
    errors = preview.error_rows
    if not errors:
        return None
    match = tabular.match_headers(preview.kind, preview.columns)
    return _write_error_file(preview.path, preview.columns, match.error_index, errors)


@checked(Action.DATA_IMPORT)
def run_import(
    ctx: Context,
    source: ImportPreview | Path | str,
    *,
    kind: ImportKind | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportResult:
    """Write the valid rows in batches of about 500; the others go to `<name>.errors.csv`.

    From a preview, the rows it showed as errors are not tried again. A cancel stops at once: the
    running batch is rolled back, batches already written stay, and no error file is written.
    """
    if isinstance(source, ImportPreview):
        kind = source.kind
        path, headers = source.path, source.columns
        match = tabular.match_headers(kind, headers)
        known_errors = source.error_rows
        planned = []
        for row in source.rows:
            if row.action != RowAction.ERROR:
                parsed = tabular.parse_row(kind, match, row.cells)
                planned.append(_Row(row.row_number, row.cells, _row_key(kind, parsed), parsed))
    else:
        path = Path(source)
        kind = ImportKind(kind) if kind is not None else _detect_kind(path)
        sheet = _read_sheet(kind, path)
        headers, match = sheet.headers, sheet.match
        everything = _plan(kind, sheet)
        planned = [r for r in everything if not r.duplicate]
        known_errors = [
            _import_row(kind, match, _Outcome(r, RowAction.ERROR, r.parsed.errors))
            for r in everything
            if r.duplicate
        ]
    result = ImportResult(kind=kind)
    runner = _Runner(ctx, kind, len(planned), progress, cancelled)
    failed: list[ImportRow] = list(known_errors)
    for batch in _batches(planned):
        try:
            outcomes = runner.run(batch, dry=False)
        except _Stop:
            result.cancelled = True
            break
        for outcome in outcomes:
            if outcome.action == RowAction.NEW:
                result.created += 1
            elif outcome.action == RowAction.UPDATE:
                result.updated += 1
            else:
                failed.append(_import_row(kind, match, outcome))
    if result.cancelled:
        return result
    failed.sort(key=lambda r: r.row_number)
    result.failed = len(failed)
    result.errors = failed
    if failed:
        result.error_file = _write_error_file(path, headers, match.error_index, failed)
    return result
