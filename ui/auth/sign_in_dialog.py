"""Signing in with user name and password."""

from __future__ import annotations

from PySide6.QtWidgets import (
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
from app.models.user import Actor
from app.services import auth
from ui.shared.form_errors import FormErrors


class SignInDialog(QDialog):
    def __init__(
        self,
        ctx: Context,
        *,
        branch_name: str = "",
        username: str = "",
        hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SignInDialog")
        self.ctx = ctx
        self.actor: Actor | None = None
        self.setWindowTitle(_("Sign in"))
        self.setMinimumWidth(380)

        layout = QVBoxLayout(self)
        title = QLabel(branch_name or _("POS After-Sales Workstation"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)

        self.username_edit = QLineEdit(username)
        self.username_edit.setObjectName("usernameEdit")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)

        self.error_label = QLabel()
        self.error_label.setObjectName("signInError")
        self.errors = FormErrors(self.error_label)
        form = QFormLayout()
        form.addRow(_("User name"), self.errors.field("username", self.username_edit))
        form.addRow(_("Password"), self.errors.field("password", self.password_edit))
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setObjectName("demoHint")
            hint_label.setWordWrap(True)
            layout.addWidget(hint_label)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_in_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(_("Sign in"))
        self.sign_in_button.setObjectName("signInButton")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("cancelButton")
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password_edit if username else self.username_edit).setFocus()

    def try_sign_in(self) -> None:
        self.errors.clear()
        try:
            self.actor = auth.sign_in(
                self.ctx, self.username_edit.text(), self.password_edit.text()
            )
        except ValidationError as exc:
            self.errors.show(exc)
            return
        except AppError as exc:
            self.errors.show_message(str(exc))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        self.accept()
