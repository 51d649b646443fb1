"""The main window: every area opens, search shortcut, language switch, status bar, backup."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QStackedWidget,
)
from pytestqt.qtbot import QtBot

from app import i18n, settings
from app.context import Context
from app.models.user import Role
from app.services import setup
from tests.conftest import make_user
from tests.ui.conftest import DialogRecorder
from ui import app as gui
from ui.main_window import AREAS, MainWindow
from ui.shared.placeholder_page import PlaceholderPage


@pytest.fixture
def window(qtbot: QtBot, admin_ctx: Context) -> MainWindow:
    win = MainWindow(admin_ctx, setup.current_branch(admin_ctx), on_language=gui.switch_language)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_every_navigation_entry_opens_its_page(window: MainWindow) -> None:
    nav = window.findChild(QListWidget, "navigation")
    pages = window.findChild(QStackedWidget, "pages")
    assert nav.count() == len(AREAS) == 10
    for row in range(nav.count()):
        nav.setCurrentRow(row)
        page = pages.currentWidget()
        assert page.property("area") == AREAS[row][0]
        assert page.isVisible()
    assert window.page_by_area["tickets"].objectName() == "ticketsArea"
    assert isinstance(window.page_by_area["inspections"], PlaceholderPage)
    assert "not available yet" in window.page_by_area["inspections"].findChild(QLabel, "placeholderText").text()
    window.open_area("administration")
    assert window.page_by_area["administration"].objectName() == "AdminPage"


def test_ctrl_k_focuses_the_global_search(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.navigation.setFocus()
    search = window.findChild(QLineEdit, "globalSearch")
    search.setText("old text")
    qtbot.keyClick(window.navigation, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(search.hasFocus)
    assert search.selectedText() == "old text"


def test_status_bar_shows_user_role_branch_and_database(window: MainWindow, admin_ctx: Context) -> None:
    texts = {name: window.findChild(QLabel, name).text() for name in ("userLabel", "roleLabel", "branchLabel", "databaseLabel")}
    assert "王芳" in texts["userLabel"]
    assert "administrator" in texts["roleLabel"]
    assert "SZ01" in texts["branchLabel"]
    assert str(admin_ctx.db.path) in texts["databaseLabel"]


def test_language_switch_changes_visible_text_and_is_remembered(window: MainWindow) -> None:
    nav = window.findChild(QListWidget, "navigation")
    window.open_area("devices")
    assert nav.item(0).text() == "Dashboard"
    window.language_actions["zh_CN"].trigger()
    nav = window.findChild(QListWidget, "navigation")
    assert nav.item(0).text() == "仪表盘"
    assert window.current_area() == "devices"
    assert "管理员" in window.findChild(QLabel, "roleLabel").text()
    assert settings.get("language") == "zh_CN"
    assert i18n.current_language() == "zh_CN"
    # Qt's own dialogs follow: the translator for qtbase is installed.
    assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"
    window.language_actions["en"].trigger()
    assert window.findChild(QListWidget, "navigation").item(0).text() == "Dashboard"
    assert QApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_backup_now_writes_a_backup_in_the_background(
    qtbot: QtBot, window: MainWindow, note_dialogs: DialogRecorder, home: Path
) -> None:
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: bool(note_dialogs.shown), timeout=10000)
    kind, _title, text = note_dialogs.shown[0]
    assert kind == "info"
    backups = list((home / "backups").glob("aftersales-*.sqlite3"))
    assert len(backups) == 1 and str(backups[0]) in text
    assert window.backup_action.isEnabled()


def test_technician_sees_no_user_administration(qtbot: QtBot, admin_ctx: Context) -> None:
    tech = make_user(admin_ctx, "tech1", Role.TECHNICIAN)
    win = MainWindow(admin_ctx.as_user(tech), setup.current_branch(admin_ctx))
    qtbot.addWidget(win)
    admin_page = win.page_by_area["administration"]
    assert admin_page.users_panel is None and admin_page.audit_panel is None


def test_about_box(window: MainWindow, note_dialogs: DialogRecorder) -> None:
    window.about_action.trigger()
    assert note_dialogs.shown[0][0] == "about"


def test_scanning_a_work_order_into_the_search_opens_the_ticket(qtbot: QtBot, window: MainWindow) -> None:
    from tests.app.services.test_tickets import Desk

    ticket = Desk(window.ctx).open()
    search = window.findChild(QLineEdit, "globalSearch")
    search.setText(ticket.ticket_no)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_area() == "tickets", timeout=20000)
    area = window.page_by_area["tickets"]
    page = area.currentWidget()
    assert getattr(page, "ticket_id", None) == ticket.id
