"""An administrator gives a user a temporary password."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QWidget

from app.context import Context
from app.i18n import _
from app.models.user import UserRead
from app.services import users
from ui.shared.form_dialog import FormDialog, line_edit


class ResetPasswordDialog(FormDialog):
    def __init__(self, ctx: Context, user: UserRead, parent: QWidget | None = None) -> None:
        super().__init__(
            object_name="ResetPasswordDialog",
            title=_("Reset password of {name}").format(name=user.display_name),
            note=_("The user must choose a new password at the next sign-in."),
            parent=parent,
        )
        self.ctx = ctx
        self.user = user
        self.password_edit = line_edit("passwordEdit", password=True)
        form = QFormLayout()
        self.add_row(form, _("Temporary password"), "password", self.password_edit)
        self.main_layout.addLayout(form)
        self.finish()

    def save(self) -> None:
        self.submit(lambda: users.reset_password(self.ctx, self.user.id, self.password_edit.text()))
