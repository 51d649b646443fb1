"""Signing in as a person does: type, click, read the message."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.context import Context
from app.models.user import Role
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, make_user
from ui.auth.sign_in_dialog import SignInDialog


def _dialog(qtbot: QtBot, ctx: Context, username: str = "") -> SignInDialog:
    dialog = SignInDialog(ctx.as_user(None), username=username)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_right_password_accepts(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    dialog.username_edit.setText("admin")
    dialog.password_edit.setText(ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        dialog.sign_in_button.click()
    assert dialog.actor is not None and dialog.actor.username == "admin"


def test_wrong_password_shows_sentence_and_keeps_username(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    dialog.username_edit.setText("admin")
    dialog.password_edit.setText("wrong-one1")
    dialog.sign_in_button.click()
    assert dialog.isVisible() and dialog.actor is None
    assert "wrong" in dialog.error_label.text()
    assert dialog.username_edit.text() == "admin"
    assert dialog.password_edit.text() == ""


def test_lockout_after_five_wrong_passwords(qtbot: QtBot, admin_ctx: Context) -> None:
    make_user(admin_ctx, "clerk1", Role.CLERK)
    dialog = _dialog(qtbot, admin_ctx, username="clerk1")
    for _ in range(5):
        dialog.password_edit.setText("wrong-one1")
        dialog.sign_in_button.click()
    assert "locked" in dialog.error_label.text()
    dialog.password_edit.setText(USER_PASSWORD)
    dialog.sign_in_button.click()
    assert dialog.actor is None and "locked" in dialog.error_label.text()


def test_empty_username_marks_the_field(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    dialog.password_edit.setText("x")
    dialog.sign_in_button.click()
    assert dialog.errors.message("username")
    assert dialog.username_edit.property("invalid") is True
