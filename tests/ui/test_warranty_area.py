"""Warranty: the contract list and its steps, the contract and policy editors, the working calendar."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDoubleSpinBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.context import Context
from app.models.catalogue import DeviceModelCreate
from app.models.merchant import MerchantCreate, MerchantRead
from app.models.terminal import TerminalCreate, TerminalRead, TerminalType
from app.models.user import Role
from app.models.warranty import (
    ContractStatus,
    CostItem,
    ExclusionCause,
    ServiceContractCreate,
    ServiceContractRead,
    WarrantyPolicyCreate,
    WarrantyPolicyRead,
    WarrantyStart,
)
from app.services import catalogue, merchants, setup, terminals, warranty
from tests.conftest import make_user
from tests.ui.conftest import DialogRecorder
from ui.main_window import MainWindow
from ui.warranty.calendar_panel import CalendarPanel
from ui.warranty.contract_dialog import ContractDialog
from ui.warranty.contract_list_page import ContractListPage
from ui.warranty.policy_dialog import PolicyDialog
from ui.warranty.policy_panel import PolicyPanel
from ui.warranty.terminate_dialog import TerminateDialog
from ui.warranty.warranty_area import WarrantyArea

TODAY = date(2026, 11, 20)  # the FixedClock's day in China


def _show(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _click(widget: QWidget, name: str) -> None:
    button = widget.findChild(QPushButton, name)
    assert button is not None, name
    button.click()


class Shop:
    """A policy, a model under it, a merchant holding two terminals."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.policy = warranty.create_warranty_policy(
            ctx, WarrantyPolicyCreate(name="标准保修", months=12, exclusions=[ExclusionCause.LIQUID_DAMAGE])
        )
        model = catalogue.create_device_model(
            ctx,
            DeviceModelCreate(
                brand="新大陆", model="N910", terminal_type=TerminalType.SMART, warranty_policy_id=self.policy.id
            ),
        )
        self.merchant: MerchantRead = merchants.create_merchant(
            ctx, MerchantCreate(merchant_no="822584053990001", legal_name="深圳市南山区张记便利店", shop_name="张记便利店")
        )
        self.terminals: list[TerminalRead] = []
        for sn, no in (("NL0000000001", "10000001"), ("NL0000000002", "10000002")):
            t = terminals.create_terminal(
                ctx, TerminalCreate(serial_no=sn, terminal_no=no, model_id=model.id, purchase_date=date(2024, 1, 10))
            )
            self.terminals.append(
                terminals.bind_terminal(ctx, t.id, self.merchant.id, expected_version=t.version)
            )

    def draft(self, start: date = date(2026, 1, 1), end: date = date(2026, 12, 31)) -> ServiceContractRead:
        return warranty.create_contract(
            self.ctx,
            ServiceContractCreate(
                merchant_id=self.merchant.id,
                start_date=start,
                end_date=end,
                terminal_ids=[self.terminals[0].id],
                response_hours=4,
                resolution_hours=24,
                fee_fen=50000,
            ),
        )


def _page(qtbot: QtBot, ctx: Context) -> ContractListPage:
    page = ContractListPage(ctx)
    _show(qtbot, page)
    return page


def _select(page: ContractListPage, contract_id: object) -> None:
    assert page.select_contract(contract_id)  # type: ignore[arg-type]


def _numbers(page: ContractListPage) -> list[str]:
    return [page.model.row_object(r).contract_no for r in range(page.model.rowCount())]


def _fill_contract(dialog: ContractDialog, shop: Shop) -> None:
    dialog.set_merchant(shop.merchant)
    item = dialog.terminal_list.item(1)
    assert item.text().startswith("NL0000000002")
    item.setCheckState(Qt.CheckState.Checked)
    dialog.findChild(QDateEdit, "startDateEdit").setDate(QDate(2026, 12, 1))
    dialog.findChild(QSpinBox, "responseHoursSpin").setValue(8)
    dialog.findChild(QSpinBox, "resolutionHoursSpin").setValue(48)
    dialog.findChild(QCheckBox, "coversReplacementCheck").setChecked(True)
    dialog.exclusions.set_checked([ExclusionCause.PHYSICAL_DAMAGE.value])
    dialog.findChild(QDoubleSpinBox, "feeEdit").setValue(1200.0)
    dialog.findChild(QPlainTextEdit, "notesEdit").setPlainText("含上门服务")


# --- the contract dialog and the list -------------------------------------------------------------


def test_create_a_contract_through_the_dialog_and_see_it_listed(
    qtbot: QtBot, admin_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = Shop(admin_ctx)
    page = _page(qtbot, admin_ctx)
    assert page.model.rowCount() == 0
    opened: list[ContractDialog] = []

    def fill_and_save(dialog: ContractDialog) -> int:
        opened.append(dialog)
        # A new contract starts today and runs twelve months; the end follows the start.
        assert dialog.findChild(QDateEdit, "startDateEdit").date().toPython() == TODAY
        assert dialog.findChild(QDateEdit, "endDateEdit").date().toPython() == date(2027, 11, 19)
        _fill_contract(dialog, shop)
        assert dialog.findChild(QDateEdit, "endDateEdit").date().toPython() == date(2027, 11, 30)
        _click(dialog, "saveButton")
        return int(dialog.result())

    monkeypatch.setattr(ContractDialog, "exec", fill_and_save)
    _click(page, "newContractButton")
    created = opened[0].result_contract
    assert created is not None
    assert created.status == ContractStatus.DRAFT and created.terminal_serials == ["NL0000000002"]
    assert (created.start_date, created.end_date) == (date(2026, 12, 1), date(2027, 11, 30))
    assert (created.response_hours, created.resolution_hours, created.fee_fen) == (8, 48, 120000)
    assert created.free_items == {CostItem.PARTS, CostItem.LABOUR, CostItem.ONSITE, CostItem.REPLACEMENT}
    assert created.exclusions == [ExclusionCause.PHYSICAL_DAMAGE] and created.notes == "含上门服务"
    assert _numbers(page) == [created.contract_no]
    assert page.selected_contract() is not None and page.selected_contract().id == created.id  # type: ignore[union-attr]
    row = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert row == [
        created.contract_no, "张记便利店 (822584053990001)", "2026-12-01", "2027-11-30", "draft",
        "8 h / 48 h", "1", "¥1,200.00",
    ]
    assert page.findChild(QLabel, "contractNoValue").text() == created.contract_no
    assert "NL0000000002" in page.findChild(QLabel, "terminalsValue").text()


def test_an_end_before_the_start_shows_at_the_end_date_and_keeps_the_input(
    qtbot: QtBot, admin_ctx: Context
) -> None:
    shop = Shop(admin_ctx)
    dialog = ContractDialog(admin_ctx)
    _show(qtbot, dialog)
    _click(dialog, "saveButton")
    assert "choose the merchant" in dialog.errors.message("merchant_id")
    _fill_contract(dialog, shop)
    dialog.findChild(QDateEdit, "endDateEdit").setDate(QDate(2026, 11, 30))
    _click(dialog, "saveButton")
    assert dialog.isVisible() and dialog.result_contract is None
    assert "before the start" in dialog.errors.message("end_date")
    assert dialog.findChild(QLabel, "end_dateError").isVisible()
    assert dialog.findChild(QDateEdit, "endDateEdit").date() == QDate(2026, 11, 30)
    assert dialog.findChild(QDateEdit, "startDateEdit").date() == QDate(2026, 12, 1)
    assert dialog.terminal_list.values() == [shop.terminals[1].id]
    assert dialog.findChild(QDoubleSpinBox, "feeEdit").value() == 1200.0
    assert warranty.list_contracts(admin_ctx).total == 0
    # No terminal and not all of them: said at the terminal list.
    dialog.terminal_list.set_checked([])
    dialog.findChild(QDateEdit, "endDateEdit").setDate(QDate(2027, 11, 30))
    _click(dialog, "saveButton")
    assert "Choose the terminals" in dialog.errors.message("terminal_ids")


def test_an_active_contract_changes_only_its_notes_and_terminals(qtbot: QtBot, admin_ctx: Context) -> None:
    shop = Shop(admin_ctx)
    draft = shop.draft()
    active = warranty.activate_contract(admin_ctx, draft.id, draft.version)
    dialog = ContractDialog(admin_ctx, active)
    _show(qtbot, dialog)
    assert not dialog.findChild(QDateEdit, "endDateEdit").isEnabled()
    assert not dialog.findChild(QDoubleSpinBox, "feeEdit").isEnabled()
    assert dialog.terminal_list.isEnabled() and dialog.findChild(QPlainTextEdit, "notesEdit").isEnabled()
    dialog.terminal_list.set_checked([t.id for t in shop.terminals])
    dialog.findChild(QPlainTextEdit, "notesEdit").setPlainText("加一台")
    _click(dialog, "saveButton")
    saved = dialog.result_contract
    assert saved is not None and saved.notes == "加一台"
    assert saved.terminal_serials == ["NL0000000001", "NL0000000002"]


def test_activate_terminate_and_renew(
    qtbot: QtBot, admin_ctx: Context, note_dialogs: DialogRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = Shop(admin_ctx)
    draft = shop.draft()
    page = _page(qtbot, admin_ctx)
    _select(page, draft.id)
    buttons = {n: page.findChild(QPushButton, n) for n in (
        "editContractButton", "activateContractButton", "terminateContractButton",
        "renewContractButton", "deleteContractButton", "printContractButton",
    )}
    assert [n for n, b in buttons.items() if b.isEnabled()] == [
        "editContractButton", "activateContractButton", "deleteContractButton", "printContractButton"
    ]

    _click(page, "activateContractButton")
    assert note_dialogs.shown[-1][0] == "confirm"
    active = page.selected_contract()
    assert active is not None and active.id == draft.id and active.status == ContractStatus.ACTIVE
    assert [n for n, b in buttons.items() if b.isEnabled()] == [
        "editContractButton", "terminateContractButton", "renewContractButton", "printContractButton"
    ]

    # Renewing opens the new draft for editing.
    edited: list[ServiceContractRead | None] = []

    def look(dialog: ContractDialog) -> int:
        edited.append(dialog.contract)
        return 0

    monkeypatch.setattr(ContractDialog, "exec", look)
    _click(page, "renewContractButton")
    renewed = edited[0]
    assert renewed is not None and renewed.status == ContractStatus.DRAFT
    assert renewed.renews_no == draft.contract_no
    assert (renewed.start_date, renewed.end_date) == (date(2027, 1, 1), date(2027, 12, 31))
    assert page.selected_contract().id == renewed.id  # type: ignore[union-attr]
    assert draft.contract_no in page.findChild(QLabel, "renewalValue").text()
    assert set(_numbers(page)) == {draft.contract_no, renewed.contract_no}

    # The renewal link leads back to the old contract.
    page.details.contractRequested.emit(draft.contract_no)
    assert page.selected_contract().id == draft.id  # type: ignore[union-attr]
    assert renewed.contract_no in page.findChild(QLabel, "renewalValue").text()
    assert not buttons["renewContractButton"].isEnabled()  # renewed already

    def terminate(dialog: TerminateDialog) -> int:
        terminate_button = dialog.findChild(QPushButton, "terminateButton")
        assert not terminate_button.isEnabled()  # the reason is required
        assert dialog.findChild(QDateEdit, "terminationDateEdit").date().toPython() == TODAY
        dialog.findChild(QPlainTextEdit, "terminationReasonEdit").setPlainText("商户关店")
        terminate_button.click()
        return int(dialog.result())

    monkeypatch.setattr(TerminateDialog, "exec", terminate)
    _click(page, "terminateContractButton")
    assert note_dialogs.shown[-1][0] == "confirm" and "cannot be undone" in note_dialogs.shown[-1][2]
    ended = page.selected_contract()
    assert ended is not None and ended.status == ContractStatus.TERMINATED
    assert ended.termination_reason == "商户关店" and ended.terminated_on == TODAY
    assert "商户关店" in page.findChild(QLabel, "terminationValue").text()
    assert [n for n, b in buttons.items() if b.isEnabled()] == ["printContractButton"]


def test_delete_a_draft_with_the_delete_key_after_asking(
    qtbot: QtBot, admin_ctx: Context, note_dialogs: DialogRecorder
) -> None:
    shop = Shop(admin_ctx)
    draft = shop.draft()
    page = _page(qtbot, admin_ctx)
    _select(page, draft.id)
    action = page.findChild(QAction, "deleteContractAction")
    note_dialogs.confirm_answer = False
    action.trigger()
    assert _numbers(page) == [draft.contract_no]
    note_dialogs.confirm_answer = True
    action.trigger()
    assert [kind for kind, *_rest in note_dialogs.shown] == ["confirm", "confirm"]
    assert _numbers(page) == [] and page.details.contract is None
    assert warranty.list_contracts(admin_ctx).total == 0


def test_enter_opens_a_draft_for_editing_and_others_to_read(
    qtbot: QtBot, admin_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.warranty.contract_page import ContractViewDialog

    shop = Shop(admin_ctx)
    draft = shop.draft()
    other = shop.draft()
    warranty.activate_contract(admin_ctx, other.id, other.version)
    page = _page(qtbot, admin_ctx)
    shown: list[str] = []
    monkeypatch.setattr(ContractDialog, "exec", lambda d: shown.append(f"edit {d.contract.contract_no}") or 0)
    monkeypatch.setattr(
        ContractViewDialog, "exec", lambda d: shown.append(f"view {d.details.contract.contract_no}") or 0
    )
    for contract in (draft, other):
        _select(page, contract.id)
        row = page.table.selectionModel().selectedRows()[0]
        page.table.activated.emit(row)
    assert shown == [f"edit {draft.contract_no}", f"view {other.contract_no}"]


def test_the_filters(qtbot: QtBot, admin_ctx: Context) -> None:
    shop = Shop(admin_ctx)
    draft = shop.draft()
    soon = shop.draft(date(2026, 1, 1), date(2026, 12, 10))
    warranty.activate_contract(admin_ctx, soon.id, soon.version)
    later = shop.draft(date(2026, 1, 1), date(2027, 6, 30))
    warranty.activate_contract(admin_ctx, later.id, later.version)
    page = _page(qtbot, admin_ctx)
    assert page.findChild(QLabel, "contractCountLabel").text() == "3 contracts"
    combo = page.status_filter
    combo.setCurrentIndex(combo.findData(ContractStatus.DRAFT.value))
    assert _numbers(page) == [draft.contract_no]
    combo.setCurrentIndex(0)
    page.findChild(QCheckBox, "endingWithinCheck").setChecked(True)
    assert _numbers(page) == [soon.contract_no]
    page.findChild(QSpinBox, "endingWithinSpin").setValue(365)
    assert _numbers(page) == [soon.contract_no, later.contract_no]


def test_the_contract_model(qtbot: QtBot, admin_ctx: Context, qtmodeltester: ModelTester) -> None:
    shop = Shop(admin_ctx)
    shop.draft()
    shop.draft()
    page = _page(qtbot, admin_ctx)
    qtmodeltester.check(page.model)


# --- policies -------------------------------------------------------------------------------------


def _policy_rows(panel: PolicyPanel) -> list[list[str]]:
    return [
        [panel.model.index(r, c).data() for c in range(panel.model.columnCount())]
        for r in range(panel.model.rowCount())
    ]


def test_the_policy_editor_creates_and_edits_a_policy(
    qtbot: QtBot, admin_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = PolicyPanel(admin_ctx)
    _show(qtbot, panel)
    assert _policy_rows(panel) == []

    def create(dialog: PolicyDialog) -> int:
        dialog.name_edit.setText("延保24个月")
        dialog.findChild(QSpinBox, "monthsSpin").setValue(18)
        combo = dialog.start_combo
        combo.setCurrentIndex(combo.findData(WarrantyStart.ACTIVATION.value))
        dialog.findChild(QCheckBox, "coversOnsiteCheck").setChecked(True)
        dialog.exclusions.set_checked([ExclusionCause.LIQUID_DAMAGE.value, ExclusionCause.LOST_OR_STOLEN.value])
        dialog.findChild(QPlainTextEdit, "documentTextEdit").setPlainText("进液、丢失不在保修范围。")
        _click(dialog, "saveButton")
        return int(dialog.result())

    monkeypatch.setattr(PolicyDialog, "exec", create)
    _click(panel, "newPolicyButton")
    assert _policy_rows(panel) == [
        ["延保24个月", "18", "activation date", "parts, labour, on-site visit", "2", "0", "0", "yes"]
    ]
    created = panel.selected_policy()
    assert created is not None and created.document_text == "进液、丢失不在保修范围。"

    def edit(dialog: PolicyDialog) -> int:
        assert dialog.name_edit.text() == "延保24个月"
        dialog.findChild(QSpinBox, "monthsSpin").setValue(24)
        dialog.findChild(QCheckBox, "activeCheck").setChecked(False)
        _click(dialog, "saveButton")
        return int(dialog.result())

    monkeypatch.setattr(PolicyDialog, "exec", edit)
    _click(panel, "editPolicyButton")
    assert _policy_rows(panel)[0][1] == "24" and _policy_rows(panel)[0][-1] == "no"
    assert warranty.get_warranty_policy(admin_ctx, created.id).months == 24


def test_a_stale_policy_edit_says_so_and_a_bad_one_at_its_field(qtbot: QtBot, admin_ctx: Context) -> None:
    policy: WarrantyPolicyRead = warranty.create_warranty_policy(admin_ctx, WarrantyPolicyCreate(name="标准保修"))
    warranty.create_warranty_policy(admin_ctx, WarrantyPolicyCreate(name="延保"))
    dialog = PolicyDialog(admin_ctx, policy)
    _show(qtbot, dialog)
    dialog.name_edit.setText("延保")
    _click(dialog, "saveButton")
    assert "already exists" in dialog.errors.message("name") and dialog.name_edit.text() == "延保"
    dialog.name_edit.setText("标准保修")
    from app.models.warranty import WarrantyPolicyUpdate

    warranty.update_warranty_policy(admin_ctx, policy.id, WarrantyPolicyUpdate(months=6, expected_version=policy.version))
    dialog.findChild(QSpinBox, "monthsSpin").setValue(36)
    _click(dialog, "saveButton")
    assert dialog.isVisible()
    error = dialog.findChild(QLabel, "formError")
    assert error.isVisible() and "changed this policy meanwhile" in error.text()


# --- the working calendar -------------------------------------------------------------------------


def test_the_calendar_warns_outside_the_known_years_and_marks_days(
    qtbot: QtBot, admin_ctx: Context
) -> None:
    panel = CalendarPanel(admin_ctx)
    _show(qtbot, panel)
    warning = panel.findChild(QLabel, "calendarFallbackWarning")
    assert panel.year() == 2026 and not warning.isVisible()
    assert panel.selected_day() == TODAY
    panel.set_year(2027)
    assert warning.isVisible() and "2027" in warning.text() and "only weekends" in warning.text()
    panel.select_day(date(2027, 1, 1))
    assert "working day by the weekend rule" in panel.day_label.text()  # a Friday, unknown year
    panel.note_edit.setText("元旦")
    _click(panel, "markDayOffButton")
    rows = [
        [panel.model.index(r, c).data() for c in range(panel.model.columnCount())]
        for r in range(panel.model.rowCount())
    ]
    assert rows == [["2027-01-01", "day off", "元旦"]]
    assert "day off, marked here (元旦)" in panel.day_label.text()
    assert panel.calendar.dateTextFormat(QDate(2027, 1, 1)).foreground().color().name() == "#cf222e"
    assert not warranty.working_calendar(admin_ctx).is_workday(date(2027, 1, 1))
    assert panel.findChild(QPushButton, "removeExceptionButton").isEnabled()
    panel.set_year(2026)
    assert not warning.isVisible() and panel.model.rowCount() == 0
    panel.select_day(date(2026, 10, 1))
    assert "day off by the national calendar" in panel.day_label.text()
    panel.set_year(2027)
    panel.select_day(date(2027, 1, 1))
    _click(panel, "removeExceptionButton")
    assert panel.model.rowCount() == 0
    assert warranty.list_calendar_exceptions(admin_ctx) == []


# --- the area, roles and the main window ----------------------------------------------------------

EDIT_BUTTONS = (
    "newContractButton", "editContractButton", "activateContractButton", "terminateContractButton",
    "renewContractButton", "deleteContractButton", "newPolicyButton", "editPolicyButton",
    "markWorkdayButton", "markDayOffButton", "removeExceptionButton",
)


def _visible_buttons(area: WarrantyArea) -> set[str]:
    """The buttons a person sees, going through every tab."""
    seen = set()
    for index in range(area.count()):
        area.setCurrentIndex(index)
        seen |= {b.objectName() for b in area.currentWidget().findChildren(QPushButton) if b.isVisible()}
    return seen


def test_a_technician_sees_no_edit_buttons(qtbot: QtBot, admin_ctx: Context) -> None:
    Shop(admin_ctx).draft()
    tech = make_user(admin_ctx, "tech1", Role.TECHNICIAN)
    area = WarrantyArea(admin_ctx.as_user(tech))
    _show(qtbot, area)
    assert area.contract_list.model.rowCount() == 1
    area.contract_list.table.selectRow(0)
    visible = _visible_buttons(area)
    assert "printContractButton" in visible and not visible & set(EDIT_BUTTONS)
    assert not area.contract_list.new_action.isEnabled()
    assert area.findChild(QLabel, "calendarReadOnlyLabel").isVisible()


def test_a_clerk_edits_contracts_but_not_policies_or_the_calendar(qtbot: QtBot, admin_ctx: Context) -> None:
    clerk = make_user(admin_ctx, "clerk1", Role.CLERK)
    area = WarrantyArea(admin_ctx.as_user(clerk))
    _show(qtbot, area)
    assert _visible_buttons(area) & set(EDIT_BUTTONS) == {
        "newContractButton", "editContractButton", "activateContractButton", "terminateContractButton",
        "renewContractButton", "deleteContractButton",
    }


def test_the_main_window_shows_the_area_and_follows_its_links(qtbot: QtBot, admin_ctx: Context) -> None:
    shop = Shop(admin_ctx)
    draft = shop.draft()
    window = MainWindow(admin_ctx, setup.current_branch(admin_ctx))
    _show(qtbot, window)
    window.open_area("warranty")
    area = window.page_by_area["warranty"]
    assert isinstance(area, WarrantyArea) and area.objectName() == "warrantyArea"
    assert [area.tabText(i) for i in range(area.count())] == [
        "Contracts",
        "Ending soon",
        "Policies",
        "Working calendar",
    ]
    tab = QLabel("later")
    assert area.add_tab(tab, "Later") == 4
    area.setCurrentIndex(1)
    area.expiring_panel.contractOpened.emit(draft.id)  # the ending-soon list opens a contract
    assert area.currentWidget() is area.contract_list
    _select(area.contract_list, draft.id)
    area.contract_list.details.terminalOpened.emit(shop.terminals[0].id)
    assert window.current_area() == "devices"
    window.open_area("warranty")
    area.contract_list.findChild(QPushButton, "openMerchantButton").click()
    assert window.current_area() == "customers"


def test_print_summary_previews_the_pdf(
    qtbot: QtBot, admin_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.shared.pdf_preview import PdfPreviewDialog

    draft = Shop(admin_ctx).draft()
    page = _page(qtbot, admin_ctx)
    _select(page, draft.id)
    previews: list[PdfPreviewDialog] = []

    def keep(dialog: PdfPreviewDialog) -> int:
        qtbot.addWidget(dialog)
        previews.append(dialog)
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", keep)
    _click(page, "printContractButton")
    assert len(previews) == 1 and draft.contract_no in previews[0].windowTitle()
    assert previews[0].preview._data.startswith(b"%PDF")
