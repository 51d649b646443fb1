"""Register a merchant, or edit one; a stale edit is reported, never saved over another's."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.i18n import _
from app.models.merchant import (
    MerchantCreate,
    MerchantRead,
    MerchantStatus,
    MerchantUpdate,
    RiskLevel,
)
from app.rules.merchants import merchant_status_label, risk_label
from app.services import merchants
from ui.customers.contacts_editor import ContactsEditor
from ui.shared.form_dialog import FormDialog, line_edit
from ui.shared.widgets import OptionalDateEdit, select_data


def _completer(edit: QLineEdit, values: Sequence[str]) -> None:
    if values:
        completer = QCompleter(sorted(set(values)), edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        edit.setCompleter(completer)


class MerchantDialog(FormDialog):
    """A new merchant when `merchant` is None, otherwise an edit of it (with its contacts)."""

    def __init__(
        self,
        ctx: Context,
        merchant: MerchantRead | None = None,
        *,
        regions: Sequence[tuple[str, str, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            object_name="MerchantDialog",
            title=_("New merchant") if merchant is None else _("Edit merchant"),
            parent=parent,
        )
        self.ctx = ctx
        self.merchant = merchant
        self.result_merchant: MerchantRead | None = None
        m = merchant

        self.merchant_no_edit = line_edit(
            "merchantNoEdit", m.merchant_no if m else "", placeholder=_("15 digits")
        )
        self.merchant_no_edit.setReadOnly(m is not None)
        self.legal_name_edit = line_edit("legalNameEdit", m.legal_name if m else "")
        self.shop_name_edit = line_edit("shopNameEdit", m.shop_name if m else "")
        self.uscc_edit = line_edit("usccEdit", m.uscc if m else "", placeholder=_("18 characters"))
        self.mcc_edit = line_edit("mccEdit", m.mcc if m else "", placeholder=_("e.g. 5411"))
        self.legal_rep_edit = line_edit("legalRepEdit", m.legal_rep if m else "")
        self.legal_rep_id_edit = line_edit("legalRepIdEdit", m.legal_rep_id_no if m else "")
        self.risk_combo = QComboBox()
        self.risk_combo.setObjectName("riskCombo")
        for level in RiskLevel:
            self.risk_combo.addItem(risk_label(level), level.value)
        select_data(self.risk_combo, RiskLevel(m.risk_level).value if m else RiskLevel.LOW.value)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusCombo")
        statuses = [MerchantStatus.ACTIVE, MerchantStatus.SUSPENDED]
        if m is not None and m.status == MerchantStatus.CLOSED:
            statuses.append(MerchantStatus.CLOSED)  # closing has its own command with a reason
        for status in statuses:
            self.status_combo.addItem(merchant_status_label(status), status.value)
        select_data(self.status_combo, MerchantStatus(m.status).value if m else "active")
        self.onboarding_edit = OptionalDateEdit("onboardingDateEdit", m.onboarding_date if m else None)

        self.contact_name_edit = line_edit("contactNameEdit", m.contact_name if m else "")
        self.mobile_edit = line_edit("mobileEdit", m.mobile if m else "", placeholder="138 0013 8000")
        self.landline_edit = line_edit(
            "landlineEdit", m.landline if m else "", placeholder=_("e.g. 0755-26881234")
        )
        self.province_edit = line_edit("provinceEdit", m.province if m else "")
        self.city_edit = line_edit("cityEdit", m.city if m else "")
        self.district_edit = line_edit("districtEdit", m.district if m else "")
        _completer(self.province_edit, [r[0] for r in regions if r[0]])
        _completer(self.city_edit, [r[1] for r in regions if r[1]])
        _completer(self.district_edit, [r[2] for r in regions if r[2]])
        self.address_edit = line_edit("addressEdit", m.address if m else "")
        self.notes_edit = QPlainTextEdit(m.notes if m else "")
        self.notes_edit.setObjectName("notesEdit")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.notes_edit.fontMetrics().lineSpacing() * 3 + 12)
        self.contacts_editor = ContactsEditor(m.contacts if m else [])

        left = QFormLayout()
        self.add_row(left, _("Merchant no."), "merchant_no", self.merchant_no_edit)
        self.add_row(left, _("Legal name"), "legal_name", self.legal_name_edit)
        self.add_row(left, _("Shop name"), "shop_name", self.shop_name_edit)
        self.add_row(left, _("Unified social credit code"), "uscc", self.uscc_edit)
        self.add_row(left, _("MCC"), "mcc", self.mcc_edit)
        self.add_row(left, _("Legal representative"), "legal_rep", self.legal_rep_edit)
        self.add_row(left, _("Resident ID no."), "legal_rep_id_no", self.legal_rep_id_edit)
        self.add_row(left, _("Risk level"), "risk_level", self.risk_combo)
        self.add_row(left, _("Status"), "status", self.status_combo)
        self.add_row(left, _("Onboarding date"), "onboarding_date", self.onboarding_edit)
        right = QFormLayout()
        self.add_row(right, _("Contact person"), "contact_name", self.contact_name_edit)
        self.add_row(right, _("Mobile"), "mobile", self.mobile_edit)
        self.add_row(right, _("Landline"), "landline", self.landline_edit)
        self.add_row(right, _("Province"), "province", self.province_edit)
        self.add_row(right, _("City"), "city", self.city_edit)
        self.add_row(right, _("District"), "district", self.district_edit)
        self.add_row(right, _("Address"), "address", self.address_edit)
        self.add_row(right, _("Notes"), "notes", self.notes_edit)
        for form in (left, right):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        columns = QHBoxLayout()
        for i, form in enumerate((left, right)):
            column = QVBoxLayout()  # rows keep their height; the shorter column ends early
            column.addLayout(form)
            column.addStretch(1)
            if i:
                columns.addSpacing(16)
            columns.addLayout(column, 1)
        self.main_layout.addLayout(columns)

        contacts_box = QGroupBox(_("Further contacts"))
        contacts_box.setObjectName("contactsBox")
        box_layout = QVBoxLayout(contacts_box)
        box_layout.addWidget(self.errors.field("contacts", self.contacts_editor))
        self.main_layout.addWidget(contacts_box)
        self.finish()
        self.setMinimumWidth(860)
        (self.legal_name_edit if m else self.merchant_no_edit).setFocus()

    def save(self) -> None:
        merchant = self.merchant
        fields = {
            "legal_name": self.legal_name_edit.text(),
            "shop_name": self.shop_name_edit.text(),
            "uscc": self.uscc_edit.text(),
            "mcc": self.mcc_edit.text(),
            "legal_rep": self.legal_rep_edit.text(),
            "contact_name": self.contact_name_edit.text(),
            "province": self.province_edit.text(),
            "city": self.city_edit.text(),
            "district": self.district_edit.text(),
            "address": self.address_edit.text(),
            "risk_level": RiskLevel(self.risk_combo.currentData()),
            "status": MerchantStatus(self.status_combo.currentData()),
            "onboarding_date": self.onboarding_edit.date(),
            "notes": self.notes_edit.toPlainText(),
        }
        personal = {
            "legal_rep_id_no": self.legal_rep_id_edit.text(),
            "mobile": self.mobile_edit.text(),
            "landline": self.landline_edit.text(),
            "contacts": self.contacts_editor.contacts(),
        }
        if merchant is None:
            merchant_no = self.merchant_no_edit.text()
            self.result_merchant = self.submit(
                lambda: merchants.create_merchant(
                    self.ctx,
                    MerchantCreate(merchant_no=merchant_no, **fields, **personal),
                )
            )
            return
        if not merchant.masked:  # masked values shown to this role are never written back
            fields |= personal
        self.result_merchant = self.submit(
            lambda: merchants.update_merchant(
                self.ctx,
                merchant.id,
                MerchantUpdate(**fields, expected_version=merchant.version),
            )
        )
