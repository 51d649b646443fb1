"""Assign the selected tickets to one technician at once (bulk assign)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from app.context import Context
from app.errors import AppError
from app.i18n import _, ngettext
from app.services import tickets
from ui.shared.form_dialog import FormDialog


def assignee_combo(ctx: Context, name: str, everyone: str = "") -> QComboBox:
    """Technicians (and supervisors) who can take a ticket; `everyone` adds a first "any" entry."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    if everyone:
        combo.addItem(everyone, None)
    try:
        people = tickets.list_assignees(ctx)
    except AppError:
        people = []
    for user_id, display_name in people:
        combo.addItem(display_name, user_id)
    return combo


class AssignDialog(FormDialog):
    """`assigned` holds how many tickets changed hands after Save."""

    def __init__(self, ctx: Context, ticket_ids: Sequence[uuid.UUID], parent: QWidget | None = None) -> None:
        count = len(ticket_ids)
        super().__init__(
            object_name="assignDialog",
            title=_("Assign tickets"),
            note=ngettext(
                "Assign the selected ticket to:", "Assign the {n} selected tickets to:", count
            ).format(n=count),
            parent=parent,
        )
        self.ctx = ctx
        self.ticket_ids = list(ticket_ids)
        self.assigned: int | None = None
        self.technician_combo = assignee_combo(ctx, "assignTechnicianCombo")
        form = QFormLayout()
        self.add_row(form, _("Technician"), "assignee_id", self.technician_combo)
        self.main_layout.addLayout(form)
        self.finish(_("Assign"), "assignButton")
        self.setMinimumWidth(360)
        self.technician_combo.setFocus()

    def technician_name(self) -> str:
        return self.technician_combo.currentText()

    def save(self) -> None:
        assignee_id = self.technician_combo.currentData()
        ids = self.ticket_ids

        # No technician chosen: the service says so next to the combo.
        self.assigned = self.submit(lambda: tickets.assign_tickets(self.ctx, ids, assignee_id))
