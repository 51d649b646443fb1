"""Warranty > Ending soon: the three lists, the days, opening rows and exporting."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSpinBox, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.context import Context
from tests.app.services.test_imports import read_csv
from tests.app.services.test_warranty_exports import WarrantyWorld, build_world
from tests.conftest import FixedClock
from tests.ui.conftest import DialogRecorder
from ui.data import export
from ui.shared.widgets import find_data
from ui.warranty.expiring_panel import CONTRACTS, UNCOVERED, WARRANTIES, ExpiringPanel


@pytest.fixture
def world(admin_ctx: Context, clock: FixedClock) -> WarrantyWorld:
    return build_world(admin_ctx)


def _panel(qtbot: QtBot, ctx: Context) -> ExpiringPanel:
    panel = ExpiringPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _choose_list(panel: ExpiringPanel, kind: str) -> None:
    combo = panel.findChild(QComboBox, "expiringListCombo")
    combo.setCurrentIndex(find_data(combo, kind))


def _column(panel: ExpiringPanel, column: int = 0) -> list[str]:
    table = panel.findChild(QTableView, "expiringTable")
    model = table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def _count(panel: ExpiringPanel) -> str:
    return panel.findChild(QLabel, "expiringCountLabel").text()


def test_warranties_ending_soon_and_the_days(qtbot: QtBot, admin_ctx: Context, world: WarrantyWorld) -> None:
    panel = _panel(qtbot, admin_ctx)
    assert panel.objectName() == "expiringPanel"
    spin = panel.findChild(QSpinBox, "expiringDaysSpin")
    assert (spin.value(), spin.minimum(), spin.maximum()) == (30, 1, 365)
    assert _column(panel) == ["NL0010"]
    assert _count(panel) == "1 terminal"
    assert _column(panel, 7) == ["10 days"]
    spin.setValue(100)
    assert _column(panel) == ["NL0010", "NL0100"]
    assert _count(panel) == "2 terminals"
    spin.setValue(5)
    assert _column(panel) == []
    assert panel.findChild(QLabel, "expiringEmptyLabel").isVisible()
    assert not panel.findChild(QTableView, "expiringTable").isVisible()


def test_contracts_ending_soon(qtbot: QtBot, admin_ctx: Context, world: WarrantyWorld) -> None:
    panel = _panel(qtbot, admin_ctx)
    _choose_list(panel, CONTRACTS)
    assert panel.findChild(QSpinBox, "expiringDaysSpin").isVisible()
    assert _column(panel) == [world.soon.contract_no]  # the draft ending sooner is not listed
    assert _count(panel) == "1 contract"
    panel.findChild(QSpinBox, "expiringDaysSpin").setValue(365)
    assert _column(panel) == [world.soon.contract_no, world.later.contract_no]
    assert _column(panel, 7) == ["1", "all"]


def test_terminals_not_covered(qtbot: QtBot, admin_ctx: Context, world: WarrantyWorld) -> None:
    panel = _panel(qtbot, admin_ctx)
    _choose_list(panel, UNCOVERED)
    assert not panel.findChild(QSpinBox, "expiringDaysSpin").isVisible()
    assert sorted(_column(panel)) == ["NL9001", "NL9003"]
    assert _count(panel) == "2 terminals"


def test_opening_rows(qtbot: QtBot, admin_ctx: Context, world: WarrantyWorld) -> None:
    panel = _panel(qtbot, admin_ctx)
    table = panel.findChild(QTableView, "expiringTable")
    open_button = panel.findChild(QPushButton, "openExpiringButton")
    merchant_button = panel.findChild(QPushButton, "openExpiringMerchantButton")
    assert not open_button.isEnabled() and not merchant_button.isEnabled()
    with qtbot.waitSignal(panel.terminalOpened) as opened:
        table.activated.emit(table.model().index(0, 0))
    assert opened.args == [world.ends_in_10.id]
    table.selectRow(0)
    assert open_button.isEnabled() and merchant_button.isEnabled()
    with qtbot.waitSignal(panel.merchantOpened) as merchant:
        merchant_button.click()
    assert merchant.args == [world.ends_in_10.merchant_id]

    _choose_list(panel, CONTRACTS)
    assert not open_button.isEnabled()  # a new list, nothing chosen yet
    table.selectRow(0)
    with qtbot.waitSignal(panel.contractOpened) as contract:
        open_button.click()
    assert contract.args == [world.soon.id]
    with qtbot.waitSignal(panel.contractOpened):
        table.activated.emit(table.model().index(0, 1))


def test_export_writes_the_list_shown(
    qtbot: QtBot,
    admin_ctx: Context,
    world: WarrantyWorld,
    tmp_path: Path,
    note_dialogs: DialogRecorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = _panel(qtbot, admin_ctx)
    asked: list[str] = []
    out = tmp_path / "list.csv"

    def ask(_parent: object, suggested: str) -> Path:
        asked.append(suggested)
        return out

    monkeypatch.setattr(export, "ask_save_path", ask)
    panel.findChild(QSpinBox, "expiringDaysSpin").setValue(100)
    button = panel.findChild(QPushButton, "exportExpiringButton")
    button.click()
    qtbot.waitUntil(lambda: bool(note_dialogs.shown), timeout=20000)
    assert asked[0].startswith("warranties-ending-") and asked[0].endswith(".xlsx")
    assert note_dialogs.shown == [("info", "Export", f"2 rows written to {out}.")]
    assert [r[0] for r in read_csv(out)[1:]] == ["NL0010", "NL0100"]
    assert button.isEnabled()

    _choose_list(panel, CONTRACTS)
    button.click()
    qtbot.waitUntil(lambda: len(note_dialogs.shown) == 2, timeout=20000)
    assert [r[0] for r in read_csv(out)[1:]] == [world.soon.contract_no]

    _choose_list(panel, UNCOVERED)
    out = tmp_path / "uncovered.xlsx"
    button.click()
    qtbot.waitUntil(lambda: len(note_dialogs.shown) == 3, timeout=20000)
    assert note_dialogs.shown[2] == ("info", "Export", f"2 rows written to {out}.")
    assert out.exists()

    monkeypatch.setattr(export, "ask_save_path", lambda _p, _s: tmp_path / "bad.pdf")
    button.click()
    qtbot.waitUntil(lambda: len(note_dialogs.shown) == 4, timeout=20000)
    assert note_dialogs.shown[3][0] == "warn"

    monkeypatch.setattr(export, "ask_save_path", lambda _p, _s: None)
    button.click()  # cancelled: nothing happens
    assert len(note_dialogs.shown) == 4


def test_the_lists_pass_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, admin_ctx: Context, world: WarrantyWorld
) -> None:
    panel = _panel(qtbot, admin_ctx)
    panel.findChild(QSpinBox, "expiringDaysSpin").setValue(365)
    for kind in (WARRANTIES, CONTRACTS, UNCOVERED):
        _choose_list(panel, kind)
        model = panel.current_model()
        assert model.rowCount() == 2
        assert model.index(0, 0).parent() == QModelIndex()
        qtmodeltester.check(model)
