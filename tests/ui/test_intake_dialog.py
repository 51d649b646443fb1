"""Tickets > intake: a scanned SN fills the merchant and the coverage; errors stay beside the fields."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.context import Context
from app.models.merchant import MerchantContactBase, MerchantUpdate
from app.models.ticket import Priority, TicketStatus
from app.models.warranty import ExclusionCause
from app.services import merchants, tickets
from tests.app.services.test_tickets import Desk
from tests.conftest import FixedClock
from ui.customers.merchant_picker_dialog import MerchantPickerDialog
from ui.shared.widgets import find_data
from ui.tickets.intake_dialog import IntakeDialog


@pytest.fixture
def desk(admin_ctx: Context) -> Desk:
    return Desk(admin_ctx)


def _dialog(qtbot: QtBot, ctx: Context) -> IntakeDialog:
    dialog = IntakeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _choose(combo: QComboBox, data: object) -> None:
    index = find_data(combo, data)
    assert index >= 0, f"{data!r} not in {combo.objectName()}"
    combo.setCurrentIndex(index)


def _scan(qtbot: QtBot, dialog: IntakeDialog, serial: str) -> None:
    """What a barcode scanner does: the SN, then Enter."""
    sn = dialog.findChild(QLineEdit, "intakeSnEdit")
    sn.setFocus()
    sn.setText(serial)
    qtbot.keyClick(sn, Qt.Key.Key_Return)


def _text(dialog: QWidget, name: str) -> str:
    return dialog.findChild(QLabel, name).text()


def test_a_scanned_sn_fills_the_merchant_shows_coverage_and_saves(qtbot: QtBot, desk: Desk) -> None:
    dialog = _dialog(qtbot, desk.clerk)
    assert "Scan or choose the terminal" in _text(dialog, "intakeCoverageLabel")
    _scan(qtbot, dialog, "nl0000000001")
    # Enter looked the terminal up and did not press Save.
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.terminal is not None and dialog.terminal.id == desk.shop.terminal.id
    assert dialog.findChild(QLineEdit, "intakeSnEdit").text() == "NL0000000001"
    assert "N910" in _text(dialog, "intakeTerminalLabel")
    assert _text(dialog, "intakeMerchantLabel") == "张记便利店 (822584053990001)"
    coverage = _text(dialog, "intakeCoverageLabel")
    assert "In warranty" in coverage and "until 2027-05-31" in coverage
    assert "Respond by 2026-11-23 10:00" in coverage  # P3: 8 working hours from Friday 10:00
    assert dialog.focusWidget() is dialog.findChild(QComboBox, "intakeChannelCombo")

    # An exclusion makes it chargeable, at once.
    _choose(dialog.findChild(QComboBox, "intakeExclusionCombo"), ExclusionCause.LIQUID_DAMAGE.value)
    assert "Not covered" in _text(dialog, "intakeCoverageLabel")
    dialog.findChild(QComboBox, "intakeExclusionCombo").setCurrentIndex(0)
    assert "In warranty" in _text(dialog, "intakeCoverageLabel")

    _choose(dialog.findChild(QComboBox, "intakeFaultCombo"), desk.fault.id)
    _choose(dialog.findChild(QComboBox, "intakePriorityCombo"), Priority.P2.value)
    dialog.findChild(QPlainTextEdit, "intakeDescriptionEdit").setPlainText("屏幕不亮")
    dialog.findChild(QLineEdit, "intakeContactNameEdit").setText("张先生")
    dialog.findChild(QLineEdit, "intakeContactPhoneEdit").setText("138 0013 8000")
    dialog.findChild(QPushButton, "saveButton").click()
    ticket = dialog.result_ticket
    assert ticket is not None and dialog.result() == 1
    assert ticket.ticket_no.startswith("WX-SZ01-20261120-")
    assert (ticket.merchant_id, ticket.priority, ticket.status) == (
        desk.shop.merchant_id, Priority.P2, TicketStatus.NEW
    )
    assert ticket.contact_phone == "13800138000" and ticket.exclusion is None


def test_an_unknown_sn_is_said_beside_the_field(qtbot: QtBot, desk: Desk) -> None:
    dialog = _dialog(qtbot, desk.clerk)
    _scan(qtbot, dialog, "XX404")
    note = dialog.findChild(QLabel, "intakeSnNote")
    assert note.isVisible() and "No terminal has the SN XX404" in note.text()
    assert dialog.terminal is None and dialog.isVisible()


def test_an_empty_description_is_a_field_error_and_the_input_stays(qtbot: QtBot, desk: Desk) -> None:
    dialog = _dialog(qtbot, desk.clerk)
    _scan(qtbot, dialog, "NL0000000001")
    _choose(dialog.findChild(QComboBox, "intakeFaultCombo"), desk.fault.id)
    dialog.findChild(QLineEdit, "intakeContactNameEdit").setText("李女士")
    dialog.findChild(QPushButton, "saveButton").click()
    assert dialog.result_ticket is None and dialog.isVisible()
    error = dialog.findChild(QLabel, "descriptionError")
    assert error.isVisible() and "describe the fault" in error.text()
    assert dialog.findChild(QLineEdit, "intakeSnEdit").text() == "NL0000000001"
    assert dialog.findChild(QLineEdit, "intakeContactNameEdit").text() == "李女士"
    assert dialog.findChild(QComboBox, "intakeFaultCombo").currentData() == desk.fault.id
    assert tickets.list_tickets(desk.admin).total == 0


def test_nothing_chosen_names_the_terminal_and_the_fault(qtbot: QtBot, desk: Desk) -> None:
    dialog = _dialog(qtbot, desk.clerk)
    dialog.findChild(QPushButton, "saveButton").click()
    assert "Scan or choose the terminal" in dialog.findChild(QLabel, "terminal_idError").text()
    assert "choose the fault" in dialog.findChild(QLabel, "fault_category_idError").text()


def test_choose_picks_the_merchant_then_its_terminal_and_fills_the_contact(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    merchant = merchants.get_merchant(desk.admin, desk.shop.merchant_id)
    merchants.update_merchant(
        desk.admin,
        merchant.id,
        MerchantUpdate(
            contact_name="张店长",
            mobile="13912345678",
            contacts=[MerchantContactBase(name="张店长", phone="13912345678")],
            expected_version=merchant.version,
        ),
    )

    def pick(picker: MerchantPickerDialog) -> int:
        picker.chosen = merchants.get_merchant(desk.admin, desk.shop.merchant_id)
        return 1

    monkeypatch.setattr(MerchantPickerDialog, "exec", pick)
    dialog = _dialog(qtbot, desk.clerk)
    dialog.findChild(QPushButton, "intakeChooseButton").click()
    combo = dialog.findChild(QComboBox, "intakeTerminalCombo")
    assert combo.isVisible() and combo.count() == 1
    assert dialog.terminal is not None and dialog.terminal.serial_no == "NL0000000001"
    assert dialog.findChild(QLineEdit, "intakeSnEdit").text() == "NL0000000001"
    assert dialog.findChild(QLineEdit, "intakeContactNameEdit").text() == "张店长"
    assert dialog.findChild(QLineEdit, "intakeContactPhoneEdit").text() == "13912345678"
    assert "In warranty" in _text(dialog, "intakeCoverageLabel")


def test_due_times_beyond_the_known_calendar_say_so(qtbot: QtBot, desk: Desk, clock: FixedClock) -> None:
    clock.advance(days=28)  # Friday 2026-12-18: 48 working hours stay in 2026, 120 do not
    dialog = _dialog(qtbot, desk.clerk)
    _scan(qtbot, dialog, "NL0000000001")
    assert "For 2027" not in _text(dialog, "intakeCoverageLabel")
    _choose(dialog.findChild(QComboBox, "intakePriorityCombo"), Priority.P4.value)
    coverage = _text(dialog, "intakeCoverageLabel")
    assert "For 2027 only weekends count as days off" in coverage
    assert "Working calendar" in coverage
