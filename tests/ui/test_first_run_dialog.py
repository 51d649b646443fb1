"""The first-run dialog creates the branch and the first administrator."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.context import Context
from app.db import Database
from app.services import auth, setup
from ui.auth.first_run_dialog import FirstRunDialog


def _fill(dialog: FirstRunDialog, *, password: str = "Admin2026pos", repeat: str | None = None) -> None:
    dialog.code_edit.setText("SZ01")
    dialog.name_edit.setText("深圳南山服务网点")
    dialog.address_edit.setText("深圳市南山区科技园")
    dialog.phone_edit.setText("0755 2688 1234")
    dialog.username_edit.setText("wangfang")
    dialog.display_name_edit.setText("王芳")
    dialog.password_edit.setText(password)
    dialog.repeat_edit.setText(password if repeat is None else repeat)


def test_creates_branch_and_admin(qtbot: QtBot, db: Database) -> None:
    ctx = Context(db=db)
    dialog = FirstRunDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(dialog)
    with qtbot.waitSignal(dialog.accepted):
        dialog.create()
    assert not setup.needs_first_run(ctx)
    assert auth.sign_in(ctx, "wangfang", "Admin2026pos").role == "admin"


def test_errors_show_at_the_fields_and_input_is_kept(qtbot: QtBot, db: Database) -> None:
    dialog = FirstRunDialog(Context(db=db))
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(dialog, password="short")
    dialog.phone_edit.setText("12345")
    dialog.create()
    assert dialog.isVisible()
    assert "8 characters" in dialog.errors.message("password")
    assert dialog.errors.message("phone")
    assert dialog.phone_edit.text() == "12345"
    assert dialog.name_edit.text() == "深圳南山服务网点"
    assert setup.needs_first_run(Context(db=db))


def test_password_repeat_must_match(qtbot: QtBot, db: Database) -> None:
    dialog = FirstRunDialog(Context(db=db))
    qtbot.addWidget(dialog)
    _fill(dialog, repeat="Admin2026pox")
    dialog.create()
    assert dialog.errors.message("repeat")
