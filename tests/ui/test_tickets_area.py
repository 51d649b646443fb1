"""Tickets: the list's views, filters, sort and bulk assign; follow-up calls; settings; ticket tabs;
the main window's F2 and open_ticket; a merchant's tickets on the merchant page.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.context import Context
from app.models.ticket import Priority, SlaState, TicketFilter, TicketStep
from app.services import setup, tickets
from tests.app.services.test_tickets import Desk
from tests.conftest import FixedClock
from tests.ui.conftest import DialogRecorder
from ui.customers.customers_area import CustomersArea
from ui.customers.merchant_page import MerchantPage
from ui.main_window import MainWindow
from ui.shared import pdf_preview
from ui.shared.widgets import find_data
from ui.tickets.assign_dialog import AssignDialog
from ui.tickets.intake_dialog import IntakeDialog
from ui.tickets.ticket_list_page import (
    VIEW_ALL,
    VIEW_MINE,
    VIEW_OPEN,
    VIEW_OVERDUE,
    VIEW_UNASSIGNED,
    DayWorkOrdersDialog,
)
from ui.tickets.ticket_settings_panel import FaultCategoryDialog
from ui.tickets.ticket_table_model import SLA_COLOURS
from ui.tickets.tickets_area import TicketsArea


@pytest.fixture
def desk(admin_ctx: Context) -> Desk:
    return Desk(admin_ctx)


def _show(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _area(qtbot: QtBot, ctx: Context) -> TicketsArea:
    area = TicketsArea(ctx)
    _show(qtbot, area)
    return area


def _choose(combo: QComboBox, data: object) -> None:
    index = find_data(combo, data)
    assert index >= 0, f"{data!r} not in {combo.objectName()}"
    combo.setCurrentIndex(index)


def _numbers(area: TicketsArea) -> list[str]:
    model = area.ticket_list.model
    return [model.row_object(r).ticket_no for r in range(model.rowCount())]


def _tab_titles(area: TicketsArea) -> list[str]:
    return [area.tabText(i) for i in range(area.count())]


# --- the list -------------------------------------------------------------------------------------


def test_views_unassigned_and_overdue_follow_the_clock(
    qtbot: QtBot, desk: Desk, clock: FixedClock, qtmodeltester: ModelTester
) -> None:
    first, second, third = desk.open(Priority.P1), desk.open(), desk.open(Priority.P4)
    desk.step(desk.clerk, first, TicketStep.ASSIGN, assignee_id=desk.tech.user.id)  # type: ignore[union-attr]
    area = _area(qtbot, desk.clerk)
    page = area.ticket_list
    assert _tab_titles(area) == ["Tickets", "Follow-up calls"]  # a clerk has no settings tab
    view = page.findChild(QComboBox, "ticketViewCombo")
    assert view.currentData() == VIEW_OPEN and find_data(view, VIEW_MINE) == -1
    assert page.findChild(QLabel, "ticketCountLabel").text() == "3 tickets"
    assert _numbers(area) == [first.ticket_no, second.ticket_no, third.ticket_no]  # most urgent first
    sla = page.model.sla_column
    assert page.model.index(0, sla).data() == "2 h 0 min left"  # P1: 2 working hours to respond
    _choose(view, VIEW_UNASSIGNED)
    assert _numbers(area) == [second.ticket_no, third.ticket_no]
    _choose(view, VIEW_OVERDUE)
    assert _numbers(area) == []

    clock.advance(days=10)
    page.reload()  # F5
    assert page.model.total() == 3
    index = page.model.index(0, sla)
    assert index.data().endswith(" late")
    assert page.model.row_object(0).sla_state == SlaState.LATE
    assert index.data(Qt.ItemDataRole.BackgroundRole).color().name() == SLA_COLOURS[SlaState.LATE][0]
    assert index.data(Qt.ItemDataRole.ForegroundRole).color().name() == SLA_COLOURS[SlaState.LATE][1]
    assert "Response due" in index.data(Qt.ItemDataRole.ToolTipRole)
    qtmodeltester.check(page.model)


def test_bulk_assign_moves_the_selected_tickets(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.open(), desk.open(), desk.open()
    area = _area(qtbot, desk.clerk)
    page = area.ticket_list
    _choose(page.findChild(QComboBox, "ticketViewCombo"), VIEW_UNASSIGNED)
    page.table.selectRow(0)
    page.table.selectionModel().select(
        page.model.index(1, 0), page.table.selectionModel().SelectionFlag.Select
        | page.table.selectionModel().SelectionFlag.Rows,
    )
    assert len(page.selected_ticket_ids()) == 2

    def assign_to_tech2(dialog: AssignDialog) -> int:
        _choose(dialog.findChild(QComboBox, "assignTechnicianCombo"), desk.tech2.user.id)  # type: ignore[union-attr]
        dialog.findChild(QPushButton, "assignButton").click()
        return int(dialog.result())

    monkeypatch.setattr(AssignDialog, "exec", assign_to_tech2)
    button = page.findChild(QPushButton, "bulkAssignButton")
    assert button.isVisible() and button.isEnabled()
    button.click()
    assert page.findChild(QLabel, "ticketNoticeLabel").text() == "2 tickets assigned to 赵磊."
    assert page.model.total() == 1  # the unassigned view keeps only the third
    mine = tickets.list_tickets(desk.admin, TicketFilter(assignee_id=desk.tech2.user.id))  # type: ignore[union-attr]
    assert mine.total == 2


def test_a_technician_sees_my_tickets_and_no_bulk_assign(qtbot: QtBot, desk: Desk) -> None:
    mine, _other = desk.open(), desk.open()
    desk.step(desk.clerk, mine, TicketStep.ASSIGN, assignee_id=desk.tech.user.id)  # type: ignore[union-attr]
    area = _area(qtbot, desk.tech)
    page = area.ticket_list
    assert page.findChild(QComboBox, "ticketViewCombo").currentData() == VIEW_MINE
    assert _numbers(area) == [mine.ticket_no]
    assert page.findChild(QPushButton, "bulkAssignButton").isHidden()
    assert _tab_titles(area) == ["Tickets"]
    _choose(page.findChild(QComboBox, "ticketViewCombo"), VIEW_ALL)
    assert page.model.total() == 2


def test_filters_search_and_header_sort(qtbot: QtBot, desk: Desk) -> None:
    first, second = desk.open(Priority.P4), desk.open(Priority.P1)
    area = _area(qtbot, desk.clerk)
    page = area.ticket_list
    assert _numbers(area) == [second.ticket_no, first.ticket_no]  # P1 falls due first
    _choose(page.findChild(QComboBox, "ticketPriorityFilter"), Priority.P4.value)
    assert _numbers(area) == [first.ticket_no]
    page.findChild(QComboBox, "ticketPriorityFilter").setCurrentIndex(0)
    _choose(page.findChild(QComboBox, "ticketStatusFilter"), "new")
    assert page.model.total() == 2
    page.findChild(QComboBox, "ticketStatusFilter").setCurrentIndex(0)

    # A click on the ticket no. header sorts by it, a second click turns it round.
    header = page.table.horizontalHeader()
    header.sectionClicked.emit(0)
    assert page.current_filters().sort == "ticket_no" and not page.current_filters().descending
    assert _numbers(area) == [first.ticket_no, second.ticket_no]
    header.sectionClicked.emit(0)
    assert page.current_filters().descending
    assert page.findChild(QCheckBox, "ticketSortDescending").isChecked()
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert _numbers(area) == [second.ticket_no, first.ticket_no]
    header.sectionClicked.emit(3)  # the merchant: the service cannot sort by it, nothing changes
    assert page.current_filters().sort == "ticket_no"

    # A scanned ticket number and Enter: the one row, selected, keyboard on the list.
    search = page.findChild(QLineEdit, "ticketSearchEdit")
    search.setText(first.ticket_no.lower())
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert _numbers(area) == [first.ticket_no]
    assert page.selected_ticket_ids() == [first.id]
    search.setText("NL0000000001")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert page.model.total() == 2


def test_the_sla_refresh_keeps_the_selection(qtbot: QtBot, desk: Desk, clock: FixedClock) -> None:
    desk.open(), desk.open()
    area = _area(qtbot, desk.clerk)
    page = area.ticket_list
    page.table.selectRow(1)
    chosen = page.selected_ticket_ids()
    before = page.model.index(1, page.model.sla_column).data()
    clock.advance(minutes=30)
    page.refresh_sla()
    assert page.selected_ticket_ids() == chosen
    assert page.model.index(1, page.model.sla_column).data() != before
    assert page.sla_timer.isActive() and page.sla_timer.interval() == 60_000


def test_print_day_shows_the_technicians_work_orders(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket = desk.open()
    desk.step(desk.clerk, ticket, TicketStep.ASSIGN, assignee_id=desk.tech.user.id)  # type: ignore[union-attr]
    area = _area(qtbot, desk.clerk)
    shown: list[tuple[bytes, str]] = []

    def preview_tech(dialog: DayWorkOrdersDialog) -> int:
        _choose(dialog.findChild(QComboBox, "dayTechnicianCombo"), desk.tech2.user.id)  # type: ignore[union-attr]
        dialog.findChild(QPushButton, "previewButton").click()
        assert dialog.pdf is None and dialog.result() == 0  # 赵磊 has nothing: said beside the combo
        assert "has no open tickets" in dialog.findChild(QLabel, "assignee_idError").text()
        _choose(dialog.findChild(QComboBox, "dayTechnicianCombo"), desk.tech.user.id)  # type: ignore[union-attr]
        dialog.findChild(QPushButton, "previewButton").click()
        return int(dialog.result())

    monkeypatch.setattr(DayWorkOrdersDialog, "exec", preview_tech)
    monkeypatch.setattr(
        pdf_preview.PdfPreviewDialog, "exec", lambda dialog: shown.append((dialog.preview.pdf_data(), dialog.windowTitle())) or 0
    )
    area.ticket_list.findChild(QPushButton, "printDayButton").click()
    assert len(shown) == 1
    data, title = shown[0]
    assert data.startswith(b"%PDF") and title == "Work orders of 陈伟 for 2026-11-20"


# --- follow-up calls and settings ----------------------------------------------------------------


def test_a_closed_ticket_shows_in_follow_up_calls_three_days_later(
    qtbot: QtBot, desk: Desk, clock: FixedClock
) -> None:
    ticket = desk.to_resolved(desk.open())
    desk.step(desk.clerk, ticket, TicketStep.CLOSE, confirmed_by="张先生")
    area = _area(qtbot, desk.clerk)
    follow_ups = area.follow_up_list
    assert follow_ups is not None
    area.setCurrentWidget(follow_ups)
    assert follow_ups.model.total() == 0
    clock.advance(days=3)
    follow_ups.reload()  # F5
    assert follow_ups.findChild(QLabel, "followUpCountLabel").text() == "1 call due"
    row = [follow_ups.model.index(0, c).data() for c in range(follow_ups.model.columnCount())]
    assert row[0] == ticket.ticket_no and row[2] == "张先生" and row[3] == "13800138000"
    assert row[5] == "2026-11-23"
    with qtbot.waitSignal(follow_ups.ticketOpened) as opened:
        follow_ups.table.selectRow(0)
        follow_ups.open_selected()
    assert opened.args == [ticket.id]


def test_settings_save_an_sla_target_and_fault_categories(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    area = _area(qtbot, desk.admin)
    panel = area.settings_panel
    assert panel is not None and _tab_titles(area)[-1] == "Settings"
    area.setCurrentWidget(panel)
    panel.findChild(QSpinBox, "slaResponseSpinP3").setValue(2)
    panel.findChild(QSpinBox, "slaResolutionSpinP3").setValue(6)
    panel.findChild(QCheckBox, "slaWorkingHoursCheckP3").setChecked(False)
    panel.findChild(QPushButton, "saveSlaButton").click()
    assert panel.findChild(QLabel, "slaSavedLabel").text() == "Saved."
    p3 = next(d for d in tickets.list_sla_defaults(desk.admin) if d.priority == Priority.P3)
    assert (p3.response_hours, p3.resolution_hours, p3.working_hours_only) == (2, 6, False)
    # A resolution shorter than the response is refused beside its row; nothing else changes.
    panel.findChild(QSpinBox, "slaResponseSpinP4").setValue(30)
    panel.findChild(QSpinBox, "slaResolutionSpinP4").setValue(10)
    panel.findChild(QPushButton, "saveSlaButton").click()
    error = panel.findChild(QLabel, "slaErrorP4")
    assert error.isVisible() and "cannot be shorter" in error.text()

    panel.findChild(QSpinBox, "followUpDaysSpin").setValue(5)
    panel.findChild(QCheckBox, "pauseForPartsCheck").setChecked(True)
    panel.findChild(QPushButton, "saveTicketSettingsButton").click()
    settings = tickets.get_ticket_settings(desk.admin)
    assert (settings.follow_up_days, settings.pause_while_waiting_for_parts) == (5, True)

    names = iter(["扫码枪故障", "扫码头故障"])

    def type_name(dialog: FaultCategoryDialog) -> int:
        dialog.findChild(QLineEdit, "faultNameEdit").setText(next(names))
        dialog.findChild(QPushButton, "saveButton").click()
        return int(dialog.result())

    monkeypatch.setattr(FaultCategoryDialog, "exec", type_name)
    panel.findChild(QPushButton, "addFaultButton").click()
    assert panel.selected_fault() is not None and panel.selected_fault().label == "扫码枪故障"  # type: ignore[union-attr]
    panel.findChild(QPushButton, "renameFaultButton").click()
    assert panel.selected_fault().label == "扫码头故障"  # type: ignore[union-attr]
    toggle = panel.findChild(QPushButton, "toggleFaultButton")
    assert toggle.text() == "Deactivate"
    toggle.click()
    assert toggle.text() == "Activate"
    assert "扫码头故障" not in [f.label for f in tickets.list_fault_categories(desk.admin)]
    assert "扫码头故障" in [f.label for f in tickets.list_fault_categories(desk.admin, include_inactive=True)]


# --- ticket tabs, the main window, the merchant page ----------------------------------------------


def test_open_ticket_makes_one_tab_per_ticket(qtbot: QtBot, desk: Desk) -> None:
    first, second = desk.open(), desk.open()
    area = _area(qtbot, desk.clerk)
    page = area.open_ticket(first.id)
    assert page is not None and getattr(page, "ticket_id", None) == first.id
    assert area.currentWidget() is page and area.tabText(area.currentIndex()) == first.ticket_no
    count = area.count()
    assert area.open_ticket(first.id) is page and area.count() == count
    other = area.open_ticket(second.id)
    assert other is not None and area.count() == count + 1
    area.setCurrentWidget(page)
    area.close_current_ticket()  # Ctrl+W
    assert area.count() == count and first.id not in area.ticket_pages
    area.setCurrentWidget(area.ticket_list)
    area.close_current_ticket()  # the list itself stays
    assert area.count() == count


def test_main_window_f2_opens_intake_and_open_ticket_shows_it(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket = desk.open()
    asked: list[IntakeDialog] = []
    monkeypatch.setattr(IntakeDialog, "exec", lambda dialog: asked.append(dialog) or 0)
    window = MainWindow(desk.clerk, setup.current_branch(desk.admin))
    _show(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.navigation, Qt.Key.Key_F2)
    assert len(asked) == 1 and window.current_area() == "tickets"
    area = window.page_by_area["tickets"]
    assert isinstance(area, TicketsArea) and area.objectName() == "ticketsArea"
    window.open_area("customers")
    window.open_ticket(ticket.id)
    assert window.current_area() == "tickets"
    assert area.ticket_page(ticket.id) is area.currentWidget()


def test_the_merchant_page_lists_its_tickets_and_opens_one(
    qtbot: QtBot, desk: Desk, clock: FixedClock
) -> None:
    older = desk.open()
    clock.advance(minutes=5)
    newer = desk.open()
    page = MerchantPage(desk.clerk)
    _show(qtbot, page)
    assert page.load(desk.shop.merchant_id)
    tab = page.findChild(QWidget, "ticketsTab")
    assert page.tabs.indexOf(tab) == 2 and page.tabs.tabText(2) == "Tickets (2)"
    model = page.ticket_model
    assert [model.row_object(r).ticket_no for r in range(model.rowCount())] == [newer.ticket_no, older.ticket_no]
    page.tabs.setCurrentWidget(tab)
    with qtbot.waitSignal(page.ticketOpened) as opened:
        page.ticket_table.selectRow(1)
        qtbot.keyClick(page.ticket_table, Qt.Key.Key_Return)
    assert opened.args == [older.id]

    area = CustomersArea(desk.clerk)
    _show(qtbot, area)
    assert area.open_merchant(desk.shop.merchant_id)
    with qtbot.waitSignal(area.ticketOpened) as forwarded:
        area.merchant_page.open_selected_ticket()
    assert forwarded.args == [newer.id]


def test_closing_a_ticket_tab_with_unsaved_work_asks_first(
    qtbot: QtBot, desk: Desk, note_dialogs: DialogRecorder
) -> None:
    ticket = desk.open()
    area = _area(qtbot, desk.admin)
    page = area.open_ticket(ticket.id)
    assert page is not None
    page.work_panel.diagnosis_edit.setPlainText("主板进水")  # typed, not saved
    note_dialogs.confirm_answer = False  # do not save, do not lose it
    area.close_current_ticket()
    assert area.ticket_page(ticket.id) is page and [k for k, *_ in note_dialogs.shown] == ["confirm", "confirm"]
    note_dialogs.confirm_answer = True  # save it, then close
    area.close_current_ticket()
    assert area.ticket_page(ticket.id) is None
    assert tickets.get_ticket(desk.admin, ticket.id).diagnosis == "主板进水"
