"""Add a device model to the catalogue, or change one."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QWidget

from app.context import Context
from app.errors import AppError
from app.i18n import _
from app.models.catalogue import DeviceModelCreate, DeviceModelRead, DeviceModelUpdate
from app.models.terminal import TerminalType
from app.rules.terminals import type_label
from app.services import catalogue, warranty
from ui.shared.form_dialog import FormDialog, line_edit
from ui.shared.widgets import YuanSpinBox, select_data


class DeviceModelDialog(FormDialog):
    def __init__(
        self, ctx: Context, model: DeviceModelRead | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            object_name="DeviceModelDialog",
            title=_("New device model") if model is None else _("Edit device model"),
            parent=parent,
        )
        self.ctx = ctx
        self.device_model = model
        self.result_model: DeviceModelRead | None = None
        m = model
        self.brand_edit = line_edit("brandEdit", m.brand if m else "", placeholder=_("e.g. 新大陆"))
        self.model_edit = line_edit("modelNameEdit", m.model if m else "", placeholder=_("e.g. N910"))
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("typeCombo")
        for kind in TerminalType:
            self.type_combo.addItem(type_label(kind), kind.value)
        select_data(self.type_combo, TerminalType(m.terminal_type).value if m else "smart")
        self.price_edit = YuanSpinBox("listPriceEdit", m.list_price_fen if m else 0)
        self.policy_combo = QComboBox()
        self.policy_combo.setObjectName("warrantyPolicyCombo")
        self._fill_policies()
        self.active_check = QCheckBox(_("Offered for new terminals"))
        self.active_check.setObjectName("activeCheck")
        self.active_check.setChecked(m.active if m else True)
        form = QFormLayout()
        self.add_row(form, _("Brand"), "brand", self.brand_edit)
        self.add_row(form, _("Model"), "model", self.model_edit)
        self.add_row(form, _("Type"), "terminal_type", self.type_combo)
        self.add_row(form, _("List price"), "list_price_fen", self.price_edit)
        self.add_row(form, _("Warranty policy"), "warranty_policy_id", self.policy_combo)
        self.add_row(form, _("Active"), "active", self.active_check)
        self.main_layout.addLayout(form)
        self.finish()
        self.setMinimumWidth(420)

    def _fill_policies(self) -> None:
        """The active policies, plus the model's own if it has been retired since."""
        m = self.device_model
        try:
            policies = warranty.list_warranty_policies(self.ctx, include_inactive=False)
            current = m.warranty_policy_id if m else None
            if current is not None and all(p.id != current for p in policies):
                policies.append(warranty.get_warranty_policy(self.ctx, current))
        except AppError as exc:
            self.errors.show_message(str(exc))
            policies = []
        self.policy_combo.addItem(_("(no warranty)"), None)
        for policy in policies:
            text = policy.name if policy.active else _("{name} (retired)").format(name=policy.name)
            self.policy_combo.addItem(text, policy.id)
        if m is not None:
            select_data(self.policy_combo, m.warranty_policy_id)
        else:
            # A new model usually takes the first policy on offer; the person sees and may change it.
            self.policy_combo.setCurrentIndex(1 if self.policy_combo.count() > 1 else 0)

    def save(self) -> None:
        fields = {
            "brand": self.brand_edit.text(),
            "model": self.model_edit.text(),
            "terminal_type": TerminalType(self.type_combo.currentData()),
            "list_price_fen": self.price_edit.fen(),
            "warranty_policy_id": self.policy_combo.currentData(),
            "active": self.active_check.isChecked(),
        }
        model = self.device_model
        if model is None:
            self.result_model = self.submit(
                lambda: catalogue.create_device_model(
                    self.ctx, DeviceModelCreate(**fields)
                )
            )
            return
        self.result_model = self.submit(
            lambda: catalogue.update_device_model(
                self.ctx,
                model.id,
                DeviceModelUpdate(**fields, expected_version=model.version),
            )
        )
