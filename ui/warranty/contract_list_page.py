"""Warranty > Contracts: service contracts with filters, lazy pages, the steps of each, its details."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError
from app.i18n import _, ngettext
from app.models.warranty import ContractFilter, ContractStatus, ServiceContractRead
from app.rules.coverage import contract_status_label
from app.rules.permissions import Action, allowed
from app.services import warranty
from ui.shared import dialogs
from ui.shared.widgets import fit_columns, list_table, push_button, shortcut_action
from ui.warranty.contract_dialog import ContractDialog
from ui.warranty.contract_page import ContractDetails, ContractViewDialog
from ui.warranty.contract_table_model import contract_table_model
from ui.warranty.terminate_dialog import TerminateDialog

DEFAULT_ENDING_DAYS = 30
MAX_ENDING_DAYS = 3650


class ContractListPage(QWidget):
    """`merchantOpened` and `terminalOpened` carry the uuid.UUID of what the details link to."""

    merchantOpened = Signal(object)
    terminalOpened = Signal(object)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ContractListPage")
        self.ctx = ctx
        self.filters = ContractFilter()
        role = ctx.user.role if ctx.user else None
        self.can_edit = role is not None and allowed(role, Action.CONTRACTS_EDIT)

        self.status_filter = QComboBox()
        self.status_filter.setObjectName("contractStatusFilter")
        self.status_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_filter.addItem(_("All statuses"), None)
        for status in ContractStatus:
            self.status_filter.addItem(contract_status_label(status), status.value)
        self.ending_check = QCheckBox(_("Active, ending within"))
        self.ending_check.setObjectName("endingWithinCheck")
        self.ending_spin = QSpinBox()
        self.ending_spin.setObjectName("endingWithinSpin")
        self.ending_spin.setRange(0, MAX_ENDING_DAYS)
        self.ending_spin.setValue(DEFAULT_ENDING_DAYS)
        self.ending_spin.setSuffix(_(" days"))
        self.ending_spin.setEnabled(False)
        self.count_label = QLabel()
        self.count_label.setObjectName("contractCountLabel")
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Status:")))
        filters.addWidget(self.status_filter)
        filters.addSpacing(16)
        filters.addWidget(self.ending_check)
        filters.addWidget(self.ending_spin)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        self.new_button = push_button("newContractButton", _("New contract…"), self.new_contract)
        self.new_button.setToolTip(_("Ctrl+N"))
        self.edit_button = push_button("editContractButton", _("Edit…"), self.edit_contract)
        self.activate_button = push_button("activateContractButton", _("Activate"), self.activate_contract)
        self.terminate_button = push_button(
            "terminateContractButton", _("Terminate…"), self.terminate_contract
        )
        self.renew_button = push_button("renewContractButton", _("Renew…"), self.renew_contract)
        self.delete_button = push_button("deleteContractButton", _("Delete draft"), self.delete_contract)
        self.delete_button.setToolTip(_("Del"))
        self.print_button = push_button("printContractButton", _("Print summary…"), self.print_summary)
        self.edit_buttons: list[QPushButton] = [
            self.new_button,
            self.edit_button,
            self.activate_button,
            self.terminate_button,
            self.renew_button,
            self.delete_button,
        ]
        buttons = QHBoxLayout()
        for button in self.edit_buttons:
            button.setVisible(self.can_edit)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)

        self.model = contract_table_model(self._fetch)
        self.table = list_table("contractTable")
        self.table.setModel(self.model)
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.details = ContractDetails()

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("contractSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(splitter, 1)

        self.new_action = shortcut_action(
            self, "newContractAction", _("New contract"), ["Ctrl+N"], self.new_contract
        )
        self.new_action.setEnabled(self.can_edit)
        shortcut_action(self, "reloadContractsAction", _("Reload"), ["F5"], self.reload)
        # Delete belongs to the list only: elsewhere the key deletes text.
        self.delete_action = QAction(_("Delete draft"), self.table)
        self.delete_action.setObjectName("deleteContractAction")
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(lambda _checked=False: self.delete_contract())
        self.delete_action.setEnabled(self.can_edit)
        self.table.addAction(self.delete_action)

        self.status_filter.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.ending_check.toggled.connect(self._ending_toggled)
        self.ending_spin.valueChanged.connect(lambda _v: self.apply_filters())
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.details.merchantOpened.connect(self.merchantOpened.emit)
        self.details.terminalOpened.connect(self.terminalOpened.emit)
        self.details.contractRequested.connect(self.show_contract_no)
        self._selection_changed()

    # --- loading --------------------------------------------------------------------------------

    def _fetch(self, offset: int, limit: int) -> tuple[list[ServiceContractRead], int]:
        page = warranty.list_contracts(self.ctx, self.filters, offset=offset, limit=limit)
        return page.items, page.total

    def _filters_from_inputs(self) -> ContractFilter:
        status = self.status_filter.currentData()
        return ContractFilter(
            status=ContractStatus(status) if status else None,
            ending_within_days=self.ending_spin.value() if self.ending_check.isChecked() else None,
        )

    def current_filters(self) -> ContractFilter:
        return self.filters

    def _ending_toggled(self, on: bool) -> None:
        self.ending_spin.setEnabled(on)
        # "Ending within" lists active contracts only; another status would show nothing.
        self.status_filter.setEnabled(not on)
        self.apply_filters()

    def apply_filters(self) -> None:
        previous, self.filters = self.filters, self._filters_from_inputs()
        self._load(keep=None, previous=previous)

    def reload(self, keep: uuid.UUID | None = None) -> None:
        """F5: the same filter again, the selected contract (or `keep`) kept."""
        selected = self.selected_contract()
        self._load(keep=keep or (selected.id if selected else None), previous=self.filters)

    def _load(self, *, keep: uuid.UUID | None, previous: ContractFilter) -> None:
        try:
            self.model.reload()
        except AppError as exc:
            self.filters = previous
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.error_label.hide()
        total = self.model.total()
        self.count_label.setText(ngettext("{n} contract", "{n} contracts", total).format(n=total))
        if keep is None or not self.select_contract(keep):
            self.table.clearSelection()
        fit_columns(self.table)
        self._selection_changed()

    def showEvent(self, event: QShowEvent) -> None:
        """The list loads as it appears, so it shows what changed meanwhile."""
        super().showEvent(event)
        if not event.spontaneous():
            self.reload()

    # --- selection ------------------------------------------------------------------------------

    def selected_contract(self) -> ServiceContractRead | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def select_contract(self, contract_id: uuid.UUID) -> bool:
        """Select the contract, loading further pages until it shows; False if the filter hides it."""
        start = 0
        while True:
            for row in range(start, self.model.rowCount()):
                if self.model.row_object(row).id == contract_id:
                    self.table.selectRow(row)
                    self.table.scrollTo(self.model.index(row, 0))
                    return True
            start = self.model.rowCount()
            if not self.model.canFetchMore():
                return False
            self.model.fetchMore()

    def _selection_changed(self) -> None:
        contract = self.selected_contract()
        self.details.show_contract(contract)
        status = ContractStatus(contract.status) if contract else None
        self.edit_button.setEnabled(status in (ContractStatus.DRAFT, ContractStatus.ACTIVE))
        self.activate_button.setEnabled(status == ContractStatus.DRAFT)
        self.terminate_button.setEnabled(status == ContractStatus.ACTIVE)
        self.renew_button.setEnabled(
            contract is not None
            and status in (ContractStatus.ACTIVE, ContractStatus.EXPIRED)
            and not contract.renewed_by_no
        )
        self.delete_button.setEnabled(status == ContractStatus.DRAFT)
        self.print_button.setEnabled(contract is not None)

    def show_contract_no(self, number: str) -> None:
        """A renewal link: select that contract here, or show it in a window if the filter hides it."""
        try:
            contract = warranty.find_contract_by_number(self.ctx, number)
        except AppError as exc:
            dialogs.warn(self, _("Cannot open the contract"), str(exc))
            return
        if contract is None:
            return
        if not self.select_contract(contract.id):
            self._view(contract)
        else:
            self.table.setFocus()

    # --- commands -------------------------------------------------------------------------------

    def _current(self) -> ServiceContractRead | None:
        """The selected contract as it is now in the database (None, said why, when gone)."""
        contract = self.selected_contract()
        if contract is None:
            return None
        try:
            return warranty.get_contract(self.ctx, contract.id)
        except AppError as exc:
            dialogs.warn(self, _("Cannot open the contract"), str(exc))
            self.reload()
            return None

    def _activated(self, index: QModelIndex) -> None:
        """Enter or a double click: a draft opens for editing, any other contract to read."""
        self.table.selectRow(index.row())
        contract = self._current()
        if contract is None:
            return
        if self.can_edit and contract.status == ContractStatus.DRAFT:
            self._edit(contract)
        else:
            self._view(contract)

    def _view(self, contract: ServiceContractRead) -> None:
        view = ContractViewDialog(contract, self)
        view.details.merchantOpened.connect(self.merchantOpened.emit)
        view.details.terminalOpened.connect(self.terminalOpened.emit)
        view.details.contractRequested.connect(self.show_contract_no)
        view.exec()

    def _edit(self, contract: ServiceContractRead) -> None:
        dialog = ContractDialog(self.ctx, contract, parent=self)
        if dialog.exec():
            self.reload(contract.id)

    def new_contract(self) -> None:
        if not self.can_edit:
            return
        dialog = ContractDialog(self.ctx, parent=self)
        if dialog.exec() and dialog.result_contract is not None:
            self.table.clearSelection()
            self.reload(dialog.result_contract.id)

    def edit_contract(self) -> None:
        if not self.can_edit:
            return
        contract = self._current()
        if contract is None:
            return
        if contract.status not in (ContractStatus.DRAFT, ContractStatus.ACTIVE):
            self._view(contract)
            return
        self._edit(contract)

    def activate_contract(self) -> None:
        contract = self._current()
        if contract is None or not self.can_edit:
            return
        if not dialogs.confirm(
            self,
            _("Activate contract"),
            _(
                "Activate contract {number}? It covers its terminals from {start} to {end}, "
                "and its terms can no longer be changed."
            ).format(
                number=contract.contract_no,
                start=contract.start_date.isoformat(),
                end=contract.end_date.isoformat(),
            ),
        ):
            return
        try:
            warranty.activate_contract(self.ctx, contract.id, contract.version)
        except AppError as exc:
            dialogs.warn(self, _("Cannot activate the contract"), str(exc))
        self.reload(contract.id)

    def terminate_contract(self) -> None:
        contract = self._current()
        if contract is None or not self.can_edit:
            return
        dialog = TerminateDialog(self.ctx, contract, parent=self)
        if dialog.exec():
            self.reload(contract.id)

    def renew_contract(self) -> None:
        """A new draft on the same terms from the day after this one ends, opened for editing."""
        contract = self._current()
        if contract is None or not self.can_edit:
            return
        if not dialogs.confirm(
            self,
            _("Renew contract"),
            _(
                "Renew contract {number}? A new draft on the same terms is made, starting the day "
                "after this one ends; you can change it before activating it."
            ).format(number=contract.contract_no),
        ):
            return
        try:
            renewed = warranty.renew_contract(self.ctx, contract.id)
        except AppError as exc:
            dialogs.warn(self, _("Cannot renew the contract"), str(exc))
            self.reload(contract.id)
            return
        self.reload(renewed.id)
        self._edit(renewed)

    def delete_contract(self) -> None:
        contract = self.selected_contract()
        if contract is None or not self.can_edit or contract.status != ContractStatus.DRAFT:
            return
        if not dialogs.confirm(
            self,
            _("Delete draft"),
            _("Delete the draft contract {number}? This cannot be undone.").format(
                number=contract.contract_no
            ),
        ):
            return
        try:
            warranty.delete_contract(self.ctx, contract.id, contract.version)
        except AppError as exc:
            dialogs.warn(self, _("Cannot delete the contract"), str(exc))
        self.reload()

    def print_summary(self) -> None:
        """The contract summary as PDF: preview, print or save."""
        contract = self.selected_contract()
        if contract is None:
            return
        # Imported here: the documents (ReportLab, fonts) load only when someone prints.
        from app.services import warranty_documents
        from ui.shared.pdf_preview import PdfPreviewDialog

        try:
            data = warranty_documents.contract_summary(self.ctx, contract.id)
        except AppError as exc:
            dialogs.warn(self, _("Cannot print the contract"), str(exc))
            return
        PdfPreviewDialog(
            data,
            f"{contract.contract_no}.pdf",
            _("Contract {number}").format(number=contract.contract_no),
            self,
        ).exec()

