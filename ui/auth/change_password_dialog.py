"""A user changes their own password (also forced after an administrator's reset)."""

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
from app.services import users
from ui.shared.form_errors import FormErrors


class ChangePasswordDialog(QDialog):
    def __init__(self, ctx: Context, *, forced: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ChangePasswordDialog")
        self.ctx = ctx
        self.setWindowTitle(_("Change password"))
        layout = QVBoxLayout(self)
        if forced:
            note = QLabel(_("Your password was reset. Please choose a new one now."))
            note.setWordWrap(True)
            layout.addWidget(note)
        self.old_edit = self._password_edit("oldPasswordEdit")
        self.new_edit = self._password_edit("newPasswordEdit")
        self.repeat_edit = self._password_edit("repeatPasswordEdit")
        general = QLabel()
        self.errors = FormErrors(general)
        form = QFormLayout()
        form.addRow(_("Current password"), self.errors.field("old_password", self.old_edit))
        form.addRow(_("New password"), self.errors.field("new_password", self.new_edit))
        form.addRow(_("Repeat new password"), self.errors.field("repeat", self.repeat_edit))
        layout.addLayout(form)
        layout.addWidget(general)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("saveButton")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _password_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def save(self) -> None:
        self.errors.clear()
        if self.new_edit.text() != self.repeat_edit.text():
            self.errors.show(ValidationError.single("repeat", _("The two passwords differ.")))
            return
        try:
            users.change_own_password(self.ctx, self.old_edit.text(), self.new_edit.text())
        except ValidationError as exc:
            self.errors.show(exc)
            return
        except AppError as exc:
            self.errors.show_message(str(exc))
            return
        self.accept()
