"""Register a terminal in stock, or edit its details (binding and status have their own steps)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QWidget,
)

from app.context import Context
from app.errors import AppError
from app.i18n import _
from app.models.terminal import (
    DepositStatus,
    TerminalCreate,
    TerminalRead,
    TerminalUpdate,
)
from app.rules.terminals import deposit_label, type_label
from app.services import catalogue, terminals, warranty
from ui.shared.form_dialog import FormDialog, line_edit
from ui.shared.widgets import OptionalDateEdit, YuanSpinBox, select_data


class TerminalDialog(FormDialog):
    """A new terminal when `terminal` is None, otherwise an edit of it."""

    def __init__(
        self, ctx: Context, terminal: TerminalRead | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            object_name="TerminalDialog",
            title=_("New terminal") if terminal is None else _("Edit terminal {sn}").format(
                sn=terminal.serial_no
            ),
            note="" if terminal else _("A new terminal is registered in stock."),
            parent=parent,
        )
        self.ctx = ctx
        self.terminal = terminal
        self.result_terminal: TerminalRead | None = None
        t = terminal

        self.serial_edit = line_edit("serialNoEdit", t.serial_no if t else "")
        self.serial_edit.setReadOnly(t is not None)
        self.terminal_no_edit = line_edit(
            "terminalNoEdit", t.terminal_no if t else "", placeholder=_("8 digits")
        )
        self.model_combo = QComboBox()
        self.model_combo.setObjectName("modelCombo")
        self.acquirer_combo = QComboBox()
        self.acquirer_combo.setObjectName("acquirerCombo")
        self.policy_combo = QComboBox()
        self.policy_combo.setObjectName("terminalPolicyCombo")
        self.policy_combo.setToolTip(
            _("The warranty policy of this terminal; the model's default unless chosen here.")
        )
        self._fill_catalogue()
        self._fill_policies()
        self.sim_edit = line_edit("simIccidEdit", t.sim_iccid if t else "", placeholder="8986…")
        self.firmware_edit = line_edit("firmwareEdit", t.firmware_version if t else "")
        self.purchase_edit = OptionalDateEdit("purchaseDateEdit", t.purchase_date if t else None)
        self.activation_edit = OptionalDateEdit(
            "activationDateEdit", t.activation_date if t else None
        )
        self.location_edit = line_edit(
            "locationEdit", t.location if t else "", placeholder=_("e.g. checkout 2")
        )
        self.deposit_edit = YuanSpinBox("depositEdit", t.deposit_fen if t else 0)
        self.deposit_combo = QComboBox()
        self.deposit_combo.setObjectName("depositStatusCombo")
        for status in DepositStatus:
            self.deposit_combo.addItem(deposit_label(status), status.value)
        select_data(self.deposit_combo, DepositStatus(t.deposit_status).value if t else "none")
        self.notes_edit = QPlainTextEdit(t.notes if t else "")
        self.notes_edit.setObjectName("notesEdit")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.notes_edit.fontMetrics().lineSpacing() * 3 + 12)

        left = QFormLayout()
        self.add_row(left, _("Serial no. (SN)"), "serial_no", self.serial_edit)
        self.add_row(left, _("Terminal no."), "terminal_no", self.terminal_no_edit)
        self.add_row(left, _("Model"), "model_id", self.model_combo)
        self.add_row(left, _("Acquirer"), "acquirer_id", self.acquirer_combo)
        self.add_row(left, _("SIM ICCID"), "sim_iccid", self.sim_edit)
        self.add_row(left, _("Firmware"), "firmware_version", self.firmware_edit)
        right = QFormLayout()
        self.add_row(right, _("Purchase date"), "purchase_date", self.purchase_edit)
        self.add_row(right, _("Activation date"), "activation_date", self.activation_edit)
        self.add_row(right, _("Warranty policy"), "warranty_policy_id", self.policy_combo)
        self.add_row(right, _("Location"), "location", self.location_edit)
        self.add_row(right, _("Deposit"), "deposit_fen", self.deposit_edit)
        self.add_row(right, _("Deposit status"), "deposit_status", self.deposit_combo)
        self.add_row(right, _("Notes"), "notes", self.notes_edit)
        for form in (left, right):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)
        self.main_layout.addLayout(columns)
        self.finish()
        self.setMinimumWidth(760)
        (self.terminal_no_edit if t else self.serial_edit).setFocus()

    def _fill_catalogue(self) -> None:
        """Active models and acquirers to choose from, plus the terminal's own if retired."""
        t = self.terminal
        try:
            models = catalogue.list_device_models(self.ctx)
            acquirers = catalogue.list_acquirers(self.ctx)
        except AppError as exc:
            self.errors.show_message(str(exc))
            return
        for model in models:
            if model.active or (t is not None and model.id == t.model_id):
                text = f"{model.label} ({type_label(model.terminal_type)})"
                self.model_combo.addItem(text, model.id)
        self.acquirer_combo.addItem(_("(none)"), None)
        for acquirer in acquirers:
            if acquirer.active or (t is not None and acquirer.id == t.acquirer_id):
                self.acquirer_combo.addItem(acquirer.name, acquirer.id)
        if t is not None:
            select_data(self.model_combo, t.model_id)
            select_data(self.acquirer_combo, t.acquirer_id)
        else:
            self.model_combo.setCurrentIndex(-1 if self.model_combo.count() != 1 else 0)

    def _fill_policies(self) -> None:
        """"Model default" first, then the active policies and the terminal's own if retired."""
        t = self.terminal
        current = t.warranty_policy_id if t else None
        try:
            policies = warranty.list_warranty_policies(self.ctx, include_inactive=False)
            if current is not None and all(p.id != current for p in policies):
                policies.append(warranty.get_warranty_policy(self.ctx, current))
        except AppError as exc:
            self.errors.show_message(str(exc))
            policies = []
        self.policy_combo.addItem(_("Model default"), None)
        for policy in policies:
            text = policy.name if policy.active else _("{name} (retired)").format(name=policy.name)
            self.policy_combo.addItem(text, policy.id)
        select_data(self.policy_combo, current)

    def save(self) -> None:
        fields = {
            "terminal_no": self.terminal_no_edit.text(),
            "model_id": self.model_combo.currentData(),
            "acquirer_id": self.acquirer_combo.currentData(),
            "sim_iccid": self.sim_edit.text(),
            "firmware_version": self.firmware_edit.text(),
            "purchase_date": self.purchase_edit.date(),
            "activation_date": self.activation_edit.date(),
            "location": self.location_edit.text(),
            "deposit_fen": self.deposit_edit.fen(),
            "deposit_status": DepositStatus(self.deposit_combo.currentData()),
            "notes": self.notes_edit.toPlainText(),
        }
        terminal = self.terminal
        if terminal is None:
            serial = self.serial_edit.text()
            fields["warranty_policy_id"] = self.policy_combo.currentData()
            self.result_terminal = self.submit(
                lambda: terminals.create_terminal(
                    self.ctx, TerminalCreate(serial_no=serial, **fields)
                )
            )
            return
        # Sent only when changed: an explicit None means "back to the model's default".
        policy_id = self.policy_combo.currentData()
        if policy_id != terminal.warranty_policy_id:
            fields["warranty_policy_id"] = policy_id
        self.result_terminal = self.submit(
            lambda: terminals.update_terminal(
                self.ctx,
                terminal.id,
                TerminalUpdate(**fields, expected_version=terminal.version),
            )
        )
