"""Start-up as a person meets it: first run, sign-in, forced password change, main window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app import settings
from app.context import Context
from app.db import Database
from app.errors import Conflict
from app.models.user import Role, UserUpdate
from app.services import users
from tests.conftest import USER_PASSWORD, make_admin, make_user
from tests.ui.conftest import DialogRecorder
from ui import app as gui
from ui.auth.change_password_dialog import ChangePasswordDialog
from ui.auth.first_run_dialog import FirstRunDialog
from ui.auth.sign_in_dialog import SignInDialog
from ui.shared import crash


def _when_modal(qtbot: QtBot, kind: type[QDialog], act: Callable[[QDialog], None]) -> None:
    """Act on the next modal dialog of `kind` once it is shown (exec() blocks the test)."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            qtbot.addWidget(dialog)
            act(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def test_first_start_creates_branch_and_admin_then_signs_in(qtbot: QtBot, db: Database) -> None:
    station = gui.Workstation(db)

    def fill_first_run(dialog: QDialog) -> None:
        assert isinstance(dialog, FirstRunDialog)
        dialog.code_edit.setText("SZ01")
        dialog.name_edit.setText("深圳南山服务网点")
        dialog.username_edit.setText("wangfang")
        dialog.display_name_edit.setText("王芳")
        dialog.password_edit.setText("Admin2026pos")
        dialog.repeat_edit.setText("Admin2026pos")
        dialog.create()

    _when_modal(qtbot, FirstRunDialog, fill_first_run)
    assert station.first_run_if_needed()

    def fill_sign_in(dialog: QDialog) -> None:
        assert isinstance(dialog, SignInDialog)
        dialog.username_edit.setText("wangfang")
        dialog.password_edit.setText("Admin2026pos")
        dialog.sign_in_button.click()

    _when_modal(qtbot, SignInDialog, fill_sign_in)
    assert station.sign_in()
    window = station.open_main_window()
    qtbot.addWidget(window)
    assert "深圳南山服务网点" in window.windowTitle()
    assert settings.get("last_username") == "wangfang"


def test_cancelled_first_run_stops(qtbot: QtBot, db: Database) -> None:
    _when_modal(qtbot, FirstRunDialog, lambda d: d.reject())
    assert not gui.Workstation(db).first_run_if_needed()


def test_reset_password_is_changed_before_the_main_window(qtbot: QtBot, db: Database) -> None:
    admin_ctx = make_admin(db)
    clerk = make_user(admin_ctx, "clerk1", Role.CLERK)
    assert clerk.id is not None
    users.reset_password(admin_ctx, clerk.id, "Temp2026abc")
    settings.put("last_username", "clerk1")
    station = gui.Workstation(db)

    def fill_sign_in(dialog: QDialog) -> None:
        assert isinstance(dialog, SignInDialog)
        assert dialog.username_edit.text() == "clerk1"  # remembered from last time
        dialog.password_edit.setText("Temp2026abc")
        _when_modal(qtbot, ChangePasswordDialog, fill_change)
        dialog.sign_in_button.click()

    def fill_change(dialog: QDialog) -> None:
        assert isinstance(dialog, ChangePasswordDialog)
        dialog.old_edit.setText("Temp2026abc")
        dialog.new_edit.setText("Mine2026pass")
        dialog.repeat_edit.setText("Mine2026pass")
        dialog.save()

    _when_modal(qtbot, SignInDialog, fill_sign_in)
    assert station.sign_in()
    assert USER_PASSWORD


def test_demo_database_shows_the_demo_password_on_sign_in(qtbot: QtBot, tmp_path: Path) -> None:
    from app.services import maintenance

    db = maintenance.open_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}", demo=True)
    hint = gui.demo_hint(Context(db=db))
    assert "admin" in hint and "password" in hint
    dialog = SignInDialog(Context(db=db), hint=hint)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QWidget, "demoHint") is not None
    db.dispose()


def test_unexpected_error_shows_a_reference_and_logs_the_traceback(
    note_dialogs: DialogRecorder, caplog: logging.LogCaptureFixture
) -> None:
    try:
        raise RuntimeError("disk on fire")
    except RuntimeError as exc:
        reference = crash.handle_exception(type(exc), exc, exc.__traceback__)
    kind, _title, text = note_dialogs.shown[-1]
    assert kind == "error" and reference in text and "Traceback" not in text
    assert any(r.exc_info and "disk on fire" in str(r.exc_info[1]) for r in caplog.records)
    assert reference in caplog.text


def test_a_project_error_reaching_the_handler_is_shown_as_its_sentence(
    note_dialogs: DialogRecorder,
) -> None:
    exc = Conflict("Someone else saved first.")
    assert crash.handle_exception(Conflict, exc, None) == ""
    assert note_dialogs.shown[-1] == ("warn", "Cannot do this", "Someone else saved first.")


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_reaches_the_crash_dialog_and_the_window_lives_on(
    qtbot: QtBot, note_dialogs: DialogRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    crash.install()
    button = QPushButton("break")
    qtbot.addWidget(button)
    button.clicked.connect(lambda: 1 / 0)
    button.click()
    assert note_dialogs.shown and note_dialogs.shown[-1][0] == "error"
    assert "Reference" in note_dialogs.shown[-1][2]
    button.click()  # still there, still answering
    assert len(note_dialogs.shown) == 2


def _signed_in_station(qtbot: QtBot, db: Database, username: str, password: str) -> gui.Workstation:
    station = gui.Workstation(db)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SignInDialog)
        dialog.username_edit.setText(username)
        dialog.password_edit.setText(password)
        dialog.sign_in_button.click()

    _when_modal(qtbot, SignInDialog, fill)
    assert station.sign_in()
    station.open_main_window()  # signing out deletes it: the test hands the last window to qtbot
    return station


def test_a_deactivated_user_is_signed_out_with_the_reason(
    qtbot: QtBot, db: Database, note_dialogs: DialogRecorder
) -> None:
    admin_ctx = make_admin(db)
    clerk = make_user(admin_ctx, "clerk1", Role.CLERK)
    station = _signed_in_station(qtbot, db, "clerk1", USER_PASSWORD)
    old_window = station.window
    assert old_window is not None and old_window.isVisible()
    assert clerk.id is not None
    users.deactivate_user(admin_ctx, clerk.id)
    notices: list[str] = []

    def sign_in_as_admin(dialog: QDialog) -> None:
        assert isinstance(dialog, SignInDialog)
        notices.append(dialog.findChild(QLabel, "formNote").text())
        dialog.username_edit.setText("admin")
        dialog.password_edit.setText("Admin2026pos")
        dialog.sign_in_button.click()

    _when_modal(qtbot, SignInDialog, sign_in_as_admin)
    old_window.backup_now()  # the refusal comes back from a worker thread
    qtbot.waitUntil(lambda: station.window is not None and station.window is not old_window, timeout=10000)
    assert notices == ["Your account has been deactivated; ask an administrator."]
    assert station.ctx.user is not None and station.ctx.user.username == "admin"
    assert not old_window.isVisible()
    assert ("warn", "Backup failed", notices[0]) in note_dialogs.shown
    qtbot.addWidget(station.window)


def test_a_demoted_user_signs_in_again_and_gets_the_new_roles_window(
    qtbot: QtBot, db: Database, note_dialogs: DialogRecorder
) -> None:
    admin_ctx = make_admin(db)
    boss = make_user(admin_ctx, "boss", Role.SUPERVISOR)
    station = _signed_in_station(qtbot, db, "boss", USER_PASSWORD)
    old_window = station.window
    assert old_window is not None and boss.id is not None
    version = users.get_user(admin_ctx, boss.id).version
    users.update_user(admin_ctx, boss.id, UserUpdate(role=Role.CLERK, expected_version=version))

    def sign_in_again(dialog: QDialog) -> None:
        assert isinstance(dialog, SignInDialog)
        assert "changed your role to clerk" in dialog.findChild(QLabel, "formNote").text()
        dialog.password_edit.setText(USER_PASSWORD)  # the name is remembered
        dialog.sign_in_button.click()

    _when_modal(qtbot, SignInDialog, sign_in_again)
    old_window.open_area("customers")  # any service call on the old session
    qtbot.waitUntil(lambda: station.window is not None and station.window is not old_window, timeout=10000)
    assert station.ctx.user is not None and station.ctx.user.role == Role.CLERK
    qtbot.addWidget(station.window)
