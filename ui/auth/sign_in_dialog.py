"""Signing in with user name and password."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from app.context import Context
from app.errors import ValidationError
from app.i18n import _
from app.models.user import Actor
from app.services import auth
from ui.shared.form_dialog import FormDialog, line_edit


class SignInDialog(FormDialog):
    def __init__(
        self,
        ctx: Context,
        *,
        branch_name: str = "",
        username: str = "",
        hint: str = "",
        notice: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """`notice` says why the person was signed out, above the fields."""
        super().__init__(
            object_name="SignInDialog",
            title=_("Sign in"),
            note=notice,
            error_name="signInError",
            parent=parent,
        )
        self.ctx = ctx
        self.actor: Actor | None = None
        self.setMinimumWidth(380)
        title = QLabel(branch_name or _("POS After-Sales Workstation"))
        title.setObjectName("pageTitle")
        self.main_layout.addWidget(title)
        self.username_edit = line_edit("usernameEdit", username)
        self.password_edit = line_edit("passwordEdit", password=True)
        form = QFormLayout()
        self.add_row(form, _("User name"), "username", self.username_edit)
        self.add_row(form, _("Password"), "password", self.password_edit)
        self.main_layout.addLayout(form)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setObjectName("demoHint")
            hint_label.setWordWrap(True)
            self.main_layout.addWidget(hint_label)
        self.sign_in_button = self.finish(_("Sign in"), "signInButton")
        (self.password_edit if username else self.username_edit).setFocus()

    def save(self) -> None:
        self.try_sign_in()

    def try_sign_in(self) -> None:
        username, password = self.username_edit.text(), self.password_edit.text()
        self.actor = self.submit(lambda: auth.sign_in(self.ctx, username, password))
        if self.actor is None and not isinstance(self.last_error, ValidationError):
            self.password_edit.clear()  # a refused password is typed again, the name stays
            self.password_edit.setFocus()
