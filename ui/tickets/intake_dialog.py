"""Intake: a new repair ticket from a scanned SN (or a chosen merchant's terminal) and the fault.

The scanner types the SN and Enter into the first field: the terminal is looked up, the merchant
fills in from it, and the coverage box shows what the warranty rule decides and when the ticket
falls due, before anything is saved.
"""

from __future__ import annotations

import html
import uuid

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError
from app.i18n import _
from app.models.merchant import MerchantRead
from app.models.terminal import TerminalFilter, TerminalRead
from app.models.ticket import Channel, IntakeTerms, Priority, TicketIntake, TicketRead
from app.models.warranty import CoverageKind, ExclusionCause
from app.rules.coverage import exclusion_label, kind_label
from app.rules.tickets import channel_label, priority_label
from app.services import merchants, terminals, tickets
from ui.customers.merchant_picker_dialog import MerchantPickerDialog
from ui.shared.form_dialog import FormDialog, line_edit
from ui.shared.widgets import push_button, select_data, set_tone
from ui.tickets.ticket_table_model import china_time

COVERED_COLOUR = "#1a7f37"
NOT_COVERED_COLOUR = "#cf222e"


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    return combo


class _EnterStaysHere(QObject):
    """Enter in the SN box looks the terminal up; it must not press the dialog's Save button."""

    def __init__(self, dialog: IntakeDialog) -> None:
        super().__init__(dialog)
        self._dialog = dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._dialog.look_up_serial()
            return True
        return False


class IntakeDialog(FormDialog):
    """`result_ticket` holds the TicketRead of the new ticket after Save."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(object_name="intakeDialog", title=_("New repair ticket"), parent=parent)
        self.ctx = ctx
        self.result_ticket: TicketRead | None = None
        self.terminal: TerminalRead | None = None
        self.merchant_id: uuid.UUID | None = None
        self.terms: IntakeTerms | None = None
        self._prefilled: tuple[str, str] = ("", "")

        # The terminal: scanned, typed, or chosen from a merchant's terminals.
        self.sn_edit = line_edit("intakeSnEdit", placeholder=_("Scan or type the SN, then Enter"))
        self.sn_edit.setClearButtonEnabled(True)
        self.sn_edit.setMinimumWidth(220)
        self.sn_edit.installEventFilter(_EnterStaysHere(self))
        self.choose_button = push_button("intakeChooseButton", _("Choose…"), self.choose_terminal)
        self.choose_button.setToolTip(_("Pick the merchant, then one of its terminals"))
        self.choose_button.setAutoDefault(False)
        sn_row = QWidget()
        sn_layout = QHBoxLayout(sn_row)
        sn_layout.setContentsMargins(0, 0, 0, 0)
        sn_layout.addWidget(self.sn_edit, 1)
        sn_layout.addWidget(self.choose_button)
        sn_row.setFocusProxy(self.sn_edit)
        self.sn_note = QLabel()
        self.sn_note.setObjectName("intakeSnNote")
        self.sn_note.setWordWrap(True)
        set_tone(self.sn_note, "note")
        self.sn_note.hide()

        self.terminal_label = QLabel(_("Not chosen yet."))
        self.terminal_label.setObjectName("intakeTerminalLabel")
        self.terminal_label.setWordWrap(True)
        self.terminal_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.terminal_combo = _combo("intakeTerminalCombo")
        self.terminal_combo.hide()
        terminal_box = QWidget()
        terminal_layout = QVBoxLayout(terminal_box)
        terminal_layout.setContentsMargins(0, 0, 0, 0)
        terminal_layout.setSpacing(2)
        terminal_layout.addWidget(self.terminal_combo)
        terminal_layout.addWidget(self.terminal_label)
        self.merchant_label = QLabel(_("Fills in from the terminal."))
        self.merchant_label.setObjectName("intakeMerchantLabel")
        self.merchant_label.setWordWrap(True)
        self.merchant_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # The job.
        self.channel_combo = _combo("intakeChannelCombo")
        for channel in Channel:
            self.channel_combo.addItem(channel_label(channel), channel.value)
        select_data(self.channel_combo, Channel.PHONE.value)
        self.fault_combo = _combo("intakeFaultCombo")
        self.fault_combo.setPlaceholderText(_("Choose the fault"))
        try:
            faults = tickets.list_fault_categories(ctx)
        except AppError:
            faults = []
        for fault in faults:
            self.fault_combo.addItem(fault.label, fault.id)
        self.fault_combo.setCurrentIndex(-1)
        self.description_edit = QPlainTextEdit()
        self.description_edit.setObjectName("intakeDescriptionEdit")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText(_("The fault as the customer reports it"))
        self.description_edit.setFixedHeight(self.description_edit.fontMetrics().lineSpacing() * 4 + 14)
        self.priority_combo = _combo("intakePriorityCombo")
        for priority in Priority:
            self.priority_combo.addItem(priority_label(priority), priority.value)
        select_data(self.priority_combo, Priority.P3.value)
        self.contact_name_edit = line_edit("intakeContactNameEdit", placeholder=_("optional"))
        self.contact_phone_edit = line_edit("intakeContactPhoneEdit", placeholder=_("optional"))
        self.exclusion_combo = _combo("intakeExclusionCombo")
        self.exclusion_combo.addItem(_("none"), None)
        for cause in ExclusionCause:
            self.exclusion_combo.addItem(exclusion_label(cause), cause.value)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.add_row(form, _("Terminal SN"), "terminal_id", sn_row)
        form.addRow("", self.sn_note)
        form.addRow(_("Terminal"), terminal_box)
        self.add_row(form, _("Merchant"), "merchant_id", self.merchant_label)
        self.add_row(form, _("Channel"), "channel", self.channel_combo)
        self.add_row(form, _("Fault"), "fault_category_id", self.fault_combo)
        self.add_row(form, _("Description"), "description", self.description_edit)
        self.add_row(form, _("Priority"), "priority", self.priority_combo)
        self.add_row(form, _("Contact for this job"), "contact_name", self.contact_name_edit)
        self.add_row(form, _("Contact phone"), "contact_phone", self.contact_phone_edit)
        self.add_row(form, _("Exclusion"), "exclusion", self.exclusion_combo)

        self.coverage_label = QLabel()
        self.coverage_label.setObjectName("intakeCoverageLabel")
        self.coverage_label.setWordWrap(True)
        self.coverage_label.setTextFormat(Qt.TextFormat.RichText)
        self.coverage_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.coverage_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        coverage_box = QGroupBox(_("Coverage and due times"))
        coverage_box.setObjectName("intakeCoverageBox")
        coverage_layout = QVBoxLayout(coverage_box)
        coverage_layout.addWidget(self.coverage_label)
        coverage_layout.addStretch(1)
        coverage_box.setMinimumWidth(300)
        coverage_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        columns = QHBoxLayout()
        columns.addLayout(form, 3)
        columns.addWidget(coverage_box, 2)
        self.main_layout.addLayout(columns)
        self.save_button = self.finish(_("Open ticket"))
        self.setMinimumWidth(860)

        self.terminal_combo.currentIndexChanged.connect(self._terminal_chosen)
        self.priority_combo.currentIndexChanged.connect(lambda _i: self.update_terms())
        self.exclusion_combo.currentIndexChanged.connect(lambda _i: self.update_terms())
        self.update_terms()
        self.sn_edit.setFocus()

    # --- the terminal -----------------------------------------------------------------------------

    def look_up_serial(self) -> None:
        """Enter in the SN box: find the terminal; the merchant and coverage follow."""
        serial = self.sn_edit.text().strip()
        if not serial:
            self._note(_("Scan or type the SN, or use Choose… to pick the merchant and its terminal."))
            return
        try:
            found = terminals.find_terminal_by_serial(self.ctx, serial)
        except AppError as exc:
            self._note(str(exc))
            return
        if found is None:
            self._set_terminal(None)
            self._note(
                _("No terminal has the SN {sn}. Check it, or use Choose… to pick the merchant and its terminal.")
                .format(sn=serial)
            )
            self.sn_edit.selectAll()
            return
        self.terminal_combo.blockSignals(True)
        self.terminal_combo.clear()
        self.terminal_combo.hide()
        self.terminal_combo.blockSignals(False)
        self._set_terminal(found)
        self.sn_edit.setText(found.serial_no)
        self.channel_combo.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose_terminal(self) -> None:
        """Choose…: the merchant from the archive, then one of its terminals."""
        picker = MerchantPickerDialog(self.ctx, title=_("Whose terminal is it?"), parent=self)
        if not picker.exec() or picker.chosen is None:
            return
        merchant = picker.chosen
        try:
            page = terminals.list_terminals(self.ctx, TerminalFilter(merchant_id=merchant.id), limit=500)
        except AppError as exc:
            self._note(str(exc))
            return
        self.terminal_combo.blockSignals(True)
        self.terminal_combo.clear()
        for terminal in page.items:
            self.terminal_combo.addItem(f"{terminal.serial_no} · {terminal.brand} {terminal.model}", terminal)
        self.terminal_combo.setCurrentIndex(-1)
        self.terminal_combo.setPlaceholderText(_("Choose the terminal"))
        self.terminal_combo.blockSignals(False)
        self.terminal_combo.setVisible(bool(page.items))
        self._set_terminal(None, merchant)
        if not page.items:
            self._note(
                _("{merchant} holds no terminals. Bind the terminal to the merchant in Devices first.").format(
                    merchant=merchant.shop_name or merchant.legal_name
                )
            )
            return
        if len(page.items) == 1:
            self.terminal_combo.setCurrentIndex(0)
        self.terminal_combo.setFocus(Qt.FocusReason.OtherFocusReason)

    def _terminal_chosen(self, index: int) -> None:
        terminal = self.terminal_combo.itemData(index) if index >= 0 else None
        if isinstance(terminal, TerminalRead):
            self._set_terminal(terminal)
            self.sn_edit.setText(terminal.serial_no)

    def _note(self, text: str) -> None:
        self.sn_note.setText(text)
        self.sn_note.setVisible(bool(text))

    def _set_terminal(self, terminal: TerminalRead | None, merchant: MerchantRead | None = None) -> None:
        self.terminal = terminal
        self._note("")
        if terminal is None:
            self.terminal_label.setText(_("Not chosen yet."))
        else:
            parts = [terminal.serial_no, f"{terminal.brand} {terminal.model}".strip()]
            if terminal.terminal_no:
                parts.append(_("terminal no. {no}").format(no=terminal.terminal_no))
            self.terminal_label.setText(" · ".join(p for p in parts if p))
        if merchant is not None:
            self.merchant_id = merchant.id
            self.merchant_label.setText(f"{merchant.shop_name or merchant.legal_name} ({merchant.merchant_no})")
            self._prefill_contact(merchant)
        elif terminal is not None and terminal.merchant_id is not None:
            self.merchant_id = terminal.merchant_id
            self.merchant_label.setText(f"{terminal.merchant_name} ({terminal.merchant_no})")
            try:
                self._prefill_contact(merchants.get_merchant(self.ctx, terminal.merchant_id))
            except AppError:
                pass  # the contact is optional; the ticket can still be opened
        elif terminal is not None:
            self.merchant_id = None
            self.merchant_label.setText(_("Terminal {sn} is not bound to a merchant.").format(sn=terminal.serial_no))
        elif self.terminal_combo.count() == 0:
            self.merchant_id = None
            self.merchant_label.setText(_("Fills in from the terminal."))
        self.update_terms()

    def _prefill_contact(self, merchant: MerchantRead) -> None:
        """The merchant's contact person, unless the clerk typed someone else already."""
        name, phone = merchant.contact_name, merchant.mobile or merchant.landline
        if not name and len(merchant.contacts) == 1:
            name, phone = merchant.contacts[0].name, merchant.contacts[0].phone
        if merchant.masked:
            phone = ""  # a masked number cannot be dialled or saved
        for edit, old, new in (
            (self.contact_name_edit, self._prefilled[0], name),
            (self.contact_phone_edit, self._prefilled[1], phone),
        ):
            if not edit.text().strip() or edit.text() == old:
                edit.setText(new)
        self._prefilled = (name, phone)

    # --- coverage ---------------------------------------------------------------------------------

    def priority(self) -> Priority:
        return Priority(self.priority_combo.currentData())

    def exclusion(self) -> ExclusionCause | None:
        data = self.exclusion_combo.currentData()
        return ExclusionCause(data) if data else None

    def update_terms(self) -> None:
        """Ask the warranty rule again: the terminal, the priority or the exclusion changed."""
        self.terms = None
        if self.terminal is None:
            self.coverage_label.setText(
                html.escape(_("Scan or choose the terminal to see its coverage and due times."))
            )
            return
        try:
            self.terms = tickets.intake_terms(self.ctx, self.terminal.id, self.priority(), self.exclusion())
        except AppError as exc:
            self.coverage_label.setText(html.escape(str(exc)))
            return
        self.coverage_label.setText(terms_html(self.terms))

    # --- saving -----------------------------------------------------------------------------------

    def intake(self) -> TicketIntake:
        fault = self.fault_combo.currentData() if self.fault_combo.currentIndex() >= 0 else None
        return TicketIntake(
            terminal_id=self.terminal.id if self.terminal else None,
            merchant_id=self.merchant_id,
            channel=Channel(self.channel_combo.currentData()),
            fault_category_id=fault,
            description=self.description_edit.toPlainText(),
            priority=self.priority(),
            contact_name=self.contact_name_edit.text(),
            contact_phone=self.contact_phone_edit.text(),
            exclusion=self.exclusion(),
        )

    def save(self) -> None:
        self.result_ticket = self.submit(lambda: tickets.open_ticket(self.ctx, self.intake()))


def _paragraph(text: str, style: str = "") -> str:
    return f'<p style="margin:0 0 6px 0;{style}">{text}</p>'


def terms_html(terms: IntakeTerms) -> str:
    """The coverage box: kind in colour, the reason, free items, due times, calendar caveat."""
    cover = terms.coverage
    kind = CoverageKind(cover.kind)
    colour = COVERED_COLOUR if kind != CoverageKind.NONE else NOT_COVERED_COLOUR
    words = kind_label(kind)
    headline = html.escape(words[:1].upper() + words[1:])
    if cover.until is not None:
        headline += " " + html.escape(_("until {date}").format(date=cover.until.isoformat()))
    counted = _("working hours") if terms.working_hours_only else _("round the clock")
    due = [
        _("Respond by {time} ({hours} h, {counted})").format(
            time=china_time(terms.response_due), hours=terms.response_hours, counted=counted
        ),
        _("Resolve by {time} ({hours} h, {counted})").format(
            time=china_time(terms.resolution_due), hours=terms.resolution_hours, counted=counted
        ),
        _("Times are China time."),
    ]
    parts = [
        _paragraph(f'<span style="color:{colour}; font-weight:bold; font-size:12pt;">{headline}</span>'),
        _paragraph(html.escape(cover.reason)),
        _paragraph("<br>".join(html.escape(line) for line in due)),
    ]
    if kind == CoverageKind.NONE:
        # A covered repair's reason names its free items; here nothing is free.
        parts.insert(2, _paragraph(html.escape(_("The customer pays for everything."))))
    if terms.unknown_years:
        years = ", ".join(str(y) for y in terms.unknown_years)
        warning = _(
            "For {years} only weekends count as days off, unless the holidays are entered in "
            "Warranty › Working calendar."
        ).format(years=years)
        parts.append(_paragraph(html.escape(warning), " color:#7d4e00;"))
    return "".join(parts)
