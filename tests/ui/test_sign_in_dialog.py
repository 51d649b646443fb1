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


def test_the_language_is_chosen_before_signing_in(qtbot: QtBot, admin_ctx: Context) -> None:
    from app import i18n

    chosen: list[str] = []

    def switch(code: str) -> None:
        chosen.append(code)
        i18n.set_language(code)

    dialog = SignInDialog(admin_ctx.as_user(None), username="admin", on_language=switch)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password_edit.setText("wrong-one1")
    dialog.sign_in_button.click()
    assert "wrong" in dialog.error_label.text()
    assert dialog.sign_in_button.text() == "Sign in"

    combo = dialog.language_combo
    combo.setCurrentIndex(combo.findData("zh_CN"))
    assert chosen == ["zh_CN"]
    assert dialog.windowTitle() == "登录"
    assert dialog.sign_in_button.text() == "登录"
    assert dialog.title_label.text() == "POS 售后服务工作站"
    assert (dialog.username_label.text(), dialog.password_label.text()) == ("用户名", "密码")
    assert dialog.form.labelForField(dialog.username_edit.parentWidget()) is dialog.username_label
    assert dialog.error_label.isHidden()  # the English sentence is gone, not left half-translated
    assert dialog.username_edit.text() == "admin"  # what was typed stays

    dialog.password_edit.setText(ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        dialog.sign_in_button.click()
    assert dialog.actor is not None


def test_the_language_list_names_each_language_in_itself(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    names = [dialog.language_combo.itemText(i) for i in range(dialog.language_combo.count())]
    assert names == ["简体中文", "English"]
    assert dialog.language_combo.currentData() == "en"
