"""Warranty > Ending soon: warranties and contracts that end within N days, and terminals with no
coverage at all; each list opens its rows and exports to XLSX or CSV."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError
from app.i18n import _, ngettext
from app.models.warranty import ContractFilter, ExpiringItem, ServiceContractRead
from app.rules.coverage import contract_status_label
from app.rules.permissions import Action, allowed
from app.services import exports, warranty
from ui.data import export as data_export
from ui.shared import dialogs
from ui.shared.paged_table_model import Column, PagedTableModel
from ui.shared.widgets import (
    date_text,
    fit_columns,
    list_table,
    money_text,
    push_button,
    shortcut_action,
)
from ui.shared.worker import BackgroundJob, run_with_progress

WARRANTIES = "warranties"
CONTRACTS = "contracts"
UNCOVERED = "uncovered"
DEFAULT_DAYS = 30
MAX_DAYS = 365

Row = ExpiringItem | ServiceContractRead


def days_left_text(end: date | None, today: date) -> str:
    """How long until `end`, as a clerk says it."""
    if end is None:
        return ""
    days = (end - today).days
    if days == 0:
        return _("today")
    if days < 0:
        return ngettext("{n} day ago", "{n} days ago", -days).format(n=-days)
    return ngettext("{n} day", "{n} days", days).format(n=days)


def _hours(hours: int) -> str:
    return ngettext("{n} hour", "{n} hours", hours).format(n=hours)


def _terminal_columns(today: Callable[[], date], *, days_left: bool) -> list[Column[Any]]:
    columns: list[Column[Any]] = [
        Column(lambda: _("Serial no. (SN)"), lambda t: t.serial_no),
        Column(lambda: _("Terminal no."), lambda t: t.terminal_no),
        Column(lambda: _("Model"), lambda t: f"{t.brand} {t.model}".strip()),
        Column(lambda: _("Merchant no."), lambda t: t.merchant_no),
        Column(lambda: _("Merchant"), lambda t: t.merchant_name),
        Column(lambda: _("Warranty policy"), lambda t: t.policy_name or _("(no warranty)")),
        Column(
            lambda: _("Warranty ends") if days_left else _("Warranty ended"),
            lambda t: date_text(t.warranty_end) or "—",
            lambda t: date_text(t.warranty_end),
        ),
    ]
    if days_left:
        columns.append(
            Column(
                lambda: _("Time left"),
                lambda t: days_left_text(t.warranty_end, today()),
                lambda t: date_text(t.warranty_end),
            )
        )
    return columns


def _contract_columns(today: Callable[[], date]) -> list[Column[Any]]:
    return [
        Column(lambda: _("Contract no."), lambda c: c.contract_no),
        Column(lambda: _("Merchant no."), lambda c: c.merchant_no),
        Column(lambda: _("Merchant"), lambda c: c.merchant_name),
        Column(lambda: _("Status"), lambda c: contract_status_label(c.status)),
        Column(lambda: _("Start"), lambda c: date_text(c.start_date)),
        Column(lambda: _("End"), lambda c: date_text(c.end_date)),
        Column(
            lambda: _("Time left"),
            lambda c: days_left_text(c.end_date, today()),
            lambda c: date_text(c.end_date),
        ),
        Column(
            lambda: _("Terminals"),
            lambda c: _("all") if c.all_terminals else str(len(c.terminal_ids)),
            lambda c: -1 if c.all_terminals else len(c.terminal_ids),
        ),
        Column(lambda: _("Response"), lambda c: _hours(c.response_hours), lambda c: c.response_hours),
        Column(lambda: _("Resolution"), lambda c: _hours(c.resolution_hours), lambda c: c.resolution_hours),
        Column(lambda: _("Fee"), lambda c: money_text(c.fee_fen), lambda c: c.fee_fen),
    ]


class ExpiringPanel(QWidget):
    """Enter or a double click opens the terminal (or the contract) of the row."""

    terminalOpened = Signal(object)  # carries a uuid.UUID
    merchantOpened = Signal(object)  # carries a uuid.UUID
    contractOpened = Signal(object)  # carries a uuid.UUID

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("expiringPanel")
        self.ctx = ctx
        self._today = date.today()
        self._export_job: BackgroundJob | None = None
        role = ctx.user.role if ctx.user else None

        self.list_combo = QComboBox()
        self.list_combo.setObjectName("expiringListCombo")
        self.list_combo.addItem(_("Warranties ending soon"), WARRANTIES)
        self.list_combo.addItem(_("Contracts ending soon"), CONTRACTS)
        self.list_combo.addItem(_("Out of warranty, no contract"), UNCOVERED)
        self.days_label = QLabel(_("Ending within"))
        self.days_label.setObjectName("expiringDaysLabel")
        self.days_spin = QSpinBox()
        self.days_spin.setObjectName("expiringDaysSpin")
        self.days_spin.setRange(1, MAX_DAYS)
        self.days_spin.setValue(DEFAULT_DAYS)
        self.days_spin.setSuffix(" " + _("days"))
        self.days_spin.setKeyboardTracking(False)  # typing "120" loads once, not three times
        self.days_label.setBuddy(self.days_spin)
        self.count_label = QLabel()
        self.count_label.setObjectName("expiringCountLabel")
        choice = QHBoxLayout()
        choice.addWidget(self.list_combo)
        choice.addSpacing(12)
        choice.addWidget(self.days_label)
        choice.addWidget(self.days_spin)
        choice.addSpacing(12)
        choice.addWidget(self.count_label)
        choice.addStretch(1)

        self.open_button = push_button("openExpiringButton", _("Open"), self.open_selected)
        self.merchant_button = push_button(
            "openExpiringMerchantButton", _("Open merchant"), self.open_merchant
        )
        self.reload_button = push_button("reloadExpiringButton", _("Reload"), self.reload)
        self.reload_button.setToolTip(_("F5"))
        self.export_button = push_button("exportExpiringButton", _("Export…"), self.export)
        self.export_button.setToolTip(_("Write this list to an Excel or CSV file"))
        self.export_button.setVisible(role is not None and allowed(role, Action.DATA_EXPORT))
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.merchant_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.export_button)

        self.note_label = QLabel()
        self.note_label.setObjectName("expiringNote")
        self.note_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        def today() -> date:
            return self._today

        self.models: dict[str, PagedTableModel[Any]] = {
            WARRANTIES: PagedTableModel(_terminal_columns(today, days_left=True), self._fetch_warranties),
            CONTRACTS: PagedTableModel(_contract_columns(today), self._fetch_contracts),
            UNCOVERED: PagedTableModel(_terminal_columns(today, days_left=False), self._fetch_uncovered),
        }
        self.table = list_table("expiringTable")
        self.table.activated.connect(self._activated)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("expiringEmptyLabel")
        self.empty_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(choice)
        layout.addWidget(self.note_label)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)

        shortcut_action(self, "reloadExpiringAction", _("Reload"), ["F5"], self.reload)
        self.list_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.days_spin.valueChanged.connect(lambda _v: self.reload())
        self._show_model()
        # The list loads each time the panel is shown (see showEvent), so it is never stale.

    # --- loading --------------------------------------------------------------------------------

    def current_list(self) -> str:
        return str(self.list_combo.currentData())

    def current_model(self) -> PagedTableModel[Any]:
        return self.models[self.current_list()]

    def days(self) -> int:
        return self.days_spin.value()

    def _fetch_warranties(self, offset: int, limit: int) -> tuple[list[ExpiringItem], int]:
        page = warranty.list_expiring_warranties(self.ctx, self.days(), offset=offset, limit=limit)
        return page.items, page.total

    def _fetch_contracts(self, offset: int, limit: int) -> tuple[list[ServiceContractRead], int]:
        filters = ContractFilter(ending_within_days=self.days())
        page = warranty.list_contracts(self.ctx, filters, offset=offset, limit=limit)
        return page.items, page.total

    def _fetch_uncovered(self, offset: int, limit: int) -> tuple[list[ExpiringItem], int]:
        page = warranty.list_uncovered_terminals(self.ctx, offset=offset, limit=limit)
        return page.items, page.total

    def _show_model(self) -> None:
        """Put the chosen list's model in the table (each list has its own columns)."""
        model = self.current_model()
        if self.table.model() is not model:
            self.table.setModel(model)
            self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        kind = self.current_list()
        self.days_label.setVisible(kind != UNCOVERED)
        self.days_spin.setVisible(kind != UNCOVERED)
        self.open_button.setText(_("Open contract") if kind == CONTRACTS else _("Open terminal"))

    def reload(self) -> None:
        """Load the chosen list again, with the days chosen."""
        self._show_model()
        self._today = warranty.today(self.ctx)
        model = self.current_model()
        try:
            model.reload()
        except AppError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.error_label.hide()
        total = model.total()
        kind, days = self.current_list(), self.days()
        if kind == CONTRACTS:
            count = ngettext("{n} contract", "{n} contracts", total)
            note = ngettext(
                "Active service contracts that end within the next {days} day.",
                "Active service contracts that end within the next {days} days.",
                days,
            )
            empty = _("No active contract ends within these days.")
        elif kind == WARRANTIES:
            count = ngettext("{n} terminal", "{n} terminals", total)
            note = ngettext(
                "Terminals whose warranty ends within the next {days} day; for those at a "
                "merchant, a chance to offer a service contract.",
                "Terminals whose warranty ends within the next {days} days; for those at a "
                "merchant, a chance to offer a service contract.",
                days,
            )
            empty = _("No warranty ends within these days.")
        else:
            count = ngettext("{n} terminal", "{n} terminals", total)
            note = _(
                "Terminals at merchants whose warranty has ended (or never started) and that no "
                "service contract covers today: every repair is charged."
            )
            empty = _("Every terminal in use is covered by a warranty or a contract.")
        self.count_label.setText(count.format(n=total))
        self.note_label.setText(note.format(days=days))
        self.empty_label.setText(empty)
        self.empty_label.setVisible(total == 0)
        self.table.setVisible(total > 0)
        fit_columns(self.table)
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        """The list loads as it appears, so it shows what changed meanwhile."""
        super().showEvent(event)
        if not event.spontaneous():
            self.reload()

    # --- selection ------------------------------------------------------------------------------

    def selected_row(self) -> Row | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        row: Row = self.current_model().row_object(rows[0].row())
        return row

    def _update_buttons(self) -> None:
        row = self.selected_row()
        self.open_button.setEnabled(row is not None)
        self.merchant_button.setEnabled(row is not None and row.merchant_id is not None)

    # --- commands -------------------------------------------------------------------------------

    def _open(self, row: Row) -> None:
        if isinstance(row, ServiceContractRead):
            self.contractOpened.emit(row.id)
        else:
            self.terminalOpened.emit(row.terminal_id)

    def _activated(self, index: QModelIndex) -> None:
        self._open(self.current_model().row_object(index.row()))

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self._open(row)

    def open_merchant(self) -> None:
        row = self.selected_row()
        merchant_id: uuid.UUID | None = row.merchant_id if row is not None else None
        if merchant_id is not None:
            self.merchantOpened.emit(merchant_id)

    def _suggested_name(self) -> str:
        names = {
            WARRANTIES: _("warranties-ending"),
            CONTRACTS: _("contracts-ending"),
            UNCOVERED: _("not-covered"),
        }
        return f"{names[self.current_list()]}-{self.ctx.now().astimezone():%Y%m%d}.xlsx"

    def export(self) -> None:
        """Ask for a file and write the list shown there in the background, then say so."""
        if self._export_job is not None and self._export_job.running():
            return
        path = data_export.ask_save_path(self, self._suggested_name())
        if path is None:
            return
        kind, days, ctx = self.current_list(), self.days(), self.ctx

        def work(_progress: object) -> int:
            if kind == WARRANTIES:
                return exports.export_expiring_warranties(ctx, days, path)
            if kind == CONTRACTS:
                return exports.export_expiring_contracts(ctx, days, path)
            return exports.export_uncovered_terminals(ctx, path)

        self.export_button.setEnabled(False)
        self._export_job = run_with_progress(
            work, lambda _done, _total: None, lambda count: self._exported(count, path), self._export_failed,
            parent=self,
        )

    def _exported(self, count: int, path: Path) -> None:
        self.export_button.setEnabled(True)
        dialogs.info(
            self,
            _("Export"),
            ngettext("{n} row written to {path}.", "{n} rows written to {path}.", count).format(
                n=count, path=path
            ),
        )

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        if not isinstance(exc, AppError):
            raise exc  # the crash handler reports it
        dialogs.warn(self, _("Export"), str(exc))
