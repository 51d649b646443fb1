"""The global search popup: debounced results grouped by kind, keys on the line edit, scanners."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QListWidget, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.context import Context
from app.models.catalogue import DeviceModelCreate
from app.models.merchant import MerchantCreate
from app.models.terminal import TerminalCreate
from app.services import catalogue, merchants, terminals
from ui.search.search_popup import SearchPopup, attach_search


@dataclass
class Screen:
    window: QWidget
    box: QLineEdit
    popup: SearchPopup
    results: QListWidget
    zhang: uuid.UUID
    terminals: list[uuid.UUID]


@pytest.fixture
def screen(qtbot: QtBot, admin_ctx: Context) -> Screen:
    zhang = merchants.create_merchant(
        admin_ctx,
        MerchantCreate(merchant_no="822584053990001", legal_name="深圳市南山区张记商行", shop_name="张三便利店", mobile="13800138000"),
    )
    model_id = catalogue.create_device_model(admin_ctx, DeviceModelCreate(brand="新大陆", model="N910")).id
    ids = [
        terminals.create_terminal(
            admin_ctx, TerminalCreate(serial_no=f"NL000000000{i}", terminal_no=f"1000000{i}", model_id=model_id)
        ).id
        for i in range(1, 4)
    ]
    window = QWidget()
    window.setObjectName("testWindow")
    box = QLineEdit(window)
    box.setObjectName("globalSearch")
    QVBoxLayout(window).addWidget(box)
    qtbot.addWidget(window)
    popup = attach_search(box, admin_ctx, window)
    window.show()
    qtbot.waitExposed(window)
    box.setFocus()
    results = popup.findChild(QListWidget, "searchResults")
    assert popup.objectName() == "searchPopup" and results is not None
    return Screen(window, box, popup, results, zhang.id, ids)


def _texts(results: QListWidget) -> list[str]:
    return [results.item(i).text() for i in range(results.count())]


def test_typing_shows_results_grouped_by_kind(qtbot: QtBot, screen: Screen) -> None:
    screen.box.setText("1000000")
    qtbot.waitUntil(screen.popup.isVisible, timeout=20000)
    texts = _texts(screen.results)
    assert texts[0] == "Terminals"
    assert [t.split()[0] for t in texts[1:]] == ["NL0000000001", "NL0000000002", "NL0000000003"]
    heading = screen.results.item(0)
    assert heading.font().bold() and not heading.flags() & Qt.ItemFlag.ItemIsSelectable
    assert screen.box.hasFocus() or QApplication.focusWidget() in (screen.box, None)
    assert QApplication.focusWidget() is not screen.results

    screen.box.setText("张三")
    qtbot.waitUntil(lambda: _texts(screen.results)[:1] == ["Merchants"], timeout=20000)
    assert _texts(screen.results)[1].startswith("张三便利店")


def test_typing_is_debounced(qtbot: QtBot, screen: Screen, monkeypatch: pytest.MonkeyPatch) -> None:
    searched: list[str] = []
    real = screen.popup.run_search

    def counting() -> None:
        searched.append(screen.box.text())
        real()

    monkeypatch.setattr(screen.popup, "run_search", counting)
    screen.popup.timer.timeout.disconnect()
    screen.popup.timer.timeout.connect(counting)
    for text in ("z", "zh", "zha", "zhan", "zhang"):
        screen.box.setText(text)
    qtbot.waitUntil(screen.popup.isVisible, timeout=20000)
    assert searched == ["zhang"]


def test_down_and_enter_open_the_chosen_terminal(qtbot: QtBot, screen: Screen) -> None:
    screen.box.setText("NL000")
    qtbot.waitUntil(screen.popup.isVisible, timeout=20000)
    qtbot.keyClick(screen.box, Qt.Key.Key_Down)
    qtbot.keyClick(screen.box, Qt.Key.Key_Down)
    assert screen.results.currentItem().text().startswith("NL0000000002")
    qtbot.keyClick(screen.box, Qt.Key.Key_Up)
    qtbot.keyClick(screen.box, Qt.Key.Key_Up)  # stays on the first hit, never on the heading
    qtbot.keyClick(screen.box, Qt.Key.Key_Down)
    with qtbot.waitSignal(screen.popup.terminalChosen, timeout=2000) as chosen:
        qtbot.keyClick(screen.box, Qt.Key.Key_Return)
    assert chosen.args == [screen.terminals[1]]
    assert not screen.popup.isVisible()


def test_enter_opens_a_merchant(qtbot: QtBot, screen: Screen) -> None:
    screen.box.setText("zs")
    qtbot.waitUntil(screen.popup.isVisible, timeout=20000)
    with qtbot.waitSignal(screen.popup.merchantChosen, timeout=2000) as chosen:
        qtbot.keyClick(screen.box, Qt.Key.Key_Enter)
    assert chosen.args == [screen.zhang]


def test_a_scanner_lands_on_the_terminal_at_once(qtbot: QtBot, screen: Screen) -> None:
    with qtbot.waitSignal(screen.popup.terminalChosen, timeout=1000) as chosen:
        screen.box.setText("nl0000000003")
        qtbot.keyClick(screen.box, Qt.Key.Key_Return)  # before the debounce fires
    assert chosen.args == [screen.terminals[2]]
    assert not screen.popup.timer.isActive() and not screen.popup.isVisible()
    assert screen.box.selectedText() == "nl0000000003"  # the next scan replaces it


def test_escape_closes_and_clearing_hides(qtbot: QtBot, screen: Screen) -> None:
    screen.box.setText("张")
    qtbot.waitUntil(screen.popup.isVisible, timeout=20000)
    qtbot.keyClick(screen.box, Qt.Key.Key_Escape)
    assert not screen.popup.isVisible()
    qtbot.keyClick(screen.box, Qt.Key.Key_Down)  # opens the same results again
    assert screen.popup.isVisible()
    screen.box.clear()
    assert not screen.popup.isVisible()


def test_nothing_found_says_so(qtbot: QtBot, screen: Screen) -> None:
    screen.box.setText("没有这家店")
    qtbot.waitUntil(screen.popup.isVisible, timeout=20000)
    assert _texts(screen.results) == ["Nothing found for “没有这家店”."]
    assert screen.results.item(0).flags() == Qt.ItemFlag.NoItemFlags
    qtbot.keyClick(screen.box, Qt.Key.Key_Down)
    assert screen.popup.current_hit() is None


def test_clicking_a_hit_opens_it(qtbot: QtBot, screen: Screen) -> None:
    screen.box.setText("NL0000000001")
    qtbot.waitUntil(screen.popup.isVisible, timeout=20000)
    item = screen.results.item(1)
    with qtbot.waitSignal(screen.popup.terminalChosen, timeout=2000) as chosen:
        screen.results.itemClicked.emit(item)
    assert chosen.args == [screen.terminals[0]]


def test_a_scanned_work_order_opens_its_ticket(qtbot: QtBot, admin_ctx: Context) -> None:
    from tests.app.services.test_tickets import Desk

    desk = Desk(admin_ctx)
    ticket = desk.open()
    window = QWidget()
    box = QLineEdit(window)
    QVBoxLayout(window).addWidget(box)
    qtbot.addWidget(window)
    popup = attach_search(box, admin_ctx, window)
    window.show()
    qtbot.waitExposed(window)
    box.setText(ticket.ticket_no)  # the QR code on the work order, then Enter
    with qtbot.waitSignal(popup.ticketChosen, timeout=20000) as chosen:
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert chosen.args == [ticket.id]
    box.setText("wx-sz01")
    popup.run_search()
    results = popup.findChild(QListWidget, "searchResults")
    assert results is not None and _texts(results)[0] == "Repair tickets"
