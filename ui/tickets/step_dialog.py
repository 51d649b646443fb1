"""The workflow steps that need input: assign (technician), cancel / reopen (reason), close (who confirmed).

Each dialog calls `take_step` itself, so a field error shows next to its field and what was typed
stays. A Conflict (someone else changed the ticket meanwhile) closes the dialog: the page says so
and reloads, since nothing typed here is worth keeping against a changed ticket.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.context import Context
from app.errors import Conflict
from app.i18n import _
from app.models.ticket import TicketRead, TicketStep
from app.rules.tickets import step_label
from app.services import tickets
from ui.shared import dialogs
from ui.shared.form_dialog import FormDialog, line_edit
from ui.tickets.assign_dialog import assignee_combo

T = TypeVar("T")

# The steps that open this dialog; the others are taken with one click.
INPUT_STEPS = (TicketStep.ASSIGN, TicketStep.CANCEL, TicketStep.REOPEN, TicketStep.CLOSE)


class _ConflictEscape(Exception):
    """Carries a Conflict past FormDialog.submit, which shows every AppError inside the dialog."""

    def __init__(self, conflict: Conflict) -> None:
        super().__init__(str(conflict))
        self.conflict = conflict


class TicketDialog(FormDialog):
    """A form on one ticket: `conflict` holds the error when the ticket changed meanwhile."""

    def __init__(
        self,
        ticket: TicketRead,
        *,
        object_name: str,
        title: str,
        note: str = "",
        error_name: str = "formError",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(object_name=object_name, title=title, note=note, error_name=error_name, parent=parent)
        self.ticket = ticket
        self.conflict: Conflict | None = None

    def submit(self, action: Callable[[], T]) -> T | None:
        """FormDialog.submit, except that a Conflict closes the dialog for the page to reload."""
        self.conflict = None

        def escaping() -> T:
            try:
                return action()
            except Conflict as exc:
                raise _ConflictEscape(exc) from exc

        try:
            return super().submit(escaping)
        except _ConflictEscape as escape:
            self.conflict = escape.conflict
            self.reject()
            return None


def _now_with(ticket: TicketRead, step: TicketStep) -> str:
    if step != TicketStep.ASSIGN or not ticket.assignee_name:
        return ""
    return " " + _("Now with {name}.").format(name=ticket.assignee_name)


class StepDialog(TicketDialog):
    """Asks what the step needs; `result_ticket` is the ticket after the step."""

    def __init__(self, ctx: Context, ticket: TicketRead, step: TicketStep, parent: QWidget | None = None) -> None:
        notes = {
            TicketStep.ASSIGN: _("Who takes ticket {number}?"),
            TicketStep.CANCEL: _("Ticket {number} will be cancelled; this cannot be undone."),
            TicketStep.REOPEN: _("Ticket {number} goes back to work."),
            TicketStep.CLOSE: _("Close ticket {number} once the customer has confirmed the repair."),
        }
        super().__init__(
            ticket,
            object_name="stepDialog",
            title=f"{step_label(step)} · {ticket.ticket_no}",
            note=notes[step].format(number=ticket.ticket_no) + _now_with(ticket, step),
            error_name="stepDialogError",
            parent=parent,
        )
        self.ctx = ctx
        self.step = step
        self.result_ticket: TicketRead | None = None
        self.technician_combo: QComboBox | None = None
        self.reason_edit: QPlainTextEdit | None = None
        self.confirmed_by_edit: QLineEdit | None = None
        form = QFormLayout()
        if step == TicketStep.ASSIGN:
            self.technician_combo = assignee_combo(ctx, "technicianCombo", everyone=_("— choose —"))
            self.add_row(form, _("Technician"), "assignee_id", self.technician_combo)
            focus: QWidget = self.technician_combo
        elif step in (TicketStep.CANCEL, TicketStep.REOPEN):
            self.reason_edit = QPlainTextEdit()
            self.reason_edit.setObjectName("reasonEdit")
            self.reason_edit.setTabChangesFocus(True)
            self.reason_edit.setFixedHeight(self.reason_edit.fontMetrics().lineSpacing() * 3 + 12)
            self.add_row(form, _("Reason"), "reason", self.reason_edit)
            focus = self.reason_edit
        else:
            self.confirmed_by_edit = line_edit(
                "confirmedByEdit", ticket.contact_name, placeholder=_("Name of the person who confirmed")
            )
            self.confirmed_by_edit.setMaxLength(50)
            self.add_row(form, _("Confirmed for the customer by"), "confirmed_by", self.confirmed_by_edit)
            focus = self.confirmed_by_edit
        self.main_layout.addLayout(form)
        self.finish(step_label(step), "stepOkButton")
        if step == TicketStep.CANCEL:
            # "Cancel ticket" next to "Cancel" would read as two ways to cancel.
            keep = self.findChild(QPushButton, "cancelButton")
            if keep is not None:
                keep.setText(_("Keep the ticket"))
        self.setMinimumWidth(420)
        focus.setFocus()

    def save(self) -> None:
        ticket, step = self.ticket, self.step
        assignee_id = self.technician_combo.currentData() if self.technician_combo is not None else None
        reason = self.reason_edit.toPlainText() if self.reason_edit is not None else ""
        confirmed_by = self.confirmed_by_edit.text() if self.confirmed_by_edit is not None else ""
        # Cancelling and closing cannot be taken back from this desk: ask once the input is there
        # (an empty input goes straight to the service, which says what is missing).
        question = ""
        if step == TicketStep.CANCEL and reason.strip():
            question = _("Cancel ticket {number}? This cannot be undone.").format(number=ticket.ticket_no)
        elif step == TicketStep.CLOSE and confirmed_by.strip():
            question = _("Close ticket {number}, confirmed by {name}?").format(
                number=ticket.ticket_no, name=confirmed_by.strip()
            )
        if question and not dialogs.confirm(self, step_label(step), question):
            return
        self.result_ticket = self.submit(
            lambda: tickets.take_step(
                self.ctx,
                ticket.id,
                step,
                expected_version=ticket.version,
                assignee_id=assignee_id,
                reason=reason,
                confirmed_by=confirmed_by,
            )
        )
