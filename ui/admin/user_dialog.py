"""Create a user, or change a user's name and role."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from app.context import Context
from app.i18n import _
from app.models.user import Role, UserCreate, UserRead, UserUpdate
from app.rules.accounts import check_repeat
from app.rules.permissions import role_label
from app.services import users
from ui.shared.form_dialog import FormDialog, line_edit


class UserDialog(FormDialog):
    """New user when `user` is None, otherwise an edit of that user."""

    def __init__(self, ctx: Context, user: UserRead | None = None, parent: QWidget | None = None) -> None:
        super().__init__(
            object_name="UserDialog",
            title=_("New user") if user is None else _("Edit user"),
            error_name="userDialogError",
            parent=parent,
        )
        self.ctx = ctx
        self.user = user
        self.result_user: UserRead | None = None
        self.username_edit = line_edit("usernameEdit", user.username if user else "")
        self.username_edit.setReadOnly(user is not None)
        self.name_edit = line_edit("displayNameEdit", user.display_name if user else "")
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("roleCombo")
        for role in Role:
            self.role_combo.addItem(role_label(role), role.value)
        current = user.role if user else Role.CLERK
        self.role_combo.setCurrentIndex(self.role_combo.findData(Role(current).value))
        self.password_edit = line_edit("passwordEdit", password=True)
        self.repeat_edit = line_edit("repeatPasswordEdit", password=True)
        form = QFormLayout()
        self.add_row(form, _("User name"), "username", self.username_edit)
        self.add_row(form, _("Name"), "display_name", self.name_edit)
        self.add_row(form, _("Role"), "role", self.role_combo)
        if user is None:
            self.add_row(form, _("Password"), "password", self.password_edit)
            self.add_row(form, _("Repeat password"), "repeat", self.repeat_edit)
        self.main_layout.addLayout(form)
        self.finish()

    def save(self) -> None:
        role = Role(self.role_combo.currentData())
        user = self.user

        def create() -> UserRead:
            check_repeat(self.password_edit.text(), self.repeat_edit.text())
            data = UserCreate(
                username=self.username_edit.text(),
                display_name=self.name_edit.text(),
                role=role,
                password=self.password_edit.text(),
            )
            return users.create_user(self.ctx, data)

        def update(existing: UserRead) -> UserRead:
            data = UserUpdate(
                display_name=self.name_edit.text(), role=role, expected_version=existing.version
            )
            return users.update_user(self.ctx, existing.id, data)

        self.result_user = self.submit(create if user is None else lambda: update(user))
