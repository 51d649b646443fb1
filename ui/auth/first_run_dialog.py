"""First start on an empty database: create the branch and the first administrator."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QWidget

from app.context import Context
from app.i18n import _
from app.models.branch import BranchCreate
from app.models.user import Role, UserCreate
from app.rules.accounts import check_repeat
from app.services import setup
from ui.shared.form_dialog import FormDialog, line_edit


class FirstRunDialog(FormDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(
            object_name="FirstRunDialog",
            title=_("Set up this workstation"),
            note=_(
                "The database is new. Enter your branch and create the first administrator "
                "account; there is no default password."
            ),
            error_name="firstRunError",
            parent=parent,
        )
        self.ctx = ctx
        self.setMinimumWidth(460)
        self.code_edit = line_edit("branchCodeEdit", placeholder=_("e.g. SZ01"))
        self.name_edit = line_edit("branchNameEdit")
        self.address_edit = line_edit("branchAddressEdit")
        self.phone_edit = line_edit("branchPhoneEdit", placeholder=_("e.g. 0755-26881234"))
        branch_box = QGroupBox(_("Branch"))
        branch_form = QFormLayout(branch_box)
        self.add_row(branch_form, _("Branch code"), "code", self.code_edit)
        self.add_row(branch_form, _("Branch name"), "name", self.name_edit)
        self.add_row(branch_form, _("Address"), "address", self.address_edit)
        self.add_row(branch_form, _("Phone"), "phone", self.phone_edit)
        self.main_layout.addWidget(branch_box)

        self.username_edit = line_edit("adminUsernameEdit", placeholder=_("e.g. wangfang"))
        self.display_name_edit = line_edit("adminNameEdit")
        self.password_edit = line_edit("adminPasswordEdit", password=True)
        self.repeat_edit = line_edit("adminPasswordRepeatEdit", password=True)
        admin_box = QGroupBox(_("Administrator"))
        admin_form = QFormLayout(admin_box)
        self.add_row(admin_form, _("User name"), "username", self.username_edit)
        self.add_row(admin_form, _("Name"), "display_name", self.display_name_edit)
        self.add_row(admin_form, _("Password"), "password", self.password_edit)
        self.add_row(admin_form, _("Repeat password"), "repeat", self.repeat_edit)
        self.main_layout.addWidget(admin_box)
        self.finish(_("Create"), "createButton")

    def save(self) -> None:
        self.create()

    def create(self) -> None:
        def run() -> None:
            check_repeat(self.password_edit.text(), self.repeat_edit.text())
            setup.create_branch_and_admin(
                self.ctx,
                BranchCreate(
                    code=self.code_edit.text(),
                    name=self.name_edit.text(),
                    address=self.address_edit.text(),
                    phone=self.phone_edit.text(),
                ),
                UserCreate(
                    username=self.username_edit.text(),
                    display_name=self.display_name_edit.text(),
                    role=Role.ADMIN,
                    password=self.password_edit.text(),
                ),
            )

        self.submit(run)
