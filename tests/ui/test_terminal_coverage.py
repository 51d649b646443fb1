"""The terminal page's coverage, and the warranty policy chosen in the model and terminal dialogs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.context import Context
from app.models.terminal import TerminalRead, TerminalUpdate
from app.models.warranty import WarrantyPolicyCreate, WarrantyPolicyUpdate
from app.services import catalogue, terminals, warranty
from tests.app.services.test_warranty_exports import TODAY, WarrantyWorld, build_world
from tests.conftest import FixedClock
from tests.ui.conftest import DialogRecorder
from ui.devices.coverage_table_model import coverage_table_model
from ui.devices.device_model_dialog import DeviceModelDialog
from ui.devices.terminal_dialog import TerminalDialog
from ui.devices.terminal_page import TerminalPage
from ui.shared.pdf_preview import PdfPreviewDialog
from ui.shared.widgets import find_data


@pytest.fixture
def world(admin_ctx: Context, clock: FixedClock) -> WarrantyWorld:
    return build_world(admin_ctx)


def _show(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _page(qtbot: QtBot, ctx: Context, terminal: TerminalRead) -> TerminalPage:
    page = TerminalPage(ctx)
    _show(qtbot, page)
    assert page.load(terminal.id)
    return page


def _text(page: QWidget, name: str) -> str:
    label = page.findChild(QLabel, name)
    assert label is not None, name
    return label.text()


def _history(page: TerminalPage) -> list[list[str]]:
    table = page.findChild(QTableView, "coverageHistoryTable")
    model = table.model()
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def _choose(combo: QComboBox, data: object) -> None:
    index = find_data(combo, data)
    assert index >= 0, f"{data!r} not in {combo.objectName()}"
    combo.setCurrentIndex(index)


def test_a_terminal_in_warranty_shows_until_when_and_its_policy(
    qtbot: QtBot, admin_ctx: Context, world: WarrantyWorld
) -> None:
    page = _page(qtbot, admin_ctx, world.ends_in_10)
    end = (TODAY + timedelta(days=10)).isoformat()
    headline = _text(page, "coverageHeadline")
    assert "In warranty" in headline and f"until {end}" in headline
    assert page.findChild(QLabel, "coverageHeadline").property("kind") == "warranty"
    assert _text(page, "coveragePolicyValue") == "标准保修一年"
    assert _text(page, "coverageWarrantyValue") == f"2025-12-01 – {end}"
    assert _text(page, "coverageContractValue") == "—"
    assert _text(page, "coverageFreeValue") == "parts, labour"
    assert end in _text(page, "coverageText")
    assert _history(page) == [["warranty", "标准保修一年", "2025-12-01", end, "in force", "parts, labour"]]


def test_the_history_lists_the_warranty_and_the_contract(
    qtbot: QtBot, admin_ctx: Context, world: WarrantyWorld
) -> None:
    page = _page(qtbot, admin_ctx, world.by_contract)
    contract_end = (TODAY + timedelta(days=20)).isoformat()
    assert "Service contract" in _text(page, "coverageHeadline")
    assert f"until {contract_end}" in _text(page, "coverageHeadline")
    assert _text(page, "coverageContractValue") == f"{world.soon.contract_no} (until {contract_end})"
    assert _text(page, "coverageFreeValue") == "parts, labour, on-site visit"
    assert _history(page) == [
        ["warranty", "标准保修一年", "2024-01-01", "2024-12-31", "ended", "parts, labour"],
        [
            "service contract",
            world.soon.contract_no,
            "2026-01-01",
            contract_end,
            "active",
            "parts, labour, on-site visit",
        ],
    ]
    assert page.findChild(QTableView, "coverageHistoryTable").isVisible()


def test_a_terminal_without_a_purchase_date_says_why_it_is_not_covered(
    qtbot: QtBot, admin_ctx: Context, world: WarrantyWorld
) -> None:
    page = _page(qtbot, admin_ctx, world.no_date)
    assert "Not covered" in _text(page, "coverageHeadline")
    assert page.findChild(QLabel, "coverageHeadline").property("kind") == "none"
    assert "until" not in _text(page, "coverageHeadline")
    assert "purchase date is not recorded" in _text(page, "coverageText")
    assert _text(page, "coverageFreeValue") == "nothing"
    assert _history(page)[0][:2] == ["warranty", "标准保修一年"]
    assert _history(page)[0][4] == "no start date"


def test_changing_the_policy_in_the_terminal_dialog_changes_the_coverage(
    qtbot: QtBot, admin_ctx: Context, world: WarrantyWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    longer = warranty.create_warranty_policy(admin_ctx, WarrantyPolicyCreate(name="延长保修两年", months=24))
    retired = warranty.create_warranty_policy(admin_ctx, WarrantyPolicyCreate(name="旧政策", months=6))
    warranty.update_warranty_policy(
        admin_ctx, retired.id, WarrantyPolicyUpdate(active=False, expected_version=retired.version)
    )
    page = _page(qtbot, admin_ctx, world.ends_in_10)
    chosen: list[object] = [longer.id]
    seen: list[list[str]] = []

    def choose_and_save(dialog: TerminalDialog) -> int:
        combo = dialog.findChild(QComboBox, "terminalPolicyCombo")
        seen.append([combo.itemText(i) for i in range(combo.count())])
        _choose(combo, chosen[0])
        dialog.findChild(QLineEdit, "locationEdit").setText("收银台")
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(TerminalDialog, "exec", choose_and_save)
    with qtbot.waitSignal(page.terminalChanged):
        page.findChild(QPushButton, "editTerminalButton").click()
    # "Model default" first, then the active policies; a retired one is not offered.
    assert seen[0] == ["Model default", "延长保修两年", "标准保修一年"]
    assert terminals.get_terminal(admin_ctx, world.ends_in_10.id).warranty_policy_id == longer.id
    assert "until 2027-11-30" in _text(page, "coverageHeadline")
    assert _text(page, "coveragePolicyValue") == "延长保修两年"

    # An edit that leaves the policy alone keeps the terminal's own policy.
    chosen[0] = longer.id
    with qtbot.waitSignal(page.terminalChanged):
        page.findChild(QPushButton, "editTerminalButton").click()
    assert terminals.get_terminal(admin_ctx, world.ends_in_10.id).warranty_policy_id == longer.id

    # Back to the model's default.
    chosen[0] = None
    with qtbot.waitSignal(page.terminalChanged):
        page.findChild(QPushButton, "editTerminalButton").click()
    assert terminals.get_terminal(admin_ctx, world.ends_in_10.id).warranty_policy_id is None
    assert "until 2026-11-30" in _text(page, "coverageHeadline")
    assert _text(page, "coveragePolicyValue") == "标准保修一年"


def test_a_terminal_keeps_a_retired_policy_it_carries(
    qtbot: QtBot, admin_ctx: Context, world: WarrantyWorld
) -> None:
    old = warranty.create_warranty_policy(admin_ctx, WarrantyPolicyCreate(name="旧政策", months=6))
    terminal = world.ends_in_100
    terminals.update_terminal(
        admin_ctx,
        terminal.id,
        TerminalUpdate(warranty_policy_id=old.id, expected_version=terminal.version),
    )
    warranty.update_warranty_policy(admin_ctx, old.id, WarrantyPolicyUpdate(active=False, expected_version=old.version))
    dialog = TerminalDialog(admin_ctx, terminals.get_terminal(admin_ctx, terminal.id))
    _show(qtbot, dialog)
    combo = dialog.findChild(QComboBox, "terminalPolicyCombo")
    assert combo.currentData() == old.id and "旧政策" in combo.currentText()


def test_the_device_model_dialog_saves_the_chosen_policy(
    qtbot: QtBot, admin_ctx: Context, world: WarrantyWorld
) -> None:
    longer = warranty.create_warranty_policy(admin_ctx, WarrantyPolicyCreate(name="延长保修两年", months=24))
    dialog = DeviceModelDialog(admin_ctx)
    _show(qtbot, dialog)
    combo = dialog.findChild(QComboBox, "warrantyPolicyCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == ["(no warranty)", "延长保修两年", "标准保修一年"]
    dialog.findChild(QLineEdit, "brandEdit").setText("百富")
    dialog.findChild(QLineEdit, "modelNameEdit").setText("A920")
    _choose(combo, longer.id)
    dialog.findChild(QPushButton, "saveButton").click()
    assert dialog.result_model is not None
    assert (dialog.result_model.warranty_policy_id, dialog.result_model.warranty_policy_name) == (
        longer.id,
        "延长保修两年",
    )

    # Editing the model that all the world's terminals use: no warranty, then coverage follows.
    n910 = next(m for m in catalogue.list_device_models(admin_ctx) if m.model == "N910")
    edit = DeviceModelDialog(admin_ctx, n910)
    _show(qtbot, edit)
    combo = edit.findChild(QComboBox, "warrantyPolicyCombo")
    assert combo.currentData() == world.policy.id
    _choose(combo, None)
    edit.findChild(QPushButton, "saveButton").click()
    saved = next(m for m in catalogue.list_device_models(admin_ctx) if m.model == "N910")
    assert (saved.warranty_policy_id, saved.warranty_policy_name) == (None, "")
    assert warranty.coverage(admin_ctx, world.ends_in_10.id).kind == "none"


def test_a_new_device_model_offers_the_first_policy(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = DeviceModelDialog(admin_ctx)
    _show(qtbot, dialog)
    combo = dialog.findChild(QComboBox, "warrantyPolicyCombo")
    assert combo.count() == 1 and combo.currentData() is None  # no policy yet: no warranty
    policy = warranty.create_warranty_policy(admin_ctx, WarrantyPolicyCreate(name="标准", months=12))
    again = DeviceModelDialog(admin_ctx)
    _show(qtbot, again)
    assert again.findChild(QComboBox, "warrantyPolicyCombo").currentData() == policy.id


def test_print_warranty_certificate_shows_the_pdf(
    qtbot: QtBot,
    admin_ctx: Context,
    world: WarrantyWorld,
    monkeypatch: pytest.MonkeyPatch,
    note_dialogs: DialogRecorder,
) -> None:
    shown: list[PdfPreviewDialog] = []

    def keep(dialog: PdfPreviewDialog) -> int:
        shown.append(dialog)
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", keep)
    page = _page(qtbot, admin_ctx, world.ends_in_10)
    page.findChild(QPushButton, "printWarrantyButton").click()
    assert note_dialogs.shown == []
    assert len(shown) == 1
    assert shown[0].preview.pdf_data().startswith(b"%PDF")
    assert "NL0010" in shown[0].windowTitle()


def test_the_coverage_history_model(qtmodeltester: ModelTester, admin_ctx: Context, world: WarrantyWorld) -> None:
    periods = warranty.coverage_history(admin_ctx, world.by_contract.id)
    model = coverage_table_model(lambda offset, limit: (periods[offset : offset + limit], len(periods)))
    model.reload()
    qtmodeltester.check(model)
    assert model.rowCount() == 2
