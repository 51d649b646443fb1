"""One repair ticket, the screen the service center lives in: header with the SLA clock, the
workflow steps the state machine allows, details, the work, activity, attachments, follow-up calls
and printing.

Keyboard: every button has an Alt+letter; Ctrl+S saves the work, F5 reloads, Ctrl+P prints the
work order, Ctrl+1…4 switch between Work, Activity, Attachments and Follow-up calls.
"""

from __future__ import annotations

import html
import uuid
from datetime import datetime
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError, Conflict, ValidationError
from app.i18n import _
from app.models.ticket import (
    FollowUpCallRead,
    SlaState,
    TicketActivityRead,
    TicketRead,
    TicketStatus,
    TicketStep,
)
from app.models.warranty import CoverageKind
from app.rules.coverage import exclusion_label, items_text, kind_label
from app.rules.permissions import Action, allowed
from app.rules.tickets import (
    channel_label,
    hours_text,
    priority_label,
    sla_label,
    status_label,
    step_label,
)
from app.services import tickets
from ui.shared import dialogs
from ui.shared.pdf_preview import PdfPreviewDialog
from ui.shared.widgets import (
    date_text,
    fit_columns,
    list_table,
    push_button,
    set_tone,
    shortcut_action,
    value_label,
)
from ui.tickets.activity_model import (
    SUMMARY,
    activity_table_model,
    china_time,
    follow_up_table_model,
)
from ui.tickets.attachments_panel import AttachmentsPanel
from ui.tickets.follow_up_dialog import FollowUpDialog
from ui.tickets.print_dialog import PrintDialog
from ui.tickets.step_dialog import INPUT_STEPS, StepDialog
from ui.tickets.work_panel import WorkPanel, camel, mnemonic

# Alt+letter of each step; the work panel and the header use other letters.
STEP_KEYS: dict[TicketStep, str] = {
    TicketStep.ASSIGN: "a",
    TicketStep.START: "s",
    TicketStep.WAIT_FOR_PARTS: "w",
    TicketStep.PARTS_ARRIVED: "p",
    TicketStep.RESOLVE: "r",
    TicketStep.CLOSE: "c",
    TicketStep.CANCEL: "n",
    TicketStep.REOPEN: "o",
}
# (text, background) of the SLA badge: late red, due soon amber, on time green, else grey.
SLA_COLOURS: dict[SlaState, tuple[str, str]] = {
    SlaState.LATE: ("#a40e26", "#ffebe9"),
    SlaState.DUE_SOON: ("#7d4e00", "#fff8c5"),
    SlaState.ON_TIME: ("#116329", "#dafbe1"),
}
GREY = ("#57606a", "#eaeef2")
COVERED_COLOUR = "#1a7f37"
NOT_COVERED_COLOUR = "#cf222e"
WORK_TAB, ACTIVITY_TAB, ATTACHMENTS_TAB, FOLLOW_UP_TAB = range(4)


def step_button_name(step: TicketStep) -> str:
    """assignStepButton, waitForPartsStepButton, ..."""
    return f"{camel(step.value)}StepButton"


def badge(text: str, colours: tuple[str, str]) -> str:
    colour, background = colours
    return (
        f'<span style="color:{colour}; background-color:{background}; font-weight:bold;">'
        f"&nbsp;{html.escape(text)}&nbsp;</span>"
    )


def sla_colours(ticket: TicketRead) -> tuple[str, str]:
    if ticket.paused:
        return GREY
    return SLA_COLOURS.get(SlaState(ticket.sla_state), GREY)


def sla_text(ticket: TicketRead) -> str:
    """"3 h 20 min left · on time", "1 h 5 min late", "paused · 6 h left", "met"."""
    state = SlaState(ticket.sla_state)
    if ticket.sla_hours_left is None:
        return _("SLA {state}").format(state=sla_label(state))
    text = hours_text(ticket.sla_hours_left)
    if ticket.paused:
        return _("paused") + " · " + text
    if state != SlaState.LATE:
        text += " · " + sla_label(state)
    return text


def _time(value: datetime | None) -> str:
    return china_time(value) or "—"


class TicketPage(QWidget):
    """Shows ticket `ticket_id`; opened as a tab of the Tickets area."""

    merchantOpened = Signal(object)  # carries the merchant's uuid.UUID
    terminalOpened = Signal(object)  # carries the terminal's uuid.UUID
    changed = Signal()  # the ticket was changed here: lists showing it reload

    def __init__(self, ctx: Context, ticket_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketPage")
        self.ctx = ctx
        self.ticket_id = ticket_id
        self.ticket: TicketRead | None = None
        self.steps: list[TicketStep] = []
        self._activity: list[TicketActivityRead] = []
        self._calls: list[FollowUpCallRead] = []
        role = ctx.user.role if ctx.user else None
        self.can_follow_up = role is not None and allowed(role, Action.FOLLOW_UP)

        header = self._build_header()
        steps = self._build_steps()
        self.message_label = QLabel()
        self.message_label.setObjectName("ticketMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()

        details = self._build_details()
        self.work_panel = WorkPanel(ctx)
        self.work_panel.saved.connect(self._work_saved)
        self.work_panel.conflict.connect(self._conflict)
        self.work_panel.failed.connect(self._work_failed)
        self.work_panel.dirtyChanged.connect(self._dirty_changed)
        self.attachments_panel = AttachmentsPanel(ctx, ticket_id)
        self.attachments_panel.added.connect(self._attachment_added)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("ticketTabs")
        self.tabs.addTab(self.work_panel, _("Work"))
        self.tabs.addTab(self._build_activity(), _("Activity"))
        self.tabs.addTab(self.attachments_panel, _("Attachments"))
        self.tabs.addTab(self._build_follow_up(), _("Follow-up calls"))
        for number in range(4):
            self.tabs.setTabToolTip(number, _("Ctrl+{n}").format(n=number + 1))

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("ticketSplitter")
        self.splitter.addWidget(details)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([360, 900])

        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addLayout(steps)
        layout.addWidget(self.message_label)
        layout.addWidget(self.splitter, 1)

        shortcut_action(self, "saveWorkAction", _("Save work"), ["Ctrl+S"], self.save_work)
        shortcut_action(self, "reloadTicketAction", _("Reload"), ["F5"], self.reload)
        shortcut_action(self, "printWorkOrderAction", _("Work order…"), ["Ctrl+P"], self.print_work_order)
        for number in range(4):
            shortcut_action(
                self, f"ticketTab{number + 1}Action", self.tabs.tabText(number), [f"Ctrl+{number + 1}"],
                partial(self.show_tab, number),
            )
        self.reload()
        if self.ticket is not None and TicketStatus(self.ticket.status) == TicketStatus.CLOSED:
            self.tabs.setCurrentIndex(FOLLOW_UP_TAB)

    # --- building ---------------------------------------------------------------------------------

    def _build_header(self) -> QVBoxLayout:
        self.number_label = QLabel()
        self.number_label.setObjectName("ticketNumberLabel")
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.number_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.number_label.setFont(font)
        self.status_label = QLabel()
        self.status_label.setObjectName("ticketStatusLabel")
        self.priority_label = QLabel()
        self.priority_label.setObjectName("ticketPriorityLabel")
        self.sla_label = QLabel()
        self.sla_label.setObjectName("slaLabel")
        for label in (self.status_label, self.priority_label, self.sla_label):
            label.setTextFormat(Qt.TextFormat.RichText)

        self.reload_button = push_button("reloadTicketButton", _("Reload"), self.reload)
        self.reload_button.setToolTip(_("F5"))
        self.print_work_order_button = push_button(
            "printWorkOrderButton", mnemonic(_("Work order…"), "k"), self.print_work_order
        )
        self.print_work_order_button.setToolTip(_("Print the work order for the technician (Ctrl+P)"))
        self.print_report_button = push_button(
            "printServiceReportButton", mnemonic(_("Service report…"), "e"), self.print_service_report
        )
        self.print_report_button.setToolTip(_("Print the service report once the ticket is resolved"))
        top = QHBoxLayout()
        top.addWidget(self.number_label)
        top.addSpacing(8)
        top.addWidget(self.status_label)
        top.addWidget(self.priority_label)
        top.addWidget(self.sla_label)
        top.addStretch(1)
        top.addWidget(self.print_work_order_button)
        top.addWidget(self.print_report_button)
        top.addWidget(self.reload_button)

        self.merchant_link = QLabel()
        self.merchant_link.setObjectName("merchantLink")
        self.merchant_link.setToolTip(_("Open the merchant"))
        self.merchant_link.linkActivated.connect(lambda _href: self.open_merchant())
        self.terminal_link = QLabel()
        self.terminal_link.setObjectName("terminalLink")
        self.terminal_link.setToolTip(_("Open the terminal"))
        self.terminal_link.linkActivated.connect(lambda _href: self.open_terminal())
        for link in (self.merchant_link, self.terminal_link):
            link.setTextFormat(Qt.TextFormat.RichText)
            link.setTextInteractionFlags(
                Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            )
            link.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.terminal_label = QLabel()
        self.terminal_label.setObjectName("terminalModelLabel")
        who = QHBoxLayout()
        who.addWidget(self.merchant_link)
        who.addSpacing(16)
        who.addWidget(self.terminal_link)
        who.addWidget(self.terminal_label)
        who.addStretch(1)

        self.coverage_label = QLabel()
        self.coverage_label.setObjectName("coverageLabel")
        self.coverage_label.setTextFormat(Qt.TextFormat.RichText)
        self.coverage_label.setWordWrap(True)
        self.coverage_reason_label = QLabel()
        self.coverage_reason_label.setObjectName("coverageReasonLabel")
        self.coverage_reason_label.setWordWrap(True)
        set_tone(self.coverage_reason_label, "muted")
        self.coverage_reason_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout()
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(who)
        layout.addWidget(self.coverage_label)
        layout.addWidget(self.coverage_reason_label)
        return layout

    def _build_steps(self) -> QHBoxLayout:
        """A button for every step; `_show_steps` shows those the service allows now."""
        self.steps_label = QLabel(_("Next step:"))
        self.steps_label.setObjectName("stepsLabel")
        self.no_steps_label = QLabel()
        self.no_steps_label.setObjectName("noStepsLabel")
        set_tone(self.no_steps_label, "muted")
        self.step_buttons: dict[TicketStep, QPushButton] = {}
        row = QHBoxLayout()
        row.addWidget(self.steps_label)
        for step in TicketStep:
            text = step_label(step) + ("…" if step in INPUT_STEPS else "")
            button = push_button(step_button_name(step), mnemonic(text, STEP_KEYS[step]), partial(self.take_step, step))
            button.hide()
            self.step_buttons[step] = button
            row.addWidget(button)
        row.addWidget(self.no_steps_label)
        row.addStretch(1)
        return row

    def _build_details(self) -> QScrollArea:
        box = QGroupBox(_("Details"))
        box.setObjectName("ticketDetails")
        self.details_form = QFormLayout(box)
        self.details_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.details_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.values: dict[str, QLabel] = {}
        for key, label in (
            ("channel", _("Channel")),
            ("fault", _("Fault")),
            ("description", _("Description")),
            ("contact", _("Contact")),
            ("address", _("Address")),
            ("terminal_no", _("Terminal no.")),
            ("reported", _("Reported")),
            ("response_due", _("Response due")),
            ("responded", _("Responded")),
            ("resolution_due", _("Resolution due")),
            ("resolved", _("Resolved")),
            ("closed", _("Closed")),
            ("cancelled", _("Cancelled")),
            ("cancel_reason", _("Reason")),
            ("confirmed_by", _("Confirmed by")),
            ("assignee", _("Technician")),
            ("terms", _("Contract / policy")),
            ("reopened", _("Reopened")),
            ("follow_up_due", _("Follow-up call due")),
        ):
            self.values[key] = value_label(camel(key) + "Value")
            self.details_form.addRow(label, self.values[key])
        self.times_note = QLabel(_("Times are China time."))
        self.times_note.setObjectName("timesNote")
        set_tone(self.times_note, "muted")
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        layout.addWidget(self.times_note)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("ticketDetailsScroll")
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(260)
        return scroll

    def _build_activity(self) -> QWidget:
        self.activity_model = activity_table_model(self._fetch_activity)
        self.activity_table = list_table("activityTable")
        self.activity_table.setModel(self.activity_model)
        self.activity_table.setWordWrap(True)
        header = self.activity_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(SUMMARY, QHeaderView.ResizeMode.Stretch)
        self.activity_table.verticalHeader().hide()
        # Rows as tall as their wrapped summary at the width the table has when shown.
        self.activity_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.comment_edit = QLineEdit()
        self.comment_edit.setObjectName("commentEdit")
        self.comment_edit.setMaxLength(500)
        self.comment_edit.setPlaceholderText(_("Write a comment and press Enter"))
        self.comment_edit.returnPressed.connect(self.add_comment)
        self.comment_button = push_button("addCommentButton", _("Add comment"), self.add_comment)
        row = QHBoxLayout()
        row.addWidget(self.comment_edit, 1)
        row.addWidget(self.comment_button)
        panel = QWidget()
        panel.setObjectName("activityPanel")
        layout = QVBoxLayout(panel)
        layout.addWidget(self.activity_table, 1)
        layout.addLayout(row)
        return panel

    def _build_follow_up(self) -> QWidget:
        self.follow_up_model = follow_up_table_model(self._fetch_calls)
        self.follow_up_table = list_table("followUpTable")
        self.follow_up_table.setModel(self.follow_up_model)
        self.follow_up_table.setWordWrap(True)
        self.follow_up_table.verticalHeader().hide()
        self.follow_up_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.follow_up_empty = QLabel(_("No follow-up call recorded yet."))
        self.follow_up_empty.setObjectName("followUpEmptyLabel")
        set_tone(self.follow_up_empty, "muted")
        self.follow_up_due_label = QLabel()
        self.follow_up_due_label.setObjectName("followUpDueLabel")
        self.follow_up_due_label.setWordWrap(True)
        self.follow_up_button = push_button("followUpButton", mnemonic(_("Record call…"), "d"), self.record_follow_up)
        self.follow_up_button.setVisible(self.can_follow_up)
        row = QHBoxLayout()
        row.addWidget(self.follow_up_due_label, 1)
        row.addWidget(self.follow_up_button)
        panel = QWidget()
        panel.setObjectName("followUpPanel")
        layout = QVBoxLayout(panel)
        layout.addLayout(row)
        layout.addWidget(self.follow_up_empty)
        layout.addWidget(self.follow_up_table, 1)
        return panel

    # --- loading ----------------------------------------------------------------------------------

    def _fetch_activity(self, offset: int, limit: int) -> tuple[list[TicketActivityRead], int]:
        return self._activity[offset : offset + limit], len(self._activity)

    def _fetch_calls(self, offset: int, limit: int) -> tuple[list[FollowUpCallRead], int]:
        return self._calls[offset : offset + limit], len(self._calls)

    def reload(self) -> bool:
        """Read the ticket again with its activity, attachments and calls (F5). Unsaved work stays."""
        ok = self._reload_ticket(keep_edits=True)
        if ok:
            self.attachments_panel.reload()
            self._update_attachments_tab()
        return ok

    def _reload_ticket(self, *, keep_edits: bool = False) -> bool:
        try:
            ticket = tickets.get_ticket(self.ctx, self.ticket_id)
            steps = tickets.allowed_ticket_steps(self.ctx, self.ticket_id)
            activity = tickets.ticket_activity(self.ctx, self.ticket_id)
            calls = tickets.list_follow_up_calls(self.ctx, self.ticket_id)
        except AppError as exc:
            self.show_error(str(exc))
            return False
        self.ticket, self.steps, self._activity, self._calls = ticket, steps, activity, calls
        self._show_header(ticket)
        self._show_details(ticket)
        self._show_steps()
        self.work_panel.set_ticket(ticket, keep_edits=keep_edits)
        self._show_activity()
        self._show_follow_up(ticket)
        self.print_report_button.setEnabled(TicketStatus(ticket.status) in (TicketStatus.RESOLVED, TicketStatus.CLOSED))
        return True

    def _reload_activity(self) -> None:
        try:
            self._activity = tickets.ticket_activity(self.ctx, self.ticket_id)
        except AppError as exc:
            self.show_error(str(exc))
            return
        self._show_activity()

    def _show_activity(self) -> None:
        self.activity_model.reload()
        fit_columns(self.activity_table, most=200)

    def _show_header(self, t: TicketRead) -> None:
        self.number_label.setText(t.ticket_no)
        self.status_label.setText(badge(status_label(t.status), ("#0a3069", "#ddf4ff")))
        self.priority_label.setText(badge(priority_label(t.priority), GREY))
        self.sla_label.setText(badge(sla_text(t), sla_colours(t)))
        self.sla_label.setProperty("slaState", "paused" if t.paused else str(t.sla_state))
        if t.sla_due is not None:
            responding = t.responded_at is None and TicketStatus(t.status) not in (
                TicketStatus.RESOLVED,
                TicketStatus.CLOSED,
            )
            due = _("Response due {time}") if responding else _("Resolution due {time}")
            self.sla_label.setToolTip(due.format(time=china_time(t.sla_due)) + " " + _("(China time)"))
        else:
            self.sla_label.setToolTip(sla_label(t.sla_state))
        merchant = t.merchant_name + (f" ({t.merchant_no})" if t.merchant_no else "")
        self.merchant_link.setText(f'<a href="merchant">{html.escape(merchant)}</a>')
        self.terminal_link.setText(f'<a href="terminal">{html.escape(_("SN {sn}").format(sn=t.serial_no))}</a>')
        self.terminal_label.setText(f"{t.brand} {t.model}".strip())

        kind = CoverageKind(t.coverage_kind)
        colour = COVERED_COLOUR if kind != CoverageKind.NONE else NOT_COVERED_COLOUR
        words = kind_label(kind)
        parts = [f'<span style="color:{colour}; font-weight:bold;">{html.escape(words[:1].upper() + words[1:])}</span>']
        if t.coverage_until is not None:
            parts[0] += " " + html.escape(_("until {date}").format(date=date_text(t.coverage_until)))
        if kind != CoverageKind.NONE:
            parts.append(html.escape(_("free of charge: {items}").format(items=items_text(t.free_items))))
        if t.exclusion:
            parts.append(html.escape(_("exclusion: {cause}").format(cause=exclusion_label(t.exclusion))))
        self.coverage_label.setText(" · ".join(parts))
        self.coverage_reason_label.setText(t.coverage_reason)
        self.coverage_reason_label.setVisible(bool(t.coverage_reason))

    def _show_details(self, t: TicketRead) -> None:
        # The service masks the phone for roles that may not see it (the technician on the job may).
        contact = " ".join(p for p in (t.contact_name, t.contact_phone) if p)
        terms = " / ".join(p for p in (t.contract_no, t.policy_name) if p)
        hours = _("{response} h to respond, {resolution} h to resolve").format(
            response=t.response_hours, resolution=t.resolution_hours
        )
        hours += ", " + (_("working hours") if t.working_hours_only else _("around the clock"))
        texts = {
            "channel": channel_label(t.channel),
            "fault": t.fault_label,
            "description": t.description,
            "contact": contact,
            "address": t.merchant_address,
            "terminal_no": t.terminal_no,
            "reported": _time(t.reported_at),
            "response_due": _time(t.response_due),
            "responded": _time(t.responded_at),
            "resolution_due": _time(t.resolution_due),
            "resolved": _time(t.resolved_at),
            "closed": china_time(t.closed_at),
            "cancelled": china_time(t.cancelled_at),
            "cancel_reason": t.cancel_reason,
            "confirmed_by": t.customer_confirmed_by,
            "assignee": t.assignee_name or _("not assigned yet"),
            "terms": (terms + "\n" if terms else "") + hours,
            "reopened": _("{n} times").format(n=t.reopen_count) if t.reopen_count else "",
            "follow_up_due": date_text(t.follow_up_due),
        }
        optional = {"closed", "cancelled", "cancel_reason", "confirmed_by", "reopened", "follow_up_due"}
        for key, label in self.values.items():
            text = texts[key]
            label.setText(text or "—")
            if key in optional:
                self.details_form.setRowVisible(label, bool(text))
        self.values["contact"].setToolTip(
            _("The phone number is masked for your role.") if "*" in t.contact_phone else ""
        )

    def _show_steps(self) -> None:
        allowed_now = set(self.steps)
        for step, button in self.step_buttons.items():
            button.setVisible(step in allowed_now)
        self.steps_label.setVisible(bool(allowed_now))
        status = TicketStatus(self.ticket.status) if self.ticket else None
        if allowed_now:
            self.no_steps_label.setText("")
        elif status == TicketStatus.CANCELLED:
            self.no_steps_label.setText(_("The ticket is cancelled."))
        elif status == TicketStatus.CLOSED:
            self.no_steps_label.setText(_("The ticket is closed."))
        else:
            self.no_steps_label.setText(_("The next step is not yours to take."))
        self.no_steps_label.setVisible(not allowed_now)

    def visible_steps(self) -> list[str]:
        """The objectNames of the step buttons shown now, in order."""
        return [b.objectName() for b in self.step_buttons.values() if b.isVisibleTo(self)]

    def _show_follow_up(self, t: TicketRead) -> None:
        self.follow_up_model.reload()
        fit_columns(self.follow_up_table, most=240)
        self.follow_up_empty.setVisible(not self._calls)
        closed = TicketStatus(t.status) == TicketStatus.CLOSED
        self.tabs.setTabVisible(FOLLOW_UP_TAB, closed or bool(self._calls))
        self.follow_up_button.setEnabled(closed)
        if t.follow_up_due is not None:
            self.follow_up_due_label.setText(
                _("The follow-up call is due by {date}.").format(date=date_text(t.follow_up_due))
            )
        elif closed and self._calls:
            self.follow_up_due_label.setText(_("The customer has been reached."))
        else:
            self.follow_up_due_label.setText("")

    def _update_attachments_tab(self) -> None:
        count = self.attachments_panel.count()
        text = _("Attachments ({n})").format(n=count) if count else _("Attachments")
        self.tabs.setTabText(ATTACHMENTS_TAB, text)

    def _dirty_changed(self, dirty: bool) -> None:
        self.tabs.setTabText(WORK_TAB, _("Work") + (" *" if dirty else ""))

    def show_tab(self, number: int) -> None:
        if self.tabs.isTabVisible(number):
            self.tabs.setCurrentIndex(number)
            if number == ACTIVITY_TAB:
                self.comment_edit.setFocus()

    # --- messages ---------------------------------------------------------------------------------

    def show_error(self, text: str) -> None:
        self._message(text, "error")

    def show_info(self, text: str) -> None:
        self._message(text, "success")

    def _message(self, text: str, tone: str) -> None:
        set_tone(self.message_label, tone)
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def message(self) -> str:
        return self.message_label.text() if self.message_label.isVisibleTo(self) else ""

    def _conflict(self, text: str) -> None:
        """Someone else changed the ticket: show it as it is now, keep what was typed."""
        self._reload_ticket(keep_edits=True)
        sentence = text + " " + _("The page now shows the ticket as it is.")
        if self.work_panel.is_dirty():
            sentence += " " + _("Your unsaved work is kept: check it and save again.")
        self.show_error(sentence)
        self.changed.emit()

    # --- the workflow -----------------------------------------------------------------------------

    def take_step(self, step: TicketStep) -> None:
        """Take `step`; unsaved work is saved first, and nothing happens if it cannot be."""
        if self.ticket is None or step not in self.steps:
            return
        self.show_error("")
        if self.work_panel.is_dirty() and not self.work_panel.save():
            if not self.message():  # a Conflict has said so already
                self.show_error(
                    _("The work could not be saved, so “{step}” was not taken.").format(step=step_label(step))
                )
            else:
                self.show_error(
                    self.message() + " " + _("“{step}” was not taken.").format(step=step_label(step))
                )
            return
        ticket = self.ticket
        if step in INPUT_STEPS:
            dialog = StepDialog(self.ctx, ticket, step, parent=self)
            dialog.exec()
            dialog.deleteLater()
            if dialog.conflict is not None:
                self._conflict(str(dialog.conflict))
                return
            result = dialog.result_ticket
            if result is None:
                return
        else:
            try:
                result = tickets.take_step(self.ctx, ticket.id, step, expected_version=ticket.version)
            except ValidationError as exc:
                if self.work_panel.show_field_errors(exc):
                    self.tabs.setCurrentIndex(WORK_TAB)
                self.show_error(str(exc))
                return
            except Conflict as exc:
                self._conflict(str(exc))
                return
            except AppError as exc:
                self.show_error(str(exc))
                return
        self._reload_ticket()
        self.show_info(
            _("Ticket {number} is now {status}.").format(number=result.ticket_no, status=status_label(result.status))
        )
        if TicketStatus(result.status) == TicketStatus.CLOSED:
            self.tabs.setCurrentIndex(FOLLOW_UP_TAB)
        self.changed.emit()

    # --- the work ---------------------------------------------------------------------------------

    def save_work(self) -> bool:
        """Ctrl+S: save the work panel."""
        if not self.work_panel.editable():
            return False
        self.show_error("")
        self.tabs.setCurrentIndex(WORK_TAB)
        return self.work_panel.save()

    def has_unsaved_work(self) -> bool:
        return self.work_panel.is_dirty()

    def confirm_close(self) -> bool:
        """Before the tab closes: True when nothing is lost (saved, discarded or nothing typed)."""
        if not self.work_panel.is_dirty():
            return True
        number = self.ticket.ticket_no if self.ticket else ""
        if dialogs.confirm(
            self,
            _("Unsaved work"),
            _("Save the work on ticket {number} before closing it?").format(number=number),
        ):
            return self.save_work()
        return dialogs.confirm(
            self, _("Unsaved work"), _("Close ticket {number} and lose the unsaved work?").format(number=number)
        )

    def _work_failed(self, reason: str) -> None:
        self.tabs.setCurrentIndex(WORK_TAB)
        self.show_error(_("The work was not saved: {reason}").format(reason=reason))

    def _work_saved(self, result: TicketRead) -> None:
        self._reload_ticket()
        self.show_info(_("Work saved on ticket {number}.").format(number=result.ticket_no))
        self.changed.emit()

    def _attachment_added(self) -> None:
        self._update_attachments_tab()
        self._reload_activity()

    def add_comment(self) -> None:
        text = self.comment_edit.text()
        try:
            tickets.add_comment(self.ctx, self.ticket_id, text)
        except AppError as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        self.comment_edit.clear()
        self._reload_activity()

    # --- follow-up calls --------------------------------------------------------------------------

    def record_follow_up(self) -> None:
        if self.ticket is None or not self.can_follow_up:
            return
        dialog = FollowUpDialog(self.ctx, self.ticket, parent=self)
        dialog.exec()
        dialog.deleteLater()
        if dialog.conflict is not None:
            self._conflict(str(dialog.conflict))
            return
        if dialog.result_call is None:
            return
        self._reload_ticket()
        if dialog.reopened:
            self.tabs.setCurrentIndex(WORK_TAB)
            self.show_info(_("Call recorded; ticket {number} is back in progress.").format(number=self.ticket.ticket_no))
        else:
            self.show_info(_("Call recorded."))
        self.changed.emit()

    # --- printing ---------------------------------------------------------------------------------

    def print_work_order(self) -> None:
        if self.ticket is None:
            return
        dialog = PrintDialog(self.ctx, [self.ticket_id], parent=self)
        number = self.ticket.ticket_no
        dialog.exec()
        data = dialog.data
        dialog.deleteLater()
        if data is None:
            return
        self._preview(data, f"{_('work-order')}-{number}.pdf", _("Work order {number}").format(number=number))

    def print_service_report(self) -> None:
        if self.ticket is None:
            return
        # Imported here: the documents pull in ReportLab, which the page needs only now.
        from app.services import ticket_documents

        number = self.ticket.ticket_no
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            data = ticket_documents.service_report(self.ctx, self.ticket_id)
        except AppError as exc:
            self.show_error(str(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._preview(data, f"{_('service-report')}-{number}.pdf", _("Service report {number}").format(number=number))

    def _preview(self, data: bytes, file_name: str, title: str) -> None:
        # The print is logged on the ticket as the PDF is made: the activity shows it at once.
        self._reload_activity()
        preview = PdfPreviewDialog(data, file_name, title, parent=self)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.exec()

    # --- links ------------------------------------------------------------------------------------

    def open_merchant(self) -> None:
        if self.ticket is not None:
            self.merchantOpened.emit(self.ticket.merchant_id)

    def open_terminal(self) -> None:
        if self.ticket is not None:
            self.terminalOpened.emit(self.ticket.terminal_id)
