"""The command line: `aftersales [--db URL] COMMAND ...`; without a command it opens the workstation."""

from __future__ import annotations

import argparse
import getpass
import importlib
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from app import __version__, i18n, paths, settings
from app.context import Context
from app.db import Database, sqlite_url
from app.errors import AppError, ValidationError
from app.i18n import N_, _, ngettext
from app.models.user import Role, UserCreate
from app.rules.accounts import check_repeat
from app.rules.permissions import role_label

log = logging.getLogger(__name__)


# argparse's own messages, so that usage errors and help read in the chosen language too.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("argument %(argument_name)s: %(message)s"),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


@contextmanager
def _argparse_in_our_language() -> Iterator[None]:
    """Let argparse translate through our catalog while the command line is read."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class UsageError(Exception):
    """A mistake in the command line itself."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        message = _("{value} is not a whole number.").format(value=text)
        raise argparse.ArgumentTypeError(message) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("{value} must not be negative.").format(value=text))
    return value


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=_("database: a SQLAlchemy URL (sqlite:///file or postgresql+psycopg://...)"),
    )
    parser = _Parser(
        prog="aftersales",
        parents=[common],
        description=_("After-sales workstation for POS terminal service centers."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"aftersales {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--demo", action="store_true", help=_("open the workstation on a demo database")
    )
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)

    demo = sub.add_parser("demo-data", parents=[common], help=_("fill the database with demo data"))
    demo.add_argument("--customers", type=_positive, default=300, help=_("number of merchants"))
    demo.add_argument(
        "--terminals-per-customer", type=float, default=1.5, help=_("terminals per merchant")
    )
    demo.add_argument("--seed", type=int, default=20261122, help=_("random seed"))
    demo.add_argument("--password", help=_("password of the demo users (default: random)"))

    backup = sub.add_parser("backup", parents=[common], help=_("write a verified backup"))
    backup.add_argument("--out", type=Path, help=_("backup file (default: the backups folder)"))

    restore = sub.add_parser("restore", parents=[common], help=_("restore a backup"))
    restore.add_argument("file", type=Path, help=_("backup file"))

    sub.add_parser("check", parents=[common], help=_("check integrity and schema version"))
    sub.add_parser("migrate", parents=[common], help=_("bring the schema up to date"))

    users = sub.add_parser("users", parents=[common], help=_("manage user accounts"))
    users_sub = users.add_subparsers(
        dest="users_command", metavar=_("ACTION"), parser_class=_Parser, required=True
    )
    add = users_sub.add_parser("add", parents=[common], help=_("create a user"))
    add.add_argument("username")
    add.add_argument("--name", required=True, help=_("the person's name"))
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--password-stdin", action="store_true", help=_("read the password from stdin"))
    reset = users_sub.add_parser("reset-password", parents=[common], help=_("set a new password"))
    reset.add_argument("username")
    reset.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from stdin")
    )
    users_sub.add_parser("list", parents=[common], help=_("list users"))

    kinds = ["merchants", "terminals"]
    import_ = sub.add_parser(
        "import", parents=[common], help=_("import merchants or terminals from XLSX or CSV")
    )
    import_.add_argument("kind", choices=kinds)
    import_.add_argument("file", type=Path, help=_("an .xlsx or .csv file (UTF-8 or GBK)"))
    import_.add_argument(
        "--dry-run", action="store_true", help=_("check every row and write nothing")
    )
    export = sub.add_parser(
        "export", parents=[common], help=_("export merchants or terminals to XLSX or CSV")
    )
    export.add_argument("kind", choices=kinds)
    export.add_argument("--out", type=Path, required=True, help=_("an .xlsx or .csv file"))

    print_ = sub.add_parser(
        "print", parents=[common], help=_("print work orders or a service report to a PDF file")
    )
    print_sub = print_.add_subparsers(
        dest="print_command", metavar=_("DOCUMENT"), parser_class=_Parser, required=True
    )
    work_order = print_sub.add_parser(
        "work-order", parents=[common], help=_("work orders of one or more tickets, one page each")
    )
    work_order.add_argument("tickets", nargs="+", metavar="WX-...", help=_("ticket numbers"))
    work_order.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help=_("the PDF file to write")
    )
    work_order.add_argument("--a5", action="store_true", help=_("print on A5 paper instead of A4"))
    work_order.add_argument(
        "--copies",
        type=_copies,
        default=("shop",),
        metavar="customer,shop",
        help=_("the copies of each work order (default: shop)"),
    )
    report = print_sub.add_parser(
        "service-report", parents=[common], help=_("the service report of a resolved ticket")
    )
    report.add_argument("ticket", metavar="WX-...", help=_("ticket number"))
    report.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help=_("the PDF file to write")
    )
    return parser


def _copies(text: str) -> tuple[str, ...]:
    from app.reports.work_order import COPIES

    chosen = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    if not chosen or any(c not in COPIES for c in chosen):
        message = _("{value} is not a list of copies; use customer, shop or customer,shop.").format(value=text)
        raise argparse.ArgumentTypeError(message)
    return chosen


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(_("New password: "))
    check_repeat(first, getpass.getpass(_("Repeat the password: ")), "password")
    return first


def _open(args: argparse.Namespace, *, migrate: bool = True) -> Database:
    db = Database(getattr(args, "db", None))
    if migrate:
        backup = db.migrate()
        if backup:
            print(_("Backup before migration: {path}").format(path=backup))
    return db


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from app.services.demo import generate_demo_data

    db = _open(args)

    def progress(done: int, total: int) -> None:
        print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    summary = generate_demo_data(
        Context.system(db),
        customers=args.customers,
        terminals_per_customer=args.terminals_per_customer,
        seed=args.seed,
        password=args.password,
        progress=progress,
    )
    print(file=sys.stderr)
    print(
        _("Demo data in {location}: {merchants} merchants, {terminals} terminals.").format(
            location=db.display_location(), merchants=summary.merchants, terminals=summary.terminals
        )
    )
    print(
        _("Demo users {users}, password: {password}").format(
            users=", ".join(summary.usernames), password=summary.password
        )
    )
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from app.services.maintenance import backup_database

    result = backup_database(Context.system(_open(args, migrate=False)), args.out)
    print(_("Backup written: {path} ({size} bytes)").format(path=result.path, size=result.size_bytes))
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from app.services.maintenance import restore_database

    db = _open(args, migrate=False)
    safety = restore_database(Context.system(db), args.file)
    print(_("Restored from {path}.").format(path=args.file.resolve()))
    print(_("The data it replaced was saved to {path}.").format(path=safety.path))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from app.services.maintenance import check_database

    result = check_database(Context.system(_open(args, migrate=False)))
    print(_("Integrity: {value}").format(value=result.integrity))
    print(_("Schema version: {revision} (this program: {head})").format(
        revision=result.revision or "-", head=result.head
    ))
    for problem in result.problems:
        print(_("Problem: {problem}").format(problem=problem))
    print(_("Database is fine.") if result.ok else _("Database has problems."))
    return 0 if result.ok else 1


def _cmd_migrate(args: argparse.Namespace) -> int:
    db = _open(args)
    print(_("Schema version: {revision}").format(revision=db.current_revision()))
    return 0


def _cmd_users(args: argparse.Namespace) -> int:
    from app.services import users as user_service

    ctx = Context.system(_open(args))
    if args.users_command == "add":
        password = _read_password(args.password_stdin)
        user = user_service.create_user(
            ctx,
            UserCreate(
                username=args.username, display_name=args.name, role=Role(args.role), password=password
            ),
        )
        print(_("User {username} created.").format(username=user.username))
    elif args.users_command == "reset-password":
        found = [u for u in user_service.list_users(ctx) if u.username == args.username.lower()]
        if not found:
            raise AppError(_("There is no user {username}.").format(username=args.username))
        user_service.reset_password(ctx, found[0].id, _read_password(args.password_stdin))
        print(_("New password set for {username}; it must be changed at the next sign-in.").format(
            username=found[0].username
        ))
    else:
        for user in user_service.list_users(ctx):
            state = _("active") if user.is_active else _("deactivated")
            print(f"{user.username:<20} {user.display_name:<12} {role_label(user.role):<10} {state}")
    return 0


def _terminal_progress() -> Callable[[int, int], None] | None:
    """A done/total counter on stderr, when a person watches it."""
    if not sys.stderr.isatty():
        return None

    def progress(done: int, total: int) -> None:
        print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    return progress


def _cmd_import(args: argparse.Namespace) -> int:
    from app.models.imports import ImportKind
    from app.services import imports

    ctx = Context.system(_open(args))
    kind = ImportKind(args.kind)
    progress = _terminal_progress()
    if args.dry_run:
        preview = imports.preview_import(ctx, kind, args.file, progress=progress)
        if progress:
            print(file=sys.stderr)
        counts = preview.counts
        summary = _("Dry run, nothing was written: {new} new, {update} to update, {error} with errors.")
        print(summary.format(new=counts["new"], update=counts["update"], error=counts["error"]))
        errors = preview.error_rows
        error_file = imports.write_error_file(ctx, preview)
    else:
        result = imports.run_import(ctx, args.file, kind=kind, progress=progress)
        if progress:
            print(file=sys.stderr)
        print(
            _("Imported: {new} new, {update} updated, {error} with errors.").format(
                new=result.created, update=result.updated, error=result.failed
            )
        )
        errors, error_file = result.errors, result.error_file
    for row in errors:
        for message in row.messages:
            print(_("row {n}, {message}").format(n=row.row_number, message=message))
    if error_file is not None:
        advice = _("Rows with errors were written to {path}; correct them there and import that file.")
        print(advice.format(path=error_file))
    return 1 if errors else 0


def _cmd_export(args: argparse.Namespace) -> int:
    from app.models.merchant import MerchantFilter
    from app.models.terminal import TerminalFilter
    from app.services import exports

    ctx = Context.system(_open(args))
    if args.kind == "merchants":
        count = exports.export_merchants(ctx, MerchantFilter(), args.out)
    else:
        count = exports.export_terminals(ctx, TerminalFilter(), args.out)
    print(
        ngettext("{n} row written to {path}.", "{n} rows written to {path}.", count).format(
            n=count, path=args.out.expanduser().resolve()
        )
    )
    return 0


def _write_file(path: Path, data: bytes) -> Path:
    """Write `data` through a temporary file beside `path`, so a reader never sees half a file."""
    target = path.expanduser()
    if not target.parent.is_dir():
        raise AppError(_("The folder {path} does not exist.").format(path=target.parent))
    handle, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise AppError(
            _("Cannot write {path} ({reason}); if it is open in a PDF viewer, close it and try again.").format(
                path=target, reason=exc.strerror or exc
            )
        ) from exc
    return target.resolve()


def _cmd_print(args: argparse.Namespace) -> int:
    from app.services import ticket_documents, tickets

    ctx = Context.system(_open(args))
    numbers = args.tickets if args.print_command == "work-order" else [args.ticket]
    ids = []
    for number in dict.fromkeys(n.strip().upper() for n in numbers):
        found = tickets.find_ticket_by_number(ctx, number)
        if found is None:
            raise AppError(_("There is no ticket {number}.").format(number=number))
        ids.append(found.id)
    if args.print_command == "work-order":
        data = ticket_documents.work_orders(
            ctx, ids, page_size="A5" if args.a5 else "A4", copies=args.copies
        )
        path = _write_file(args.out, data)
        message = ngettext(
            "{n} work order written to {path}.", "{n} work orders written to {path}.", len(ids)
        )
        print(message.format(n=len(ids), path=path))
    else:
        data = ticket_documents.service_report(ctx, ids[0])
        path = _write_file(args.out, data)
        print(_("Service report written to {path}.").format(path=path))
    return 0


def _cmd_gui(args: argparse.Namespace) -> int:
    db_url = getattr(args, "db", None)
    if args.demo and db_url is None:
        db_url = sqlite_url(paths.demo_db_path())
    # The only place the core reaches the GUI package, by name: app stays importable without Qt.
    gui = importlib.import_module("ui.app")
    result: int = gui.main(db_url=db_url, demo=args.demo)
    return result


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: _cmd_gui,
    "demo-data": _cmd_demo_data,
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "check": _cmd_check,
    "migrate": _cmd_migrate,
    "users": _cmd_users,
    "import": _cmd_import,
    "export": _cmd_export,
    "print": _cmd_print,
}


def _error(message: str) -> None:
    print(_("error: {message}").format(message=message), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; user mistakes print one line and return non-zero, never a traceback."""
    from app.logging_setup import configure_logging

    i18n.set_language(settings.get("language") or i18n.system_language())
    try:
        with _argparse_in_our_language():
            args = build_parser().parse_args(argv)
    except UsageError as exc:
        _error(str(exc))
        return 2
    configure_logging()
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        _error(str(exc))
        return 2
    except ValidationError as exc:
        for reason in exc.fields.values():  # each sentence names what it is about
            _error(reason)
        return 1
    except AppError as exc:
        _error(str(exc))
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last resort keeps tracebacks in the log
        log.exception("command failed")
        _error(
            _("unexpected problem ({kind}); details are in {path}").format(
                kind=type(exc).__name__, path=paths.log_dir()
            )
        )
        return 1
