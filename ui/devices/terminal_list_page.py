"""Devices > Terminals: the registry with filters, lazy pages, new / open / edit."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.context import Context
from app.errors import AppError
from app.i18n import _, ngettext
from app.models.imports import ImportKind
from app.models.terminal import (
    DepositStatus,
    TerminalFilter,
    TerminalRead,
    TerminalStatus,
)
from app.rules.permissions import Action, allowed
from app.rules.terminals import deposit_label, status_label
from app.services import catalogue, terminals
from ui.data.list_actions import add_data_actions
from ui.devices.label_dialog import LabelDialog
from ui.devices.terminal_dialog import TerminalDialog
from ui.devices.terminal_table_model import terminal_table_model
from ui.shared import dialogs
from ui.shared.form_dialog import line_edit
from ui.shared.widgets import (
    fit_columns,
    list_table,
    push_button,
    select_data,
    shortcut_action,
)

SEARCH_DELAY_MS = 300


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


class TerminalListPage(QWidget):
    """Enter or a double click opens the terminal; `terminalOpened` carries its id."""

    terminalOpened = Signal(object)  # carries a uuid.UUID

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TerminalListPage")
        self.ctx = ctx
        self.filters = TerminalFilter()
        role = ctx.user.role if ctx.user else None
        self.can_edit = role is not None and allowed(role, Action.TERMINALS_EDIT)

        self.search_edit = line_edit("terminalSearchEdit", placeholder=_("SN or terminal no."))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(220)
        self.status_filter = _combo("statusFilter")
        self.status_filter.addItem(_("All statuses"), None)
        for status in TerminalStatus:
            self.status_filter.addItem(status_label(status), status.value)
        self.model_filter = _combo("modelFilter")
        self.acquirer_filter = _combo("acquirerFilter")
        self.deposit_filter = _combo("depositFilter")
        self.deposit_filter.addItem(_("All deposits"), None)
        for deposit in DepositStatus:
            self.deposit_filter.addItem(deposit_label(deposit), deposit.value)
        self.count_label = QLabel()
        self.count_label.setObjectName("terminalCountLabel")
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        for combo in (self.status_filter, self.model_filter, self.acquirer_filter, self.deposit_filter):
            filters.addWidget(combo)
        filters.addWidget(self.count_label)

        self.new_button = push_button("newTerminalButton", _("New terminal…"), self.new_terminal)
        self.new_button.setToolTip(_("Ctrl+N"))
        self.open_button = push_button("openTerminalButton", _("Open"), self.open_selected)
        self.edit_button = push_button("editTerminalButton", _("Edit…"), self.edit_terminal)
        for button in (self.new_button, self.edit_button):
            button.setVisible(self.can_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        # Import, export and label printing are added here by their own areas.
        self.actions_layout = QHBoxLayout()
        self.actions_layout.setObjectName("terminalActionsLayout")
        buttons.addLayout(self.actions_layout)
        add_data_actions(self, ImportKind.TERMINALS, self)
        self.labels_button = push_button("printLabelsButton", _("Print labels…"), self.print_labels)
        self.labels_button.setToolTip(_("Labels with SN, model, terminal no. and a QR code"))
        self.actions_layout.addWidget(self.labels_button)

        self.model = terminal_table_model(self._fetch)
        self.table = list_table("terminalTable", multi=True)
        self.table.setModel(self.model)
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)

        self.new_action = shortcut_action(
            self, "newTerminalAction", _("New terminal"), ["Ctrl+N"], self.new_terminal
        )
        self.new_action.setEnabled(self.can_edit)
        shortcut_action(self, "reloadTerminalsAction", _("Reload"), ["F5"], self.reload)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filters)
        self.search_edit.textChanged.connect(lambda _text: self._timer.start())
        self.search_edit.returnPressed.connect(self._search_entered)
        for combo in (self.status_filter, self.model_filter, self.acquirer_filter, self.deposit_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())

        # The list loads each time it is shown (see showEvent), so it is never stale.

    # --- filters --------------------------------------------------------------------------------

    def _fill_catalogue(self) -> None:
        """(Re)fill the model and acquirer filters, keeping what is chosen."""
        try:
            models = catalogue.list_device_models(self.ctx)
            acquirers = catalogue.list_acquirers(self.ctx)
        except AppError:
            models, acquirers = [], []
        for combo, everything, entries in (
            (self.model_filter, _("All models"), [(m.label, m.id) for m in models]),
            (self.acquirer_filter, _("All acquirers"), [(a.name, a.id) for a in acquirers]),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for text, data in entries:
                combo.addItem(text, data)
            select_data(combo, chosen)
            combo.blockSignals(False)

    def current_filters(self) -> TerminalFilter:
        """The filter the list shows now (for export and label printing)."""
        return self.filters

    def selected_terminal_ids(self) -> list[uuid.UUID]:
        """The selected terminals, in list order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.row_object(row).id for row in rows]

    def _filters_from_inputs(self) -> TerminalFilter:
        status, deposit = self.status_filter.currentData(), self.deposit_filter.currentData()
        return TerminalFilter(
            status=TerminalStatus(status) if status else None,
            model_id=self.model_filter.currentData(),
            acquirer_id=self.acquirer_filter.currentData(),
            deposit_status=DepositStatus(deposit) if deposit else None,
            text=self.search_edit.text(),
        )

    def _fetch(self, offset: int, limit: int) -> tuple[list[TerminalRead], int]:
        page = terminals.list_terminals(self.ctx, self.filters, offset=offset, limit=limit)
        return page.items, page.total

    def apply_filters(self) -> None:
        self._timer.stop()
        previous, self.filters = self.filters, self._filters_from_inputs()
        self._load(keep=None, previous=previous)

    def reload(self) -> None:
        """F5: the same filter again, the selected terminal kept."""
        selected = self.selected_terminal()
        self._fill_catalogue()
        self._load(keep=selected.id if selected else None, previous=self.filters)

    def _load(self, *, keep: uuid.UUID | None, previous: TerminalFilter) -> None:
        try:
            self.model.reload()
        except AppError as exc:
            self.filters = previous
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.error_label.hide()
        total = self.model.total()
        self.count_label.setText(ngettext("{n} terminal", "{n} terminals", total).format(n=total))
        if keep is not None:
            self.select_terminal(keep)
        fit_columns(self.table)
        self._update_buttons()

    def _search_entered(self) -> None:
        """Enter: the list narrows and the keyboard moves to its first row."""
        self.apply_filters()
        if self.model.rowCount():
            if not self.table.selectionModel().hasSelection():
                self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- selection ------------------------------------------------------------------------------

    def selected_terminal(self) -> TerminalRead | None:
        index = self.table.currentIndex()
        rows = self.table.selectionModel().selectedRows()
        if index.isValid() and self.table.selectionModel().isRowSelected(index.row()):
            return self.model.row_object(index.row())
        return self.model.row_object(rows[0].row()) if rows else None

    def select_terminal(self, terminal_id: uuid.UUID) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.row_object(row).id == terminal_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return True
        return False

    def _update_buttons(self) -> None:
        selected = self.selected_terminal() is not None
        self.open_button.setEnabled(selected)
        self.edit_button.setEnabled(selected)

    def showEvent(self, event: QShowEvent) -> None:
        """The list loads as it appears, so it shows what changed meanwhile."""
        super().showEvent(event)
        if not event.spontaneous():
            self.reload()

    # --- commands -------------------------------------------------------------------------------

    def _activated(self, index: QModelIndex) -> None:
        self.terminalOpened.emit(self.model.row_object(index.row()).id)

    def open_selected(self) -> None:
        terminal = self.selected_terminal()
        if terminal is not None:
            self.terminalOpened.emit(terminal.id)

    def new_terminal(self) -> None:
        if not self.can_edit:
            return
        dialog = TerminalDialog(self.ctx, parent=self)
        if dialog.exec() and dialog.result_terminal is not None:
            self.table.clearSelection()
            self._load(keep=dialog.result_terminal.id, previous=self.filters)

    def edit_terminal(self) -> None:
        terminal = self.selected_terminal()
        if terminal is None or not self.can_edit:
            return
        try:
            current = terminals.get_terminal(self.ctx, terminal.id)
        except AppError as exc:
            dialogs.warn(self, _("Cannot edit"), str(exc))
            self.reload()
            return
        dialog = TerminalDialog(self.ctx, current, parent=self)
        if dialog.exec():
            self.reload()

    def print_labels(self) -> None:
        """Labels of the selected terminals: preview, print or save as PDF."""
        ids = self.selected_terminal_ids()
        if not ids:
            dialogs.info(self, _("Print labels"), _("Select the terminals to label first."))
            return
        LabelDialog(self.ctx, ids, self).exec()
