"""Devices: the terminal list and dialogs, the terminal page and its steps, the catalogue."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.context import Context
from app.models.catalogue import (
    DeviceModelCreate,
    DeviceModelRead,
)
from app.models.merchant import MerchantCreate, MerchantRead
from app.models.terminal import (
    DepositStatus,
    TerminalCreate,
    TerminalFilter,
    TerminalRead,
    TerminalStatus,
    TerminalType,
    TerminalUpdate,
)
from app.models.user import Role
from app.services import catalogue, merchants, setup, terminals
from app.services.demo import generate_demo_data
from tests.conftest import make_user
from tests.ui.conftest import DialogRecorder
from ui.devices.acquirer_dialog import AcquirerDialog
from ui.devices.bind_dialog import BindDialog
from ui.devices.device_model_dialog import DeviceModelDialog
from ui.devices.devices_area import DevicesArea
from ui.devices.firmware_dialog import FirmwareDialog
from ui.devices.status_dialog import StatusDialog
from ui.devices.swap_dialog import SwapDialog
from ui.devices.terminal_dialog import TerminalDialog
from ui.devices.terminal_list_page import TerminalListPage
from ui.devices.terminal_page import TerminalPage
from ui.devices.unbind_dialog import UnbindDialog
from ui.main_window import MainWindow
from ui.shared.widgets import find_data


def _show(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _save(dialog: QWidget) -> None:
    dialog.findChild(QPushButton, "saveButton").click()


def _choose(combo: QComboBox, data: object) -> None:
    index = find_data(combo, data)
    assert index >= 0, f"{data!r} not in {combo.objectName()}"
    combo.setCurrentIndex(index)


def _model(ctx: Context, brand: str = "新大陆", model: str = "N910") -> DeviceModelRead:
    return catalogue.create_device_model(
        ctx, DeviceModelCreate(brand=brand, model=model, terminal_type=TerminalType.SMART)
    )


def _terminal(ctx: Context, serial: str, model: DeviceModelRead, **fields: object) -> TerminalRead:
    return terminals.create_terminal(
        ctx, TerminalCreate(serial_no=serial, model_id=model.id, **fields)  # type: ignore[arg-type]
    )


def _merchant(ctx: Context, no: str = "850093414000001", shop: str = "老王便利店") -> MerchantRead:
    return merchants.create_merchant(
        ctx, MerchantCreate(merchant_no=no, legal_name=f"深圳市{shop}有限公司", shop_name=shop)
    )


def _page(qtbot: QtBot, ctx: Context, terminal: TerminalRead) -> TerminalPage:
    page = TerminalPage(ctx)
    _show(qtbot, page)
    assert page.load(terminal.id)
    return page


def _timeline(ctx: Context, terminal: TerminalRead) -> list[str]:
    return [e.kind for e in terminals.terminal_timeline(ctx, terminal.id)]


# --- the terminal dialog --------------------------------------------------------------------------


def test_create_a_terminal(qtbot: QtBot, admin_ctx: Context) -> None:
    model = _model(admin_ctx)
    acquirer = catalogue.save_acquirer(admin_ctx, "银联商务")
    dialog = TerminalDialog(admin_ctx)
    _show(qtbot, dialog)
    dialog.findChild(QLineEdit, "serialNoEdit").setText("nl 0642 1594 46")
    dialog.findChild(QLineEdit, "terminalNoEdit").setText("25968984")
    _choose(dialog.findChild(QComboBox, "modelCombo"), model.id)
    _choose(dialog.findChild(QComboBox, "acquirerCombo"), acquirer.id)
    dialog.findChild(QLineEdit, "firmwareEdit").setText("V3.3.0")
    dialog.findChild(QCheckBox, "purchaseDateCheck").setChecked(True)
    dialog.findChild(QDateEdit, "purchaseDateDateEdit").setDate(QDate(2026, 5, 4))
    dialog.findChild(QDoubleSpinBox, "depositEdit").setValue(199.0)
    _choose(dialog.findChild(QComboBox, "depositStatusCombo"), "held")
    _save(dialog)
    assert dialog.result() == TerminalDialog.DialogCode.Accepted
    created = dialog.result_terminal
    assert created is not None
    assert (created.serial_no, created.status, created.acquirer) == ("NL0642159446", TerminalStatus.IN_STOCK, "银联商务")
    assert (created.purchase_date, created.activation_date) == (date(2026, 5, 4), None)
    assert (created.deposit_fen, created.deposit_status) == (19900, DepositStatus.HELD)


def test_a_bad_terminal_no_is_a_field_error_and_the_input_stays(qtbot: QtBot, admin_ctx: Context) -> None:
    model = _model(admin_ctx)
    dialog = TerminalDialog(admin_ctx)
    _show(qtbot, dialog)
    dialog.findChild(QLineEdit, "serialNoEdit").setText("NL0001")
    dialog.findChild(QLineEdit, "terminalNoEdit").setText("1234")
    _choose(dialog.findChild(QComboBox, "modelCombo"), model.id)
    _save(dialog)
    assert dialog.isVisible()
    assert "8 digits" in dialog.errors.message("terminal_no")
    assert dialog.findChild(QLineEdit, "terminalNoEdit").text() == "1234"
    assert terminals.list_terminals(admin_ctx, TerminalFilter()).total == 0


def test_a_terminal_without_a_model_is_a_field_error(qtbot: QtBot, admin_ctx: Context) -> None:
    _model(admin_ctx)
    _model(admin_ctx, "百富", "A920")
    dialog = TerminalDialog(admin_ctx)
    _show(qtbot, dialog)
    assert dialog.findChild(QComboBox, "modelCombo").currentIndex() == -1  # a choice, not a guess
    dialog.findChild(QLineEdit, "serialNoEdit").setText("NL0001")
    _save(dialog)
    assert dialog.isVisible()
    assert dialog.errors.message("model_id")


def test_edit_a_terminal_and_a_stale_edit_is_refused(qtbot: QtBot, admin_ctx: Context) -> None:
    model = _model(admin_ctx)
    terminal = _terminal(admin_ctx, "NL0001", model)
    dialog = TerminalDialog(admin_ctx, terminal)
    _show(qtbot, dialog)
    assert dialog.findChild(QLineEdit, "serialNoEdit").isReadOnly()
    dialog.findChild(QLineEdit, "firmwareEdit").setText("V3.5.0")
    _save(dialog)
    assert dialog.result() == TerminalDialog.DialogCode.Accepted
    assert terminals.get_terminal(admin_ctx, terminal.id).firmware_version == "V3.5.0"

    stale = TerminalDialog(admin_ctx, terminal)  # still the version before the edit
    _show(qtbot, stale)
    stale.findChild(QLineEdit, "locationEdit").setText("收银台")
    _save(stale)
    assert stale.isVisible()
    assert "changed by someone else" in stale.findChild(QLabel, "formError").text()
    assert terminals.get_terminal(admin_ctx, terminal.id).location == ""


# --- the terminal page and its steps --------------------------------------------------------------


def test_an_in_stock_terminal_offers_bind_and_its_status_changes(qtbot: QtBot, admin_ctx: Context) -> None:
    terminal = _terminal(admin_ctx, "NL0001", _model(admin_ctx))
    page = _page(qtbot, admin_ctx, terminal)
    assert page.visible_steps() == [
        "bindButton",
        "statusInRepairButton",
        "statusLostButton",
        "statusScrappedButton",
    ]
    assert page.findChild(QLabel, "pageTitle").text() == "NL0001"
    assert "No warranty policy" in page.findChild(QLabel, "coverageText").text()
    assert not page.findChild(QPushButton, "openMerchantButton").isVisibleTo(page)


def test_a_scrapped_terminal_shows_no_steps(qtbot: QtBot, admin_ctx: Context) -> None:
    terminal = _terminal(admin_ctx, "NL0001", _model(admin_ctx))
    scrapped = terminals.change_terminal_status(
        admin_ctx, terminal.id, TerminalStatus.SCRAPPED, expected_version=terminal.version
    )
    page = _page(qtbot, admin_ctx, scrapped)
    assert page.visible_steps() == []
    assert page.findChild(QLabel, "noStepsLabel").isVisible()


def test_a_status_change_with_its_reason(qtbot: QtBot, admin_ctx: Context) -> None:
    terminal = _terminal(admin_ctx, "NL0001", _model(admin_ctx))
    dialog = StatusDialog(admin_ctx, terminal, TerminalStatus.LOST)
    _show(qtbot, dialog)
    dialog.findChild(QPlainTextEdit, "reasonEdit").setPlainText("运输途中丢失")
    _save(dialog)
    assert dialog.result() == StatusDialog.DialogCode.Accepted
    assert terminals.get_terminal(admin_ctx, terminal.id).status == TerminalStatus.LOST
    page = _page(qtbot, admin_ctx, terminal)
    assert page.visible_steps() == ["statusInStockButton", "statusScrappedButton"]
    summaries = [page.timeline_model.row_object(r).summary for r in range(page.timeline_model.rowCount())]
    assert "运输途中丢失" in summaries[0]


def test_bind_unbind_and_swap_show_in_both_timelines(
    qtbot: QtBot, admin_ctx: Context, qtmodeltester: ModelTester
) -> None:
    model = _model(admin_ctx)
    merchant = _merchant(admin_ctx)
    _merchant(admin_ctx, "850093414000002", "老李餐厅")
    old = _terminal(admin_ctx, "NL0001", model)
    new = _terminal(admin_ctx, "NL0002", model)

    # Bind: the merchant is chosen in the picker.
    bind = BindDialog(admin_ctx, old)
    _show(qtbot, bind)
    _save(bind)
    assert bind.isVisible() and "choose a merchant" in bind.errors.message("merchant_id")
    picker = bind.picker()
    _show(qtbot, picker)
    picker.findChild(QLineEdit, "pickerSearchEdit").setText("老王")
    picker.apply_filter()
    picker.findChild(QPushButton, "chooseButton").click()
    assert picker.chosen is not None
    bind.set_merchant(picker.chosen)
    assert "850093414000001" in bind.findChild(QLineEdit, "merchantEdit").text()
    bind.findChild(QLineEdit, "locationEdit").setText("收银台")
    _save(bind)
    assert bind.result() == BindDialog.DialogCode.Accepted
    page = _page(qtbot, admin_ctx, old)
    assert page.terminal is not None and page.terminal.merchant_id == merchant.id
    assert page.visible_steps() == [
        "unbindButton",
        "swapButton",
        "statusInRepairButton",
        "statusSuspendedButton",
        "statusLostButton",
    ]
    assert "老王便利店" in page.findChild(QLabel, "merchantValue").text()
    with qtbot.waitSignal(page.merchantOpened) as opened:
        page.findChild(QPushButton, "openMerchantButton").click()
    assert opened.args == [merchant.id]

    # Swap: the old one goes to repair, the new one to the merchant.
    swap = SwapDialog(admin_ctx, page.terminal)
    _show(qtbot, swap)
    swap.findChild(QLineEdit, "newSerialEdit").setText("NL9999")
    swap.findChild(QPlainTextEdit, "reasonEdit").setPlainText("屏幕损坏")
    _save(swap)
    assert swap.isVisible() and "NL9999" in swap.errors.message("new_serial_no")
    swap.findChild(QLineEdit, "newSerialEdit").setText("nl0002")
    _save(swap)
    assert swap.result() == SwapDialog.DialogCode.Accepted
    page.reload()
    assert page.terminal.status == TerminalStatus.IN_REPAIR and page.terminal.merchant_id is None
    assert "NL0002" in page.findChild(QLabel, "swapValue").text()
    assert page.timeline_model.row_object(0).kind == "swapped"
    assert _timeline(admin_ctx, new)[0] == "swapped"
    qtmodeltester.check(page.timeline_model)

    # Unbind the replacement: it comes back as returned.
    replacement = terminals.get_terminal(admin_ctx, new.id)
    assert replacement.merchant_id == merchant.id
    unbind = UnbindDialog(admin_ctx, replacement)
    _show(qtbot, unbind)
    _choose(unbind.findChild(QComboBox, "toStatusCombo"), "returned")
    _save(unbind)
    assert unbind.isVisible() and unbind.errors.message("reason")
    unbind.findChild(QPlainTextEdit, "reasonEdit").setPlainText("商户退机")
    _save(unbind)
    assert unbind.result() == UnbindDialog.DialogCode.Accepted
    back = terminals.get_terminal(admin_ctx, new.id)
    assert (back.status, back.merchant_id) == (TerminalStatus.RETURNED, None)
    assert _timeline(admin_ctx, new)[:2] == ["unbound", "swapped"]
    new_page = _page(qtbot, admin_ctx, back)
    assert new_page.visible_steps() == ["bindButton", "statusInStockButton", "statusScrappedButton"]


def test_steps_reload_the_page(qtbot: QtBot, admin_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _terminal(admin_ctx, "NL0001", _model(admin_ctx))
    page = _page(qtbot, admin_ctx, terminal)

    def change_at_once(dialog: StatusDialog) -> int:
        dialog.reason_edit.setPlainText("送修")
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(StatusDialog, "exec", change_at_once)
    with qtbot.waitSignal(page.terminalChanged):
        page.findChild(QPushButton, "statusInRepairButton").click()
    assert page.terminal is not None and page.terminal.status == TerminalStatus.IN_REPAIR
    assert page.visible_steps() == ["statusInStockButton", "statusScrappedButton"]
    assert not page.findChild(QLabel, "timelineEmptyLabel").isVisible()


# --- the list -------------------------------------------------------------------------------------


def test_the_list_filters_and_tells_what_is_selected(qtbot: QtBot, admin_ctx: Context) -> None:
    n910, a920 = _model(admin_ctx), _model(admin_ctx, "百富", "A920")
    acquirer = catalogue.save_acquirer(admin_ctx, "拉卡拉")
    _terminal(admin_ctx, "NL0001", n910, acquirer_id=acquirer.id)
    second = _terminal(admin_ctx, "NL0002", n910, deposit_fen=9900, deposit_status=DepositStatus.HELD)
    _terminal(admin_ctx, "PX0001", a920)
    terminals.change_terminal_status(
        admin_ctx, second.id, TerminalStatus.IN_REPAIR, expected_version=second.version
    )
    page = TerminalListPage(admin_ctx)
    _show(qtbot, page)
    assert page.model.total() == 3
    assert page.findChild(QLabel, "terminalCountLabel").text() == "3 terminals"

    _choose(page.findChild(QComboBox, "modelFilter"), a920.id)
    assert [page.model.row_object(r).serial_no for r in range(page.model.rowCount())] == ["PX0001"]
    page.findChild(QComboBox, "modelFilter").setCurrentIndex(0)
    _choose(page.findChild(QComboBox, "statusFilter"), "in_repair")
    assert [page.model.row_object(r).serial_no for r in range(page.model.rowCount())] == ["NL0002"]
    page.findChild(QComboBox, "statusFilter").setCurrentIndex(0)
    _choose(page.findChild(QComboBox, "acquirerFilter"), acquirer.id)
    assert page.model.total() == 1
    page.findChild(QComboBox, "acquirerFilter").setCurrentIndex(0)
    _choose(page.findChild(QComboBox, "depositFilter"), "held")
    assert page.current_filters() == TerminalFilter(deposit_status=DepositStatus.HELD)
    assert page.model.total() == 1
    page.findChild(QComboBox, "depositFilter").setCurrentIndex(0)
    search = page.findChild(QLineEdit, "terminalSearchEdit")
    search.setText("nl")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert page.model.total() == 2
    assert page.selected_terminal_ids() == [page.model.row_object(0).id]  # Enter again opens it
    page.table.selectAll()
    assert len(page.selected_terminal_ids()) == 2
    assert page.current_filters().text == "nl"


def test_the_list_loads_lazily_and_passes_the_model_tester(
    qtbot: QtBot, admin_ctx: Context, qtmodeltester: ModelTester
) -> None:
    generate_demo_data(admin_ctx, customers=110, terminals_per_customer=2.0)
    page = TerminalListPage(admin_ctx)
    _show(qtbot, page)
    model = page.model
    assert model.total() == 220
    assert model.rowCount() == 200 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 220 and not model.canFetchMore()
    qtmodeltester.check(model)


def test_enter_opens_the_terminal_and_back_returns_to_the_list(qtbot: QtBot, admin_ctx: Context) -> None:
    model = _model(admin_ctx)
    _terminal(admin_ctx, "NL0001", model)
    _terminal(admin_ctx, "NL0002", model)
    area = DevicesArea(admin_ctx)
    _show(qtbot, area)
    table = area.terminal_list.table
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert area.currentWidget() is area.terminal_page
    assert area.terminal_page.terminal is not None and area.terminal_page.terminal.serial_no == "NL0002"
    area.terminal_page.back_button.click()
    assert area.currentWidget() is area.lists
    assert area.terminal_list.selected_terminal_ids() == [area.terminal_page.terminal.id]


def test_main_window_open_terminal_shows_the_terminal_page(qtbot: QtBot, admin_ctx: Context) -> None:
    terminal = _terminal(admin_ctx, "NL0001", _model(admin_ctx))
    window = MainWindow(admin_ctx, setup.current_branch(admin_ctx))
    _show(qtbot, window)
    window.open_terminal(terminal.id)
    assert window.current_area() == "devices"
    area = window.page_by_area["devices"]
    assert isinstance(area, DevicesArea)
    assert area.currentWidget() is area.terminal_page
    assert area.terminal_page.isVisible()
    assert area.terminal_page.findChild(QLabel, "serialNoValue").text() == "NL0001"


def test_a_merchant_opened_from_a_terminal_shows_in_customers(qtbot: QtBot, admin_ctx: Context) -> None:
    terminal = _terminal(admin_ctx, "NL0001", _model(admin_ctx))
    merchant = _merchant(admin_ctx)
    terminals.bind_terminal(admin_ctx, terminal.id, merchant.id, expected_version=terminal.version)
    window = MainWindow(admin_ctx, setup.current_branch(admin_ctx))
    _show(qtbot, window)
    window.open_terminal(terminal.id)
    devices = window.page_by_area["devices"]
    assert isinstance(devices, DevicesArea)
    devices.terminal_page.findChild(QPushButton, "openMerchantButton").click()
    assert window.current_area() == "customers"
    customers = window.page_by_area["customers"]
    assert customers.merchant_page.merchant.id == merchant.id  # type: ignore[attr-defined]


# --- the catalogue --------------------------------------------------------------------------------

EDIT_BUTTONS = ("newModelButton", "editModelButton", "addAcquirerButton", "renameAcquirerButton",
                "toggleAcquirerButton", "newReleaseButton")


def test_a_technician_sees_the_catalogue_without_edit_buttons(qtbot: QtBot, admin_ctx: Context) -> None:
    _model(admin_ctx)
    tech = admin_ctx.as_user(make_user(admin_ctx, "tech1", Role.TECHNICIAN))
    area = DevicesArea(tech)
    _show(qtbot, area)
    for name in EDIT_BUTTONS:
        assert area.findChild(QPushButton, name).isHidden(), name
    area.tabs.setCurrentWidget(area.models_panel)
    assert area.models_panel.model.rowCount() == 1
    # Terminals stay theirs to handle.
    assert not area.terminal_list.findChild(QPushButton, "newTerminalButton").isHidden()


def test_a_supervisor_sees_the_catalogue_edit_buttons(qtbot: QtBot, admin_ctx: Context) -> None:
    supervisor = admin_ctx.as_user(make_user(admin_ctx, "sup1", Role.SUPERVISOR))
    area = DevicesArea(supervisor)
    _show(qtbot, area)
    for name in EDIT_BUTTONS:
        assert not area.findChild(QPushButton, name).isHidden(), name


def test_device_models_are_added_and_edited(qtbot: QtBot, admin_ctx: Context, qtmodeltester: ModelTester) -> None:
    dialog = DeviceModelDialog(admin_ctx)
    _show(qtbot, dialog)
    dialog.findChild(QLineEdit, "brandEdit").setText("百富")
    dialog.findChild(QLineEdit, "modelNameEdit").setText("A920")
    _choose(dialog.findChild(QComboBox, "typeCombo"), "smart")
    dialog.findChild(QDoubleSpinBox, "listPriceEdit").setValue(1399.0)
    _save(dialog)
    assert dialog.result_model is not None and dialog.result_model.list_price_fen == 139900

    again = DeviceModelDialog(admin_ctx)
    _show(qtbot, again)
    again.findChild(QLineEdit, "brandEdit").setText("百富")
    again.findChild(QLineEdit, "modelNameEdit").setText("A920")
    _save(again)
    assert again.isVisible() and "already in the catalogue" in again.errors.message("model")

    edit = DeviceModelDialog(admin_ctx, dialog.result_model)
    _show(qtbot, edit)
    edit.findChild(QCheckBox, "activeCheck").setChecked(False)
    _save(edit)
    assert catalogue.list_device_models(admin_ctx)[0].active is False

    area = DevicesArea(admin_ctx)
    _show(qtbot, area)
    area.tabs.setCurrentWidget(area.models_panel)
    model = area.models_panel.model
    assert [model.data(model.index(0, c)) for c in range(6)] == ["百富", "A920", "smart", "¥1,399.00", "(no warranty)", "no"]
    qtmodeltester.check(model)


def test_acquirers_are_added_renamed_and_deactivated(
    qtbot: QtBot, admin_ctx: Context, qtmodeltester: ModelTester
) -> None:
    dialog = AcquirerDialog(admin_ctx)
    _show(qtbot, dialog)
    dialog.findChild(QLineEdit, "acquirerNameEdit").setText("银联商务")
    _save(dialog)
    assert dialog.result_acquirer is not None
    area = DevicesArea(admin_ctx)
    _show(qtbot, area)
    panel = area.acquirers_panel
    area.tabs.setCurrentWidget(panel)
    panel.table.selectRow(0)
    rename = AcquirerDialog(admin_ctx, panel.selected_acquirer())
    _show(qtbot, rename)
    rename.findChild(QLineEdit, "acquirerNameEdit").setText("银联商务股份")
    _save(rename)
    panel.reload()
    toggle = panel.findChild(QPushButton, "toggleAcquirerButton")
    assert toggle.text() == "Deactivate"
    toggle.click()
    acquirer = catalogue.list_acquirers(admin_ctx)[0]
    assert (acquirer.name, acquirer.active) == ("银联商务股份", False)
    assert toggle.text() == "Activate"
    qtmodeltester.check(panel.model)


def test_a_mandatory_release_lists_the_outdated_terminals(
    qtbot: QtBot, admin_ctx: Context, qtmodeltester: ModelTester
) -> None:
    model = _model(admin_ctx)
    old = _terminal(admin_ctx, "NL0001", model, firmware_version="V3.3.0")
    _terminal(admin_ctx, "NL0002", model, firmware_version="V3.5.0")
    dialog = FirmwareDialog(admin_ctx, catalogue.list_device_models(admin_ctx), model.id)
    _show(qtbot, dialog)
    dialog.findChild(QLineEdit, "versionEdit").setText("V3.4.0")
    dialog.findChild(QCheckBox, "mandatoryCheck").setChecked(True)
    _save(dialog)
    assert dialog.result() == FirmwareDialog.DialogCode.Accepted

    area = DevicesArea(admin_ctx)
    _show(qtbot, area)
    firmware = area.firmware_panel
    area.tabs.setCurrentWidget(firmware)
    assert firmware.model.rowCount() == 1
    assert firmware.model.row_object(0).firmware_version == "V3.4.0"
    qtmodeltester.check(firmware.model)
    outdated = area.outdated_panel
    area.tabs.setCurrentWidget(outdated)
    assert [outdated.model.row_object(r).id for r in range(outdated.model.rowCount())] == [old.id]
    assert outdated.model.data(outdated.model.index(0, 4)) == "V3.4.0"
    assert outdated.findChild(QLabel, "outdatedCountLabel").text() == "1 terminal"
    qtmodeltester.check(outdated.model)
    # Updating the terminal takes it off the list when the tab is shown again.
    terminals.update_terminal(
        admin_ctx, old.id, TerminalUpdate(firmware_version="V3.4.0", expected_version=old.version)
    )
    area.tabs.setCurrentWidget(firmware)
    area.tabs.setCurrentWidget(outdated)
    qtbot.waitUntil(lambda: outdated.model.rowCount() == 0)


def test_status_dialog_errors_are_shown(qtbot: QtBot, admin_ctx: Context, note_dialogs: DialogRecorder) -> None:
    terminal = _terminal(admin_ctx, "NL0001", _model(admin_ctx))
    moved = terminals.change_terminal_status(
        admin_ctx, terminal.id, TerminalStatus.IN_REPAIR, expected_version=terminal.version
    )
    dialog = StatusDialog(admin_ctx, terminal, TerminalStatus.LOST)  # opened before the change
    _show(qtbot, dialog)
    _save(dialog)
    assert dialog.isVisible()
    assert "changed by someone else" in dialog.findChild(QLabel, "formError").text()
    assert terminals.get_terminal(admin_ctx, terminal.id).status == moved.status
