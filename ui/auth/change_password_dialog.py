"""A user changes their own password (also forced after an administrator's reset)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QWidget

from app.context import Context
from app.i18n import _
from app.rules.accounts import check_repeat
from app.services import users
from ui.shared.form_dialog import FormDialog, line_edit


class ChangePasswordDialog(FormDialog):
    def __init__(self, ctx: Context, *, forced: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(
            object_name="ChangePasswordDialog",
            title=_("Change password"),
            note=_("Your password was reset. Please choose a new one now.") if forced else "",
            parent=parent,
        )
        self.ctx = ctx
        self.old_edit = line_edit("oldPasswordEdit", password=True)
        self.new_edit = line_edit("newPasswordEdit", password=True)
        self.repeat_edit = line_edit("repeatPasswordEdit", password=True)
        form = QFormLayout()
        self.add_row(form, _("Current password"), "old_password", self.old_edit)
        self.add_row(form, _("New password"), "new_password", self.new_edit)
        self.add_row(form, _("Repeat new password"), "repeat", self.repeat_edit)
        self.main_layout.addLayout(form)
        self.finish()

    def save(self) -> None:
        def change() -> None:
            check_repeat(self.new_edit.text(), self.repeat_edit.text())
            users.change_own_password(self.ctx, self.old_edit.text(), self.new_edit.text())

        self.submit(change)
