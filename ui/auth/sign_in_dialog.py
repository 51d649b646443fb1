"""Signing in with user name and password, in the language the person reads.

The language can be chosen right here: a Chinese office PC may run an English Windows, and the
person should not have to sign in before finding the setting.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from app import i18n
from app.context import Context
from app.errors import ValidationError
from app.i18n import _
from app.models.user import Actor
from app.services import auth
from ui.shared.form_dialog import FormDialog, line_edit
from ui.shared.widgets import select_data


class SignInDialog(FormDialog):
    def __init__(
        self,
        ctx: Context,
        *,
        branch_name: str = "",
        username: str = "",
        hint: str | Callable[[], str] = "",
        notice: str = "",
        on_language: Callable[[str], None] | None = None,
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
        self._branch_name = branch_name
        self._hint = hint
        self._on_language = on_language or i18n.set_language
        self.setMinimumWidth(380)

        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        # Language names are written in their own language, so either reader finds theirs.
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        for code, name in i18n.LANGUAGES.items():
            self.language_combo.addItem(name, code)
        select_data(self.language_combo, i18n.current_language())
        self.language_combo.currentIndexChanged.connect(self._language_chosen)
        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addWidget(self.language_combo)
        self.main_layout.addLayout(top)

        self.username_edit = line_edit("usernameEdit", username)
        self.password_edit = line_edit("passwordEdit", password=True)
        self.username_label = QLabel()
        self.password_label = QLabel()
        self.form = QFormLayout()
        self.form.addRow(self.username_label, self.errors.field("username", self.username_edit))
        self.form.addRow(self.password_label, self.errors.field("password", self.password_edit))
        self.main_layout.addLayout(self.form)
        self.hint_label = QLabel()
        self.hint_label.setObjectName("demoHint")
        self.hint_label.setWordWrap(True)
        self.main_layout.addWidget(self.hint_label)
        self.sign_in_button = self.finish("", "signInButton")
        self.retranslate()
        (self.password_edit if username else self.username_edit).setFocus()

    def retranslate(self) -> None:
        """Say everything again in the current language; what was typed stays."""
        self.setWindowTitle(_("Sign in"))
        self.title_label.setText(self._branch_name or _("POS After-Sales Workstation"))
        self.username_label.setText(_("User name"))
        self.password_label.setText(_("Password"))
        hint = self._hint() if callable(self._hint) else self._hint
        self.hint_label.setText(hint)
        self.hint_label.setVisible(bool(hint))
        self.sign_in_button.setText(_("Sign in"))
        buttons = self.sign_in_button.parent()
        if isinstance(buttons, QDialogButtonBox):
            cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
            cancel.setText(QCoreApplication.translate("QPlatformTheme", "Cancel"))
        self.language_combo.setToolTip(_("Language"))

    def _language_chosen(self, _index: int) -> None:
        code = self.language_combo.currentData()
        if not code or code == i18n.current_language():
            return
        self._on_language(code)
        self.errors.clear()  # a sentence in the other language would only confuse
        self.retranslate()

    def save(self) -> None:
        self.try_sign_in()

    def try_sign_in(self) -> None:
        username, password = self.username_edit.text(), self.password_edit.text()
        self.actor = self.submit(lambda: auth.sign_in(self.ctx, username, password))
        if self.actor is None and not isinstance(self.last_error, ValidationError):
            self.password_edit.clear()  # a refused password is typed again, the name stays
            self.password_edit.setFocus()
