"""First start on an empty database: create the branch and the first administrator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError, ValidationError
from app.i18n import _
from app.models.branch import BranchCreate
from app.models.user import UserCreate
from app.rules.permissions import Role
from app.services import setup
from ui.shared.form_errors import FormErrors


class FirstRunDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FirstRunDialog")
        self.ctx = ctx
        self.setWindowTitle(_("Set up this workstation"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "The database is new. Enter your branch and create the first administrator "
                "account; there is no default password."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        general = QLabel()
        general.setObjectName("firstRunError")
        self.errors = FormErrors(general)

        self.code_edit = self._edit("branchCodeEdit", _("e.g. SZ01"))
        self.name_edit = self._edit("branchNameEdit")
        self.address_edit = self._edit("branchAddressEdit")
        self.phone_edit = self._edit("branchPhoneEdit", _("e.g. 0755-26881234"))
        branch_box = QGroupBox(_("Branch"))
        branch_form = QFormLayout(branch_box)
        for label, field, edit in (
            (_("Branch code"), "code", self.code_edit),
            (_("Branch name"), "name", self.name_edit),
            (_("Address"), "address", self.address_edit),
            (_("Phone"), "phone", self.phone_edit),
        ):
            branch_form.addRow(label, self.errors.field(field, edit))
        layout.addWidget(branch_box)

        self.username_edit = self._edit("adminUsernameEdit", _("e.g. wangfang"))
        self.display_name_edit = self._edit("adminNameEdit")
        self.password_edit = self._edit("adminPasswordEdit", password=True)
        self.repeat_edit = self._edit("adminPasswordRepeatEdit", password=True)
        admin_box = QGroupBox(_("Administrator"))
        admin_form = QFormLayout(admin_box)
        for label, field, edit in (
            (_("User name"), "username", self.username_edit),
            (_("Name"), "display_name", self.display_name_edit),
            (_("Password"), "password", self.password_edit),
            (_("Repeat password"), "repeat", self.repeat_edit),
        ):
            admin_form.addRow(label, self.errors.field(field, edit))
        layout.addWidget(admin_box)
        layout.addWidget(general)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        create = buttons.button(QDialogButtonBox.StandardButton.Ok)
        create.setText(_("Create"))
        create.setObjectName("createButton")
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _edit(self, name: str, placeholder: str = "", *, password: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        if password:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def create(self) -> None:
        self.errors.clear()
        if self.password_edit.text() != self.repeat_edit.text():
            self.errors.show(ValidationError.single("repeat", _("The two passwords differ.")))
            return
        try:
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
        except ValidationError as exc:
            self.errors.show(exc)
            return
        except AppError as exc:
            self.errors.show_message(str(exc))
            return
        self.accept()
