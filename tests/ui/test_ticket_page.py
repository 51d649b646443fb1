"""The single-ticket page, driven as a clerk and a technician would: steps, work, attachments,
follow-up calls, printing, and another desk changing the ticket meanwhile."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.context import Context
from app.models.terminal import TerminalCreate
from app.models.ticket import (
    ActivityKind,
    TicketPartLine,
    TicketRead,
    TicketStatus,
    TicketStep,
    TicketWork,
)
from app.models.warranty import CoverageKind, ExclusionCause
from app.services import terminals, tickets
from tests.app.services.test_tickets import Desk
from tests.ui.conftest import DialogRecorder
from ui.shared.pdf_preview import PdfPreviewDialog
from ui.shared.widgets import find_data
from ui.tickets.activity_model import activity_table_model, follow_up_table_model
from ui.tickets.follow_up_dialog import FollowUpDialog
from ui.tickets.parts_table_model import PART, QUANTITY, UNIT_PRICE, PartsTableModel
from ui.tickets.print_dialog import PrintDialog
from ui.tickets.step_dialog import StepDialog
from ui.tickets.swap_dialog import SwapTerminalDialog
from ui.tickets.ticket_page import TicketPage


@pytest.fixture
def desk(admin_ctx: Context) -> Desk:
    return Desk(admin_ctx)


def _page(qtbot: QtBot, ctx: Context, ticket: TicketRead) -> TicketPage:
    page = TicketPage(ctx, ticket.id)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()  # the page's shortcuts (Ctrl+S, F5) work in the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    return page


def _button(page: TicketPage, name: str) -> QPushButton:
    button = page.findChild(QPushButton, name)
    assert button is not None, name
    return button


def _in_progress(desk: Desk) -> TicketRead:
    ticket = desk.step(desk.clerk, desk.open(), TicketStep.ASSIGN, assignee_id=desk.tech.user.id)  # type: ignore[union-attr]
    return desk.step(desk.tech, ticket, TicketStep.START)


def _assign_to(technician_id: object, *, first_empty: bool = False):  # type: ignore[no-untyped-def]
    """A stand-in for StepDialog.exec: choose the technician and press Assign."""

    def run(dialog: StepDialog) -> int:
        combo = dialog.findChild(QComboBox, "technicianCombo")
        if first_empty:
            dialog.save()  # nobody chosen: the service says so next to the combo
            assert dialog.errors.message("assignee_id") == "Choose the technician first."
        combo.setCurrentIndex(find_data(combo, technician_id))
        dialog.save()
        return int(dialog.result())

    return run


def test_a_new_ticket_shows_the_clerk_assign_and_cancel_only(qtbot: QtBot, desk: Desk) -> None:
    ticket = desk.open()
    page = _page(qtbot, desk.clerk, ticket)
    assert page.objectName() == "ticketPage" and page.ticket_id == ticket.id
    assert page.visible_steps() == ["assignStepButton", "cancelStepButton"]
    assert _button(page, "assignStepButton").text() == "&Assign…"
    assert page.findChild(QLabel, "ticketNumberLabel").text() == ticket.ticket_no
    assert "left" in page.findChild(QLabel, "slaLabel").text()
    assert "In warranty" in page.findChild(QLabel, "coverageLabel").text()
    assert page.findChild(QLabel, "coverageReasonLabel").text() == ticket.coverage_reason
    # A clerk may see the contact's phone; a technician not on the job sees it masked.
    assert page.findChild(QLabel, "contactValue").text() == "张先生 13800138000"
    with qtbot.waitSignal(page.merchantOpened) as opened:
        page.findChild(QLabel, "merchantLink").linkActivated.emit("merchant")
    assert opened.args == [desk.shop.merchant_id]
    with qtbot.waitSignal(page.terminalOpened) as opened:
        page.findChild(QLabel, "terminalLink").linkActivated.emit("terminal")
    assert opened.args == [desk.shop.terminal.id]

    tech_page = _page(qtbot, desk.tech, ticket)
    assert tech_page.visible_steps() == []
    assert tech_page.findChild(QLabel, "noStepsLabel").isVisible()
    assert tech_page.findChild(QLabel, "contactValue").text() == "张先生 138****8000"


def test_assign_through_the_step_dialog_then_the_technician_starts(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket = desk.open()
    page = _page(qtbot, desk.clerk, ticket)
    monkeypatch.setattr(StepDialog, "exec", _assign_to(desk.tech.user.id, first_empty=True))  # type: ignore[union-attr]
    with qtbot.waitSignal(page.changed):
        _button(page, "assignStepButton").click()
    assert page.ticket is not None and page.ticket.status == TicketStatus.ASSIGNED
    assert page.findChild(QLabel, "assigneeValue").text() == "陈伟"
    assert "Assigned to 陈伟." in page.activity_model.row_object(1).summary
    assert page.visible_steps() == ["assignStepButton", "cancelStepButton"]

    tech_page = _page(qtbot, desk.tech, ticket)
    assert tech_page.visible_steps() == ["startStepButton"]
    assert tech_page.findChild(QLabel, "contactValue").text() == "张先生 13800138000"  # the technician on the job
    with qtbot.waitSignal(tech_page.changed):
        _button(tech_page, "startStepButton").click()
    assert tech_page.ticket is not None and tech_page.ticket.status == TicketStatus.IN_PROGRESS
    assert tech_page.visible_steps() == ["waitForPartsStepButton", "resolveStepButton"]
    assert "in progress" in tech_page.message()
    assert tech_page.findChild(QLabel, "respondedValue").text() == "2026-11-20 10:00"


def test_work_with_a_part_and_a_labour_fee_shows_the_total(qtbot: QtBot, desk: Desk) -> None:
    ticket = _in_progress(desk)
    page = _page(qtbot, desk.tech, ticket)
    panel = page.work_panel
    _button(page, "addPartButton").click()
    model = page.findChild(QTableView, "partsTable").model()
    model.setData(model.index(0, PART), "电源板")
    model.setData(model.index(0, QUANTITY), 2)
    model.setData(model.index(0, UNIT_PRICE), 40.0)
    panel.labour_spin.setValue(50)
    panel.onsite_spin.setValue(30)
    # In warranty: parts and labour are free, the visit is not.
    assert "¥30.00" in page.findChild(QLabel, "totalChargeLabel").text()
    assert page.has_unsaved_work() and page.findChild(QLabel, "unsavedLabel").isVisible()
    with qtbot.waitSignal(page.changed):
        qtbot.keyClick(panel.diagnosis_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = tickets.get_ticket(desk.admin, ticket.id)
    assert [(p.part_name, p.quantity, p.unit_price_fen) for p in saved.parts] == [("电源板", 2, 4000)]
    assert (saved.labour_fee_fen, saved.onsite_fee_fen, saved.total_charge_fen) == (5000, 3000, 3000)
    assert page.findChild(QLabel, "savedTotalLabel").text() == "Saved total: ¥30.00"
    assert not page.has_unsaved_work()

    # Liquid damage: the repair becomes chargeable; the service decides coverage again on saving.
    combo = page.findChild(QComboBox, "exclusionCombo")
    combo.setCurrentIndex(find_data(combo, ExclusionCause.LIQUID_DAMAGE.value))
    assert "¥160.00" in page.findChild(QLabel, "totalChargeLabel").text()
    assert page.findChild(QLabel, "exclusionNote").isVisible()
    assert page.save_work()
    assert page.ticket is not None and page.ticket.coverage_kind == CoverageKind.NONE
    assert page.ticket.total_charge_fen == 16000
    assert "Not covered" in page.findChild(QLabel, "coverageLabel").text()


def test_a_wrong_part_line_is_shown_and_the_typing_stays(qtbot: QtBot, desk: Desk) -> None:
    page = _page(qtbot, desk.tech, _in_progress(desk))
    page.work_panel.diagnosis_edit.setPlainText("主板进液")
    _button(page, "addPartButton").click()  # a line without a part
    assert not page.save_work()
    assert page.work_panel.errors.message("parts") == "Line 1: please enter the part."
    assert page.work_panel.diagnosis_edit.toPlainText() == "主板进液" and page.has_unsaved_work()


def test_ctrl_s_inside_a_part_cell_saves_what_is_typed(qtbot: QtBot, desk: Desk) -> None:
    page = _page(qtbot, desk.tech, _in_progress(desk))
    _button(page, "addPartButton").click()  # opens the part's cell for typing
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.objectName() == "partNameEditor"
    editor.setText("打印头")
    with qtbot.waitSignal(page.changed):
        qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [p.part_name for p in tickets.get_ticket(desk.admin, page.ticket_id).parts] == ["打印头"]


def test_resolve_without_a_diagnosis_says_why_then_resolves_after_saving_first(qtbot: QtBot, desk: Desk) -> None:
    ticket = _in_progress(desk)
    page = _page(qtbot, desk.tech, ticket)
    _button(page, "resolveStepButton").click()
    assert page.message() == "Record the diagnosis and the resolution first."
    assert page.work_panel.errors.message("resolution") == "Record the diagnosis and the resolution first."
    assert page.ticket is not None and page.ticket.status == TicketStatus.IN_PROGRESS

    # Typed but not saved: the step saves the work first.
    page.findChild(QPlainTextEdit, "diagnosisEdit").setPlainText("电源板损坏")
    page.findChild(QPlainTextEdit, "resolutionEdit").setPlainText("更换电源板")
    page.findChild(QCheckBox, "replacePartActionCheck").setChecked(True)
    with qtbot.waitSignal(page.changed):
        _button(page, "resolveStepButton").click()
    assert page.ticket.status == TicketStatus.RESOLVED
    assert page.ticket.diagnosis == "电源板损坏" and page.ticket.actions == ["replace_part"]
    assert page.work_panel.save_button.isEnabled()  # a resolved ticket's work can still be corrected
    assert page.visible_steps() == []  # closing is the desk's step
    assert _button(page, "printServiceReportButton").isEnabled()


def test_close_with_confirmation_then_a_follow_up_call(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch, note_dialogs: DialogRecorder
) -> None:
    ticket = desk.to_resolved(desk.open())
    page = _page(qtbot, desk.clerk, ticket)
    assert page.visible_steps() == ["closeStepButton", "reopenStepButton"]
    assert not page.tabs.isTabVisible(3)
    prefilled: list[str] = []

    def close(dialog: StepDialog) -> int:
        edit = dialog.findChild(QLineEdit, "confirmedByEdit")
        prefilled.append(edit.text())
        edit.setText("张先生（店长）")
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(StepDialog, "exec", close)
    _button(page, "closeStepButton").click()
    assert prefilled == ["张先生"]
    assert note_dialogs.shown[-1][0] == "confirm" and ticket.ticket_no in note_dialogs.shown[-1][2]
    assert page.ticket is not None and page.ticket.status == TicketStatus.CLOSED
    assert page.findChild(QLabel, "confirmedByValue").text() == "张先生（店长）"
    assert not page.work_panel.save_button.isEnabled()
    assert page.tabs.isTabVisible(3) and page.tabs.currentIndex() == 3
    assert page.visible_steps() == ["reopenStepButton"]

    def call(dialog: FollowUpDialog) -> int:
        dialog.save()  # reached, but no satisfaction chosen
        assert dialog.errors.message("satisfaction")
        dialog.findChild(QRadioButton, "satisfaction5Radio").click()
        dialog.findChild(QPlainTextEdit, "commentsEdit").setPlainText("很满意")
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(FollowUpDialog, "exec", call)
    with qtbot.waitSignal(page.changed):
        _button(page, "followUpButton").click()
    calls = tickets.list_follow_up_calls(desk.admin, ticket.id)
    assert [(c.reached, c.satisfaction, c.comments) for c in calls] == [(True, 5, "很满意")]
    assert page.follow_up_model.rowCount() == 1
    assert page.activity_model.row_object(0).kind == ActivityKind.CALL

    shown: list[PdfPreviewDialog] = []
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    _button(page, "printServiceReportButton").click()
    assert len(shown) == 1 and shown[0].preview.pdf_data().startswith(b"%PDF")
    assert page.activity_model.row_object(0).summary == "Printed: service report."


def test_a_technician_may_not_record_calls(qtbot: QtBot, desk: Desk) -> None:
    ticket = desk.to_resolved(desk.open())
    ticket = desk.step(desk.clerk, ticket, TicketStep.CLOSE, confirmed_by="张先生")
    page = _page(qtbot, desk.tech, ticket)
    assert not _button(page, "followUpButton").isVisible()


def test_another_technicians_ticket_shows_its_work_read_only(qtbot: QtBot, desk: Desk) -> None:
    ticket = _in_progress(desk)  # held by 陈伟
    other = _page(qtbot, desk.tech2, ticket)
    assert other.findChild(QLabel, "othersWorkLabel").isVisible()
    assert not other.findChild(QPlainTextEdit, "diagnosisEdit").isEnabled()
    assert not _button(other, "saveWorkButton").isEnabled()
    assert other.visible_steps() == []
    mine = _page(qtbot, desk.tech, ticket)
    assert not mine.findChild(QLabel, "othersWorkLabel").isVisible()
    assert mine.findChild(QPlainTextEdit, "diagnosisEdit").isEnabled()


def _png(path: Path) -> Path:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#d4380d"))
    assert image.save(str(path))
    return path


def test_an_attachment_shows_as_a_thumbnail_and_opens(
    qtbot: QtBot, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket = desk.open()
    page = _page(qtbot, desk.tech, ticket)
    panel = page.attachments_panel
    photo = _png(tmp_path / "屏幕裂痕.png")
    monkeypatch.setattr(panel, "ask_files", lambda: [str(photo), str(tmp_path / "notes.txt")])
    (tmp_path / "notes.txt").write_text("x")
    _button(page, "addAttachmentButton").click()
    listing = page.findChild(QListWidget, "attachmentList")
    assert listing.count() == 1
    item = listing.item(0)
    assert not item.icon().isNull() and "屏幕裂痕.png" in item.toolTip() and "photo of the damage" in item.toolTip()
    assert "notes.txt" in panel.error_text()  # the wrong file is named, the photo still attached
    assert page.tabs.tabText(2) == "Attachments (1)"
    assert page.activity_model.row_object(0).kind == ActivityKind.ATTACHMENT

    opened: list[str] = []
    monkeypatch.setattr(panel, "open_file", lambda path: opened.append(path) or True)
    listing.itemActivated.emit(item)
    assert len(opened) == 1 and Path(opened[0]).read_bytes() == photo.read_bytes()


def test_swap_terminal_with_a_spare_updates_the_ticket(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch, note_dialogs: DialogRecorder
) -> None:
    spare = terminals.create_terminal(
        desk.admin, TerminalCreate(serial_no="NL0000000099", model_id=desk.shop.model_id)
    )
    page = _page(qtbot, desk.tech, _in_progress(desk))

    def swap(dialog: SwapTerminalDialog) -> int:
        edit = dialog.findChild(QLineEdit, "replacementSerialEdit")
        edit.setText("NL404")
        dialog.save()
        assert "NL404" in dialog.errors.message("new_serial_no")
        edit.setText("nl0000000099")
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(SwapTerminalDialog, "exec", swap)
    with qtbot.waitSignal(page.changed):
        _button(page, "swapButton").click()
    assert page.ticket is not None and page.ticket.replacement_serial_no == "NL0000000099"
    assert page.findChild(QCheckBox, "swapTerminalActionCheck").isChecked()
    assert "NL0000000099" in page.findChild(QLabel, "terminalWorkLabel").text()
    assert terminals.get_terminal(desk.admin, spare.id).merchant_id == desk.shop.merchant_id


def test_printing_the_work_order_opens_the_preview(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket = desk.open()
    page = _page(qtbot, desk.clerk, ticket)
    assert not _button(page, "printServiceReportButton").isEnabled()

    def choose(dialog: PrintDialog) -> int:
        dialog.findChild(QComboBox, "paperSizeCombo").setCurrentIndex(1)  # A5
        dialog.findChild(QCheckBox, "customerCopyCheck").setChecked(False)
        dialog.findChild(QCheckBox, "shopCopyCheck").setChecked(False)
        dialog.save()  # no copy chosen
        assert dialog.errors.message("copies")
        dialog.findChild(QCheckBox, "shopCopyCheck").setChecked(True)
        dialog.save()
        return int(dialog.result())

    shown: list[PdfPreviewDialog] = []

    def keep(dialog: PdfPreviewDialog) -> int:
        shown.append(dialog)
        return 0

    monkeypatch.setattr(PrintDialog, "exec", choose)
    monkeypatch.setattr(PdfPreviewDialog, "exec", keep)
    _button(page, "printWorkOrderButton").click()
    assert len(shown) == 1 and shown[0].preview.pdf_data().startswith(b"%PDF")
    assert ticket.ticket_no in shown[0].windowTitle()
    assert page.activity_model.row_object(0).kind == ActivityKind.PRINT


def test_a_change_by_another_desk_is_a_conflict_that_reloads(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket = _in_progress(desk)
    page = _page(qtbot, desk.tech, ticket)
    page.work_panel.resolution_edit.setPlainText("更换电源板")
    # Meanwhile the supervisor records the diagnosis at another desk.
    tickets.update_work(desk.admin, ticket.id, TicketWork(diagnosis="电源板损坏", expected_version=ticket.version))
    assert not page.save_work()
    assert "changed by someone else" in page.message() and "unsaved work is kept" in page.message()
    # Reloaded: the other desk's diagnosis shows, the typed resolution stays; saving again keeps both.
    assert page.work_panel.diagnosis_edit.toPlainText() == "电源板损坏"
    assert page.work_panel.resolution_edit.toPlainText() == "更换电源板"
    assert page.save_work()
    saved = tickets.get_ticket(desk.admin, ticket.id)
    assert (saved.diagnosis, saved.resolution) == ("电源板损坏", "更换电源板")

    # A step on a stale page: the dialog closes, the page says so and shows the ticket as it is.
    clerk_page = _page(qtbot, desk.clerk, saved)
    tickets.take_step(desk.admin, saved.id, TicketStep.WAIT_FOR_PARTS, expected_version=saved.version)

    def cancel(dialog: StepDialog) -> int:
        dialog.findChild(QPlainTextEdit, "reasonEdit").setPlainText("商户撤销报修")
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(StepDialog, "exec", cancel)
    monkeypatch.setattr("ui.shared.dialogs.confirm", lambda *_a: True)
    _button(clerk_page, "cancelStepButton").click()
    assert "changed by someone else" in clerk_page.message()
    assert clerk_page.ticket is not None and clerk_page.ticket.status == TicketStatus.WAITING_PARTS
    assert "parts" in clerk_page.findChild(QLabel, "ticketStatusLabel").text()


def test_f5_reloads_and_keeps_the_typing(qtbot: QtBot, desk: Desk) -> None:
    ticket = desk.open()
    page = _page(qtbot, desk.tech, ticket)
    page.work_panel.diagnosis_edit.setPlainText("待检测")
    desk.step(desk.clerk, ticket, TicketStep.ASSIGN, assignee_id=desk.tech.user.id)  # type: ignore[union-attr]
    qtbot.keyClick(page, Qt.Key.Key_F5)
    assert page.visible_steps() == ["startStepButton"]
    assert page.work_panel.diagnosis_edit.toPlainText() == "待检测"


def test_the_parts_and_activity_models(qtmodeltester: ModelTester, desk: Desk) -> None:
    parts = PartsTableModel()
    parts.set_lines([TicketPartLine(part_name="电池", quantity=1, unit_price_fen=3500, covered=True)])
    parts.add_line()
    assert parts.setData(parts.index(1, UNIT_PRICE), "¥１２.５")
    assert parts.rows()[1].unit_price_fen == 1250
    qtmodeltester.check(parts)
    ticket = desk.open()
    activity = tickets.ticket_activity(desk.admin, ticket.id)
    model = activity_table_model(lambda offset, limit: (activity[offset : offset + limit], len(activity)))
    model.reload()
    qtmodeltester.check(model)
    assert model.rowCount() == 1


def test_the_follow_up_model(qtmodeltester: ModelTester, desk: Desk) -> None:
    from app.models.ticket import FollowUpCallCreate

    ticket = desk.step(desk.clerk, desk.to_resolved(desk.open()), TicketStep.CLOSE, confirmed_by="张先生")
    tickets.record_follow_up(desk.clerk, ticket.id, FollowUpCallCreate(reached=False))
    calls = tickets.list_follow_up_calls(desk.admin, ticket.id)
    model = follow_up_table_model(lambda offset, limit: (calls[offset : offset + limit], len(calls)))
    model.reload()
    qtmodeltester.check(model)
    assert model.index(0, 2).data() == "no"
