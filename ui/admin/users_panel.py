"""Administration > Users: create, edit, reset passwords, deactivate."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError
from app.i18n import _
from app.models.user import UserRead
from app.rules.permissions import Action, allowed
from app.services import users
from ui.admin.reset_password_dialog import ResetPasswordDialog
from ui.admin.user_dialog import UserDialog
from ui.admin.user_table_model import user_table_model
from ui.shared import dialogs


class UsersPanel(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("UsersPanel")
        self.ctx = ctx
        self.model = user_table_model(self._fetch)
        self.table = QTableView()
        self.table.setObjectName("userTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self.edit_user)

        self.new_button = self._button("newUserButton", _("New user…"), self.new_user)
        self.edit_button = self._button("editUserButton", _("Edit…"), self.edit_user)
        self.reset_button = self._button(
            "resetPasswordButton", _("Reset password…"), self.reset_password
        )
        self.deactivate_button = self._button("deactivateButton", _("Deactivate"), self.deactivate)
        self.reactivate_button = self._button("reactivateButton", _("Reactivate"), self.reactivate)
        can_manage = self.ctx.user is not None and allowed(self.ctx.user.role, Action.USERS_MANAGE)
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.edit_button,
            self.reset_button,
            self.deactivate_button,
            self.reactivate_button,
        ):
            button.setVisible(can_manage)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.reload()
        self._update_buttons()

    def _button(self, name: str, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _fetch(self, offset: int, limit: int) -> tuple[list[UserRead], int]:
        rows = users.list_users(self.ctx)
        return rows[offset : offset + limit], len(rows)

    def selected_user(self) -> UserRead | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def select_username(self, username: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.row_object(row).username == username:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        user = self.selected_user()
        for button in (self.edit_button, self.reset_button):
            button.setEnabled(user is not None)
        self.deactivate_button.setEnabled(user is not None and user.is_active)
        self.reactivate_button.setEnabled(user is not None and not user.is_active)

    def _refresh(self, keep: str | None = None) -> None:
        self.model.reload()
        if keep:
            self.select_username(keep)
        self._update_buttons()

    def new_user(self) -> None:
        dialog = UserDialog(self.ctx, parent=self)
        if dialog.exec() and dialog.result_user:
            self._refresh(dialog.result_user.username)

    def edit_user(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        dialog = UserDialog(self.ctx, user, parent=self)
        if dialog.exec():
            self._refresh(user.username)

    def reset_password(self) -> None:
        user = self.selected_user()
        if user is not None and ResetPasswordDialog(self.ctx, user, parent=self).exec():
            message = _("{name} must choose a new password at the next sign-in.")
            dialogs.info(self, _("Password reset"), message.format(name=user.display_name))
            self._refresh(user.username)

    def deactivate(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        question = _("Deactivate {name}? They can no longer sign in; their records stay.").format(
            name=user.display_name
        )
        if not dialogs.confirm(self, _("Deactivate user"), question):
            return
        try:
            users.deactivate_user(self.ctx, user.id)
        except AppError as exc:
            dialogs.warn(self, _("Cannot deactivate"), str(exc))
            return
        self._refresh(user.username)

    def reactivate(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        try:
            users.reactivate_user(self.ctx, user.id)
        except AppError as exc:
            dialogs.warn(self, _("Cannot reactivate"), str(exc))
            return
        self._refresh(user.username)
