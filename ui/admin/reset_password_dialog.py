"""An administrator gives a user a temporary password."""

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
from app.models.user import UserRead
from app.services import users
from ui.shared.form_errors import FormErrors


class ResetPasswordDialog(QDialog):
    """An administrator gives a user a temporary password."""

    def __init__(self, ctx: Context, user: UserRead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ResetPasswordDialog")
        self.ctx = ctx
        self.user = user
        self.setWindowTitle(_("Reset password of {name}").format(name=user.display_name))
        layout = QVBoxLayout(self)
        note = QLabel(_("The user must choose a new password at the next sign-in."))
        note.setWordWrap(True)
        layout.addWidget(note)
        general = QLabel()
        self.errors = FormErrors(general)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(_("Temporary password"), self.errors.field("password", self.password_edit))
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
        try:
            users.reset_password(self.ctx, self.user.id, self.password_edit.text())
        except ValidationError as exc:
            self.errors.show(exc)
            return
        except AppError as exc:
            self.errors.show_message(str(exc))
            return
        self.accept()
