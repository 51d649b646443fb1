"""Draw up a service contract, edit a draft, or change an active contract's notes and terminals."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError, ValidationError
from app.i18n import _
from app.models.merchant import MerchantRead
from app.models.terminal import TerminalFilter, TerminalRead
from app.models.warranty import (
    ContractStatus,
    CostItem,
    ExclusionCause,
    ServiceContractBase,
    ServiceContractCreate,
    ServiceContractRead,
    ServiceContractUpdate,
)
from app.rules.coverage import warranty_end
from app.services import terminals, warranty
from app.services.warranty import MAX_SLA_HOURS
from ui.customers.merchant_picker_dialog import MerchantPickerDialog
from ui.shared.form_dialog import FormDialog, line_edit
from ui.shared.widgets import YuanSpinBox, push_button, qdate
from ui.warranty.policy_dialog import CheckList, CostItemChecks, exclusion_list

TERMINAL_PAGE = 500
# A new contract runs a year unless the clerk says otherwise.
DEFAULT_MONTHS = 12


def _default(field: str) -> Any:
    return ServiceContractBase.model_fields[field].default


def date_edit(name: str, value: date) -> QDateEdit:
    edit = QDateEdit(qdate(value))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("0000-00-00") + 48)
    return edit


def hours_spin(name: str, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(1, MAX_SLA_HOURS)
    spin.setSuffix(_(" h"))
    spin.setValue(value)
    return spin


def terminal_text(terminal: TerminalRead) -> str:
    parts = [terminal.serial_no, f"{terminal.brand} {terminal.model}".strip(), terminal.terminal_no]
    return "   ".join(p for p in parts if p)


class ContractDialog(FormDialog):
    """A new contract (a draft) when `contract` is None, otherwise an edit of it.

    A draft changes freely; of an active contract only the notes and the terminals listed change,
    so the other fields are shown but locked.
    """

    def __init__(
        self,
        ctx: Context,
        contract: ServiceContractRead | None = None,
        *,
        merchant: MerchantRead | None = None,
        parent: QWidget | None = None,
    ) -> None:
        locked = contract is not None and contract.status != ContractStatus.DRAFT
        super().__init__(
            object_name="ContractDialog",
            title=_("New service contract")
            if contract is None
            else _("Edit contract {number}").format(number=contract.contract_no),
            note=_(
                "This contract is active: only its notes and the terminals it lists can change. "
                "Renew it to change its terms."
            )
            if locked
            else (_("A new contract is saved as a draft; it covers nothing until it is activated.")
                  if contract is None else ""),
            parent=parent,
        )
        self.ctx = ctx
        self.contract = contract
        self.locked = locked
        self.merchant_id: uuid.UUID | None = contract.merchant_id if contract else None
        self.result_contract: ServiceContractRead | None = None
        c = contract
        start = c.start_date if c else warranty.today(ctx)
        self._end_follows_start = c is None
        self._setting_end = False

        self.merchant_edit = line_edit("merchantEdit", placeholder=_("Choose a merchant…"))
        self.merchant_edit.setReadOnly(True)
        self.choose_button = push_button("chooseMerchantButton", _("Choose…"), self.choose_merchant)
        self.choose_button.setAutoDefault(False)
        self.choose_button.setEnabled(c is None)
        chooser = QWidget()
        row = QHBoxLayout(chooser)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.merchant_edit, 1)
        row.addWidget(self.choose_button)
        if c is not None:
            self.merchant_edit.setText(f"{c.merchant_name} ({c.merchant_no})")

        self.start_edit = date_edit("startDateEdit", start)
        self.end_edit = date_edit(
            "endDateEdit", c.end_date if c else warranty_end(start, DEFAULT_MONTHS) or start
        )
        self.response_spin = hours_spin(
            "responseHoursSpin", c.response_hours if c else _default("response_hours")
        )
        self.resolution_spin = hours_spin(
            "resolutionHoursSpin", c.resolution_hours if c else _default("resolution_hours")
        )
        self.working_hours_check = QCheckBox(_("working hours only"))
        self.working_hours_check.setToolTip(
            _("The response and resolution times count 9:00–18:00 on working days only.")
        )
        self.working_hours_check.setObjectName("workingHoursOnlyCheck")
        self.working_hours_check.setChecked(c.working_hours_only if c else _default("working_hours_only"))
        self.items = CostItemChecks(
            c.free_items if c else [i for i in CostItem if _default(f"covers_{i.value}")]
        )
        self.fee_edit = YuanSpinBox("feeEdit", c.fee_fen if c else 0)

        self.all_terminals_check = QCheckBox(_("all the merchant's terminals, also those it gets later"))
        self.all_terminals_check.setObjectName("allTerminalsCheck")
        self.all_terminals_check.setChecked(c.all_terminals if c else False)
        self.terminal_list = CheckList("terminalList", [])
        self.terminal_list.fit_rows(6)
        self.terminals_note = QLabel()
        self.terminals_note.setObjectName("terminalsNote")
        self.terminals_note.setWordWrap(True)
        self.terminals_note.hide()
        terminals_box = QWidget()
        terminals_layout = QVBoxLayout(terminals_box)
        terminals_layout.setContentsMargins(0, 0, 0, 0)
        terminals_layout.addWidget(self.all_terminals_check)
        terminals_layout.addWidget(self.terminal_list)
        terminals_layout.addWidget(self.terminals_note)
        self.exclusions = exclusion_list(checked=c.exclusions if c else ())
        self.notes_edit = QPlainTextEdit(c.notes if c else "")
        self.notes_edit.setObjectName("notesEdit")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.notes_edit.fontMetrics().lineSpacing() * 3 + 12)

        left = QFormLayout()
        self.add_row(left, _("Merchant"), "merchant_id", chooser)
        self.add_row(left, _("Start date"), "start_date", self.start_edit)
        self.add_row(left, _("End date"), "end_date", self.end_edit)
        self.add_row(left, _("Response time"), "response_hours", self.response_spin)
        self.add_row(left, _("Resolution time"), "resolution_hours", self.resolution_spin)
        self.add_row(left, _("Time counts"), "working_hours_only", self.working_hours_check)
        self.add_row(left, _("Free of charge"), "free_items", self.items)
        self.add_row(left, _("Fee"), "fee_fen", self.fee_edit)
        self.add_row(left, _("Notes"), "notes", self.notes_edit)
        right = QFormLayout()
        self.add_row(right, _("Terminals"), "terminal_ids", terminals_box)
        self.add_row(right, _("Exclusions"), "exclusions", self.exclusions)
        for form in (left, right):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)
        self.main_layout.addLayout(columns)
        self.finish()
        self.setMinimumWidth(900)

        self.start_edit.dateChanged.connect(self._start_changed)
        self.end_edit.dateChanged.connect(self._end_changed)
        self.all_terminals_check.toggled.connect(lambda _on: self._update_terminals_enabled())
        if c is not None:
            self._load_terminals(c.merchant_id, c.terminal_ids)
        if locked:
            for widget in (
                self.start_edit,
                self.end_edit,
                self.response_spin,
                self.resolution_spin,
                self.working_hours_check,
                self.fee_edit,
                self.exclusions,
                self.all_terminals_check,
            ):
                widget.setEnabled(False)
            self.items.set_enabled(False)
        self._update_terminals_enabled()
        if merchant is not None and c is None:
            self.set_merchant(merchant)
        if c is None and merchant is None:
            self.choose_button.setFocus()
        elif locked:
            self.notes_edit.setFocus()
        else:
            self.start_edit.setFocus()

    # --- merchant and terminals -----------------------------------------------------------------

    def picker(self) -> MerchantPickerDialog:
        return MerchantPickerDialog(self.ctx, title=_("Service contract for…"), parent=self)

    def choose_merchant(self) -> None:
        picker = self.picker()
        if picker.exec() and picker.chosen is not None:
            self.set_merchant(picker.chosen)
            self.start_edit.setFocus()

    def set_merchant(self, merchant: MerchantRead) -> None:
        """The contract's merchant (new contracts only); its terminals fill the list."""
        self.merchant_id = merchant.id
        name = merchant.shop_name or merchant.legal_name
        self.merchant_edit.setText(f"{name} ({merchant.merchant_no})")
        self._load_terminals(merchant.id, [])

    def _merchant_terminals(self, merchant_id: uuid.UUID) -> list[TerminalRead]:
        held: list[TerminalRead] = []
        while True:
            page = terminals.list_terminals(
                self.ctx, TerminalFilter(merchant_id=merchant_id), offset=len(held), limit=TERMINAL_PAGE
            )
            held.extend(page.items)
            if not page.items or len(held) >= page.total:
                return held

    def _load_terminals(self, merchant_id: uuid.UUID, checked: list[uuid.UUID]) -> None:
        """The merchant's terminals; those the contract lists but the merchant gave back stay, marked."""
        try:
            held = self._merchant_terminals(merchant_id)
        except AppError as exc:
            self.errors.show_message(str(exc))
            return
        entries = [(terminal_text(t), t.id) for t in held]
        held_ids = {t.id for t in held}
        gone = [i for i in checked if i not in held_ids]
        if gone and self.contract is not None:
            serials = dict(zip(self.contract.terminal_ids, self.contract.terminal_serials, strict=False))
            for terminal_id in gone:
                entries.append(
                    (
                        _("{sn} (no longer with this merchant)").format(sn=serials.get(terminal_id, "?")),
                        terminal_id,
                    )
                )
        self.terminal_list.set_entries(entries, checked)
        if not entries:
            self.terminals_note.setText(_("This merchant holds no terminals."))
            self.terminals_note.show()
        else:
            self.terminals_note.hide()
        self.terminal_list.fit_rows(min(max(len(entries), 6), 10))

    def _update_terminals_enabled(self) -> None:
        self.terminal_list.setEnabled(not self.all_terminals_check.isChecked())

    # --- dates ----------------------------------------------------------------------------------

    def _start_changed(self, value: QDate) -> None:
        """Until the end date is typed, a new contract runs twelve months from its start."""
        if not self._end_follows_start:
            return
        start: date = value.toPython()
        end = warranty_end(start, DEFAULT_MONTHS)
        if end is not None:
            self._setting_end = True
            self.end_edit.setDate(qdate(end))
            self._setting_end = False

    def _end_changed(self, _value: QDate) -> None:
        if not self._setting_end:
            self._end_follows_start = False

    # --- saving ---------------------------------------------------------------------------------

    def _terms(self) -> dict[str, Any]:
        all_terminals = self.all_terminals_check.isChecked()
        return {
            "all_terminals": all_terminals,
            "terminal_ids": [] if all_terminals else list(self.terminal_list.values()),
            "start_date": self.start_edit.date().toPython(),
            "end_date": self.end_edit.date().toPython(),
            "response_hours": self.response_spin.value(),
            "resolution_hours": self.resolution_spin.value(),
            "working_hours_only": self.working_hours_check.isChecked(),
            **self.items.fields(),
            "exclusions": [ExclusionCause(v) for v in self.exclusions.values()],
            "fee_fen": self.fee_edit.fen(),
            "notes": self.notes_edit.toPlainText(),
        }

    def save(self) -> None:
        terms = self._terms()
        contract, merchant_id = self.contract, self.merchant_id
        if contract is None:

            def create() -> ServiceContractRead:
                if merchant_id is None:
                    raise ValidationError.single("merchant_id", _("Please choose the merchant."))
                return warranty.create_contract(
                    self.ctx, ServiceContractCreate(merchant_id=merchant_id, **terms)
                )

            self.result_contract = self.submit(create)
            return
        if self.locked:
            # Only these two may change once a contract is in force.
            terms = {"notes": terms["notes"]}
            if not contract.all_terminals:
                terms["terminal_ids"] = list(self.terminal_list.values())
        self.result_contract = self.submit(
            lambda: warranty.update_contract(
                self.ctx,
                contract.id,
                ServiceContractUpdate(**terms, expected_version=contract.version),
            )
        )
