"""Create a user, or change a user's name and role."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError, ValidationError
from app.i18n import _
from app.models.user import UserCreate, UserRead, UserUpdate
from app.rules.permissions import Role, role_label
from app.services import users
from ui.shared.form_errors import FormErrors


class UserDialog(QDialog):
    """New user when `user` is None, otherwise an edit of that user."""

    def __init__(self, ctx: Context, user: UserRead | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("UserDialog")
        self.ctx = ctx
        self.user = user
        self.result_user: UserRead | None = None
        self.setWindowTitle(_("New user") if user is None else _("Edit user"))
        layout = QVBoxLayout(self)
        general = QLabel()
        general.setObjectName("userDialogError")
        self.errors = FormErrors(general)
        form = QFormLayout()

        self.username_edit = QLineEdit(user.username if user else "")
        self.username_edit.setObjectName("usernameEdit")
        self.username_edit.setReadOnly(user is not None)
        self.name_edit = QLineEdit(user.display_name if user else "")
        self.name_edit.setObjectName("displayNameEdit")
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("roleCombo")
        for role in Role:
            self.role_combo.addItem(role_label(role), role.value)
        self.role_combo.setCurrentIndex(
            self.role_combo.findData((user.role if user else Role.CLERK).value)
        )
        form.addRow(_("User name"), self.errors.field("username", self.username_edit))
        form.addRow(_("Name"), self.errors.field("display_name", self.name_edit))
        form.addRow(_("Role"), self.errors.field("role", self.role_combo))
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit()
        self.repeat_edit.setObjectName("repeatPasswordEdit")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        if user is None:
            form.addRow(_("Password"), self.errors.field("password", self.password_edit))
            form.addRow(_("Repeat password"), self.errors.field("repeat", self.repeat_edit))
        layout.addLayout(form)
        layout.addWidget(general)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("saveButton")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        self.errors.clear()
        role = Role(self.role_combo.currentData())
        try:
            if self.user is None:
                if self.password_edit.text() != self.repeat_edit.text():
                    raise ValidationError.single("repeat", _("The two passwords differ."))
                self.result_user = users.create_user(
                    self.ctx,
                    UserCreate(
                        username=self.username_edit.text(),
                        display_name=self.name_edit.text(),
                        role=role,
                        password=self.password_edit.text(),
                    ),
                )
            else:
                self.result_user = users.update_user(
                    self.ctx,
                    self.user.id,
                    UserUpdate(
                        display_name=self.name_edit.text(),
                        role=role,
                        expected_version=self.user.version,
                    ),
                )
        except ValidationError as exc:
            self.errors.show(exc)
            return
        except AppError as exc:
            self.errors.show_message(str(exc))
            return
        self.accept()
