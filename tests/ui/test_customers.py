"""Customers: the merchant list, the merchant dialogs, the merchant page, the picker."""

from __future__ import annotations

import random
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.context import Context
from app.models.catalogue import DeviceModelCreate
from app.models.merchant import (
    MerchantContactBase,
    MerchantCreate,
    MerchantFilter,
    MerchantRead,
    MerchantStatus,
    MerchantUpdate,
    RiskLevel,
)
from app.models.terminal import TerminalCreate, TerminalRead
from app.models.user import Role
from app.rules.validation import resident_id_check_char
from app.services import catalogue, merchants, setup, terminals
from app.services.demo import generate_demo_data, make_uscc
from tests.conftest import make_user
from tests.ui.conftest import DialogRecorder
from ui.customers.close_merchant_dialog import CloseMerchantDialog
from ui.customers.customers_area import CustomersArea
from ui.customers.merchant_dialog import MerchantDialog
from ui.customers.merchant_list_page import MerchantListPage
from ui.customers.merchant_page import MerchantPage
from ui.customers.merchant_picker_dialog import MerchantPickerDialog
from ui.customers.merchant_table_model import MERCHANT_NO, RISK, STATUS
from ui.main_window import MainWindow
from ui.shared.paged_table_model import PagedTableModel
from ui.shared.widgets import find_data

USCC = make_uscc(random.Random(7), "440305")
RESIDENT_ID = "44030519850612001" + resident_id_check_char("44030519850612001")


def _show(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _merchant(
    ctx: Context,
    no: str = "850093414000001",
    name: str = "深圳市老王便利店有限公司",
    shop: str = "老王便利店",
    **fields: object,
) -> MerchantRead:
    data = MerchantCreate(merchant_no=no, legal_name=name, shop_name=shop, **fields)  # type: ignore[arg-type]
    return merchants.create_merchant(ctx, data)


def _terminal(ctx: Context, serial: str, **fields: object) -> TerminalRead:
    models = catalogue.list_device_models(ctx)
    model = models[0] if models else catalogue.create_device_model(
        ctx, DeviceModelCreate(brand="新大陆", model="N910")
    )
    return terminals.create_terminal(ctx, TerminalCreate(serial_no=serial, model_id=model.id, **fields))  # type: ignore[arg-type]


def _save(dialog: QWidget) -> None:
    dialog.findChild(QPushButton, "saveButton").click()


def _edit(dialog: QWidget, name: str) -> QLineEdit:
    edit = dialog.findChild(QLineEdit, name)
    assert edit is not None, name
    return edit


def _choose(combo: QComboBox, data: object) -> None:
    index = find_data(combo, data)
    assert index >= 0, f"{data!r} not in {combo.objectName()}"
    combo.setCurrentIndex(index)


def _column(model: PagedTableModel[MerchantRead], column: int) -> list[str]:
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def _fill_contact(table: QTableWidget, row: int, name: str, role: str, phone: str) -> None:
    for column, text in enumerate((name, role, phone)):
        table.item(row, column).setText(text)


# --- the merchant dialog --------------------------------------------------------------------------


def test_create_a_merchant_with_two_contacts(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = MerchantDialog(admin_ctx)
    _show(qtbot, dialog)
    _edit(dialog, "merchantNoEdit").setText("８５００９３４１４０００００１")  # full-width, as pasted
    _edit(dialog, "legalNameEdit").setText("深圳市老王便利店有限公司")
    _edit(dialog, "shopNameEdit").setText("老王便利店")
    _edit(dialog, "usccEdit").setText(USCC)
    _edit(dialog, "mccEdit").setText("5499")
    _edit(dialog, "legalRepEdit").setText("王大明")
    _edit(dialog, "legalRepIdEdit").setText(RESIDENT_ID)
    _edit(dialog, "contactNameEdit").setText("王小明")
    _edit(dialog, "mobileEdit").setText("138 0013 8000")
    _edit(dialog, "landlineEdit").setText("0755-26881234")
    _edit(dialog, "provinceEdit").setText("广东省")
    _edit(dialog, "cityEdit").setText("深圳市")
    _edit(dialog, "districtEdit").setText("南山区")
    _edit(dialog, "addressEdit").setText("科苑路15号")
    _choose(dialog.findChild(QComboBox, "riskCombo"), "medium")
    dialog.findChild(QCheckBox, "onboardingDateCheck").setChecked(True)
    dialog.findChild(QDateEdit, "onboardingDateDateEdit").setDate(QDate(2026, 3, 1))
    table = dialog.findChild(QTableWidget, "contactsTable")
    add = dialog.findChild(QPushButton, "addContactButton")
    add.click()
    add.click()
    add.click()  # one row too many: a blank row is left out
    _fill_contact(table, 0, "李会计", "财务", "13912345678")
    _fill_contact(table, 1, "张店长", "店长", "0755-26880000")
    _save(dialog)

    assert dialog.result() == MerchantDialog.DialogCode.Accepted
    created = dialog.result_merchant
    assert created is not None
    saved = merchants.get_merchant(admin_ctx, created.id)
    assert saved.merchant_no == "850093414000001"
    assert (saved.mobile, saved.risk_level, saved.onboarding_date) == (
        "13800138000",
        RiskLevel.MEDIUM,
        date(2026, 3, 1),
    )
    assert [(c.name, c.role) for c in saved.contacts] == [("李会计", "财务"), ("张店长", "店长")]


def test_a_bad_uscc_is_a_field_error_and_the_input_stays(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = MerchantDialog(admin_ctx)
    _show(qtbot, dialog)
    _edit(dialog, "merchantNoEdit").setText("850093414000001")
    _edit(dialog, "legalNameEdit").setText("深圳市老王便利店有限公司")
    bad = USCC[:-1] + ("0" if USCC[-1] != "0" else "1")
    _edit(dialog, "usccEdit").setText(bad)
    _save(dialog)
    assert dialog.isVisible()
    assert dialog.result_merchant is None
    assert "unified social credit code" in dialog.errors.message("uscc")
    assert dialog.findChild(QLabel, "usccError").isVisible()
    assert _edit(dialog, "usccEdit").text() == bad
    assert _edit(dialog, "legalNameEdit").text() == "深圳市老王便利店有限公司"
    assert merchants.list_merchants(admin_ctx, MerchantFilter()).total == 0


def test_a_bad_contact_phone_is_shown_at_the_contacts(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = MerchantDialog(admin_ctx)
    _show(qtbot, dialog)
    _edit(dialog, "merchantNoEdit").setText("850093414000001")
    _edit(dialog, "legalNameEdit").setText("深圳市老王便利店有限公司")
    dialog.findChild(QPushButton, "addContactButton").click()
    _fill_contact(dialog.findChild(QTableWidget, "contactsTable"), 0, "李会计", "", "12345")
    _save(dialog)
    assert dialog.isVisible()
    assert dialog.errors.message("contacts").startswith("Contact 1")


def test_too_long_input_is_a_field_error_not_a_crash(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = MerchantDialog(admin_ctx)
    _show(qtbot, dialog)
    _edit(dialog, "merchantNoEdit").setText("850093414000001")
    _edit(dialog, "legalNameEdit").setText("很" * 101)
    _save(dialog)
    assert dialog.isVisible()
    assert "100" in dialog.errors.message("legal_name")


def test_edit_saves_the_changes(qtbot: QtBot, admin_ctx: Context) -> None:
    merchant = _merchant(
        admin_ctx, contacts=[MerchantContactBase(name="李会计", role="财务", phone="13912345678")]
    )
    dialog = MerchantDialog(admin_ctx, merchants.get_merchant(admin_ctx, merchant.id))
    _show(qtbot, dialog)
    assert _edit(dialog, "merchantNoEdit").isReadOnly()
    assert dialog.findChild(QTableWidget, "contactsTable").rowCount() == 1
    _edit(dialog, "shopNameEdit").setText("老王超市")
    _choose(dialog.findChild(QComboBox, "riskCombo"), "high")
    _choose(dialog.findChild(QComboBox, "statusCombo"), "suspended")
    _save(dialog)
    assert dialog.result() == MerchantDialog.DialogCode.Accepted
    saved = merchants.get_merchant(admin_ctx, merchant.id)
    assert (saved.shop_name, saved.risk_level, saved.status) == (
        "老王超市",
        RiskLevel.HIGH,
        MerchantStatus.SUSPENDED,
    )
    assert [c.name for c in saved.contacts] == ["李会计"]
    assert saved.version == merchant.version + 1


def test_a_concurrent_edit_is_a_conflict_and_nothing_is_overwritten(
    qtbot: QtBot, admin_ctx: Context
) -> None:
    merchant = _merchant(admin_ctx)
    dialog = MerchantDialog(admin_ctx, merchants.get_merchant(admin_ctx, merchant.id))
    _show(qtbot, dialog)
    # Meanwhile, at another desk:
    merchants.update_merchant(
        admin_ctx, merchant.id, MerchantUpdate(shop_name="老王百货", expected_version=merchant.version)
    )
    _edit(dialog, "shopNameEdit").setText("老王超市")
    _save(dialog)
    assert dialog.isVisible()
    general = dialog.findChild(QLabel, "formError")
    assert general.isVisible()
    assert "changed by someone else" in general.text()
    assert _edit(dialog, "shopNameEdit").text() == "老王超市"
    assert merchants.get_merchant(admin_ctx, merchant.id).shop_name == "老王百货"


# --- closing and deleting -------------------------------------------------------------------------


def test_close_with_a_reason(qtbot: QtBot, admin_ctx: Context) -> None:
    merchant = _merchant(admin_ctx)
    dialog = CloseMerchantDialog(admin_ctx, merchant)
    _show(qtbot, dialog)
    _save(dialog)
    assert dialog.isVisible()
    assert "reason" in dialog.errors.message("reason")
    dialog.reason_edit.setPlainText("店铺转让 停止经营")
    _save(dialog)
    assert dialog.result() == CloseMerchantDialog.DialogCode.Accepted
    saved = merchants.get_merchant(admin_ctx, merchant.id)
    assert saved.status == MerchantStatus.CLOSED
    assert saved.closed_reason == "店铺转让 停止经营"


def test_closing_a_merchant_that_holds_terminals_is_refused_in_words(
    qtbot: QtBot, admin_ctx: Context
) -> None:
    merchant = _merchant(admin_ctx)
    terminal = _terminal(admin_ctx, "NL0001")
    terminals.bind_terminal(admin_ctx, terminal.id, merchant.id, expected_version=terminal.version)
    dialog = CloseMerchantDialog(admin_ctx, merchant)
    _show(qtbot, dialog)
    dialog.reason_edit.setPlainText("停止经营")
    _save(dialog)
    assert dialog.isVisible()
    assert "unbind it first" in dialog.findChild(QLabel, "formError").text()
    assert merchants.get_merchant(admin_ctx, merchant.id).status == MerchantStatus.ACTIVE


def test_the_page_closes_and_then_offers_no_second_close(
    qtbot: QtBot, admin_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    merchant = _merchant(admin_ctx)
    page = MerchantPage(admin_ctx)
    _show(qtbot, page)
    assert page.load(merchant.id)
    assert page.close_button.isEnabled()

    def close_at_once(dialog: CloseMerchantDialog) -> int:
        dialog.reason_edit.setPlainText("停止经营")
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(CloseMerchantDialog, "exec", close_at_once)
    with qtbot.waitSignal(page.merchantChanged):
        page.close_button.click()
    assert page.merchant is not None and page.merchant.status == MerchantStatus.CLOSED
    assert not page.close_button.isEnabled()
    assert "停止经营" in page.findChild(QLabel, "closedValue").text()


def test_delete_asks_first_and_removes_a_merchant_without_history(
    qtbot: QtBot, admin_ctx: Context, note_dialogs: DialogRecorder
) -> None:
    merchant = _merchant(admin_ctx)
    page = MerchantPage(admin_ctx)
    _show(qtbot, page)
    page.load(merchant.id)
    note_dialogs.confirm_answer = False
    page.findChild(QPushButton, "deleteMerchantButton").click()
    assert [kind for kind, _t, _x in note_dialogs.shown] == ["confirm"]
    assert merchants.list_merchants(admin_ctx, MerchantFilter()).total == 1
    note_dialogs.confirm_answer = True
    with qtbot.waitSignal(page.backRequested):
        page.findChild(QPushButton, "deleteMerchantButton").click()
    assert merchants.list_merchants(admin_ctx, MerchantFilter()).total == 0


def test_delete_of_a_merchant_with_history_is_refused_in_words(
    qtbot: QtBot, admin_ctx: Context, note_dialogs: DialogRecorder
) -> None:
    merchant = _merchant(admin_ctx)
    terminal = _terminal(admin_ctx, "NL0001")
    terminals.bind_terminal(admin_ctx, terminal.id, merchant.id, expected_version=terminal.version)
    page = MerchantPage(admin_ctx)
    _show(qtbot, page)
    page.load(merchant.id)
    page.findChild(QPushButton, "deleteMerchantButton").click()
    assert [kind for kind, _t, _x in note_dialogs.shown] == ["confirm", "warn"]
    assert "close it instead" in note_dialogs.shown[1][2]
    assert merchants.list_merchants(admin_ctx, MerchantFilter()).total == 1


# --- the merchant page ----------------------------------------------------------------------------


def test_the_merchant_page_lists_its_terminals_newest_first_and_its_contacts(
    qtbot: QtBot, admin_ctx: Context, qtmodeltester: ModelTester
) -> None:
    merchant = _merchant(
        admin_ctx,
        contacts=[
            MerchantContactBase(name="李会计", role="财务", phone="13912345678"),
            MerchantContactBase(name="张店长", role="店长", phone=""),
        ],
    )
    other = _merchant(admin_ctx, "850093414000002", "深圳市老李餐厅有限公司", "老李餐厅")
    for serial, activated in (("NL0001", date(2025, 1, 5)), ("NL0002", date(2026, 6, 1))):
        terminal = _terminal(admin_ctx, serial, activation_date=activated)
        terminals.bind_terminal(admin_ctx, terminal.id, merchant.id, expected_version=terminal.version)
    elsewhere = _terminal(admin_ctx, "NL0003")
    terminals.bind_terminal(admin_ctx, elsewhere.id, other.id, expected_version=elsewhere.version)

    page = MerchantPage(admin_ctx)
    _show(qtbot, page)
    assert page.load(merchant.id)
    assert page.findChild(QLabel, "pageTitle").text() == "老王便利店"
    assert [t.serial_no for t in page.terminal_rows()] == ["NL0002", "NL0001"]
    assert page.tabs.tabText(0) == "Terminals (2)"
    assert page.tabs.tabText(1) == "Contacts (2)"
    assert [page.contact_model.row_object(r).name for r in range(2)] == ["李会计", "张店长"]
    assert page.findChild(QWidget, "merchantTicketTable") is not None
    for name in ("inspectionsTab", "trainingTab", "casesTab", "complaintsTab"):
        tab = page.findChild(QWidget, name)
        assert "not available yet" in tab.findChild(QLabel, "placeholderText").text()
    assert page.findChild(QLabel, "uscc" + "Value").text() == "—"
    qtmodeltester.check(page.terminal_proxy)
    qtmodeltester.check(page.contact_model)

    with qtbot.waitSignal(page.terminalOpened) as opened:
        page.terminal_table.selectRow(0)
        qtbot.keyClick(page.terminal_table, Qt.Key.Key_Return)
    assert opened.args is not None and opened.args[0] == page.terminal_rows()[0].id


def test_a_technician_sees_masked_data_and_no_edit_buttons(qtbot: QtBot, admin_ctx: Context) -> None:
    merchant = _merchant(admin_ctx, mobile="13800138000", legal_rep_id_no=RESIDENT_ID)
    tech = admin_ctx.as_user(make_user(admin_ctx, "tech1", Role.TECHNICIAN))
    area = CustomersArea(tech)
    _show(qtbot, area)
    assert not area.list_page.findChild(QPushButton, "newMerchantButton").isVisibleTo(area)
    assert not area.list_page.findChild(QPushButton, "editMerchantButton").isVisibleTo(area)
    assert area.open_merchant(merchant.id)
    page = area.merchant_page
    for name in ("editMerchantButton", "closeMerchantButton", "deleteMerchantButton"):
        assert not page.findChild(QPushButton, name).isVisibleTo(page), name
    assert page.findChild(QLabel, "mobileValue").text() != "13800138000"
    assert "*" in page.findChild(QLabel, "legalRepIdNoValue").text()


# --- the list -------------------------------------------------------------------------------------


def _three_merchants(ctx: Context) -> None:
    _merchant(ctx, "850093414000001", "深圳市老王便利店有限公司", "老王便利店", province="广东省", city="深圳市")
    _merchant(
        ctx, "850093414000002", "广州市老李餐厅有限公司", "老李餐厅",
        province="广东省", city="广州市", risk_level=RiskLevel.HIGH,
    )
    _merchant(
        ctx, "850093414000003", "长沙市张记面馆有限公司", "张记面馆",
        province="湖南省", city="长沙市", status=MerchantStatus.SUSPENDED,
    )


def test_filters_narrow_the_list(qtbot: QtBot, admin_ctx: Context) -> None:
    _three_merchants(admin_ctx)
    page = MerchantListPage(admin_ctx)
    _show(qtbot, page)
    assert page.model.rowCount() == 3
    assert page.findChild(QLabel, "merchantCountLabel").text() == "3 merchants"

    _choose(page.findChild(QComboBox, "statusFilter"), "suspended")
    assert _column(page.model, MERCHANT_NO) == ["850093414000003"]
    assert _column(page.model, STATUS) == ["suspended"]
    assert page.current_filters().status == MerchantStatus.SUSPENDED

    page.findChild(QComboBox, "statusFilter").setCurrentIndex(0)
    _choose(page.findChild(QComboBox, "riskFilter"), "high")
    assert _column(page.model, MERCHANT_NO) == ["850093414000002"]
    assert _column(page.model, RISK) == ["high risk"]
    assert page.findChild(QLabel, "merchantCountLabel").text() == "1 merchant"

    page.findChild(QComboBox, "riskFilter").setCurrentIndex(0)
    cities = page.findChild(QComboBox, "cityFilter")
    assert not cities.isEnabled()
    _choose(page.findChild(QComboBox, "provinceFilter"), "广东省")
    assert page.model.rowCount() == 2
    assert cities.isEnabled() and [cities.itemText(i) for i in range(1, cities.count())] == ["广州市", "深圳市"]
    _choose(cities, "深圳市")
    assert _column(page.model, MERCHANT_NO) == ["850093414000001"]
    assert page.current_filters() == MerchantFilter(province="广东省", city="深圳市")

    page.findChild(QComboBox, "provinceFilter").setCurrentIndex(0)
    search = page.findChild(QLineEdit, "merchantSearchEdit")
    search.setText("面馆")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)  # the search runs after a short pause
    assert _column(page.model, MERCHANT_NO) == ["850093414000003"]
    search.setText("8500934140000")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert page.model.rowCount() == 3
    assert page.selected_merchant() is not None


def test_the_list_loads_lazily_and_passes_the_model_tester(
    qtbot: QtBot, admin_ctx: Context, qtmodeltester: ModelTester
) -> None:
    generate_demo_data(admin_ctx, customers=230, terminals_per_customer=0)
    page = MerchantListPage(admin_ctx)
    _show(qtbot, page)
    model = page.model
    assert model.total() == 230
    assert model.rowCount() == 200
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 230 and not model.canFetchMore()
    qtmodeltester.check(model)


def test_enter_opens_the_merchant_and_escape_goes_back(qtbot: QtBot, admin_ctx: Context) -> None:
    _three_merchants(admin_ctx)
    area = CustomersArea(admin_ctx)
    _show(qtbot, area)
    table = area.list_page.table
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert area.currentWidget() is area.merchant_page
    assert area.merchant_page.merchant is not None
    assert area.merchant_page.merchant.merchant_no == "850093414000002"
    back = area.merchant_page.findChild(QAction, "backAction")
    assert {s.toString() for s in back.shortcuts()} == {"Esc", "Alt+Left"}
    back.trigger()
    assert area.currentWidget() is area.list_page
    selected = area.list_page.selected_merchant()
    assert selected is not None and selected.merchant_no == "850093414000002"


def test_the_list_shows_changes_made_meanwhile(qtbot: QtBot, admin_ctx: Context) -> None:
    _three_merchants(admin_ctx)
    area = CustomersArea(admin_ctx)
    _show(qtbot, area)
    first = area.list_page.model.row_object(0)
    area.open_merchant(first.id)
    merchants.update_merchant(
        admin_ctx, first.id, MerchantUpdate(shop_name="老王百货", expected_version=first.version)
    )
    area.merchant_page.back_button.click()
    assert area.list_page.model.row_object(0).shop_name == "老王百货"


def test_the_list_exposes_its_actions_row_and_filters(qtbot: QtBot, admin_ctx: Context) -> None:
    page = MerchantListPage(admin_ctx)
    _show(qtbot, page)
    page.actions_layout.addWidget(QPushButton("Export…"))
    assert page.current_filters() == MerchantFilter()
    assert page.findChild(QPushButton, "newMerchantButton").isVisible()
    assert not page.findChild(QPushButton, "openMerchantButton").isEnabled()


# --- the picker and the main window ---------------------------------------------------------------


def test_the_picker_filters_and_chooses(qtbot: QtBot, admin_ctx: Context) -> None:
    _three_merchants(admin_ctx)
    picker = MerchantPickerDialog(admin_ctx, base=MerchantFilter(status=MerchantStatus.ACTIVE))
    _show(qtbot, picker)
    assert picker.model.rowCount() == 2  # the suspended one is not offered
    picker.findChild(QLineEdit, "pickerSearchEdit").setText("老李")
    picker.apply_filter()
    assert picker.model.rowCount() == 1
    picker.findChild(QPushButton, "chooseButton").click()
    assert picker.result() == MerchantPickerDialog.DialogCode.Accepted
    assert picker.chosen is not None and picker.chosen.shop_name == "老李餐厅"


def test_enter_in_the_picker_search_takes_a_single_match(qtbot: QtBot, admin_ctx: Context) -> None:
    _three_merchants(admin_ctx)
    picker = MerchantPickerDialog(admin_ctx)
    _show(qtbot, picker)
    search = picker.findChild(QLineEdit, "pickerSearchEdit")
    search.setText("850093414000003")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert picker.chosen is not None and picker.chosen.shop_name == "张记面馆"


def test_main_window_open_merchant_shows_the_merchant_page(qtbot: QtBot, admin_ctx: Context) -> None:
    merchant = _merchant(admin_ctx)
    window = MainWindow(admin_ctx, setup.current_branch(admin_ctx))
    _show(qtbot, window)
    window.open_merchant(merchant.id)
    assert window.current_area() == "customers"
    area = window.page_by_area["customers"]
    assert isinstance(area, CustomersArea)
    assert area.currentWidget() is area.merchant_page
    assert area.merchant_page.isVisible()
    assert area.merchant_page.findChild(QLabel, "merchantNoValue").text() == "850093414000001"


def test_over_long_input_is_a_field_error_not_a_crash(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = MerchantDialog(admin_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.merchant_no_edit.setText("822584053990001")
    dialog.legal_name_edit.setText("长" * 150)
    dialog.save()
    assert dialog.isVisible()
    assert "100" in dialog.errors.message("legal_name")
    assert dialog.legal_name_edit.text() == "长" * 150
