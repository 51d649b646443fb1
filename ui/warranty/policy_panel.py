"""Warranty > Policies: every warranty policy, who uses it; New and Edit for those who may."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.context import Context
from app.errors import AppError
from app.i18n import _
from app.models.warranty import WarrantyPolicyRead
from app.rules.coverage import items_text, start_label
from app.rules.permissions import Action, allowed
from app.services import warranty
from ui.shared.formatting import yes_no
from ui.shared.paged_table_model import Column, PagedTableModel
from ui.shared.widgets import fit_columns, list_table, push_button, shortcut_action
from ui.warranty.policy_dialog import PolicyDialog

POLICY_COLUMNS: list[Column[WarrantyPolicyRead]] = [
    Column(lambda: _("Policy"), lambda p: p.name),
    Column(lambda: _("Months"), lambda p: str(p.months), lambda p: p.months),
    Column(lambda: _("Counts from"), lambda p: start_label(p.start_event)),
    Column(lambda: _("Free of charge"), lambda p: items_text(p.free_items)),
    Column(lambda: _("Exclusions"), lambda p: str(len(p.exclusions)), lambda p: len(p.exclusions)),
    Column(lambda: _("Models"), lambda p: str(p.model_count), lambda p: p.model_count),
    Column(lambda: _("Own terminals"), lambda p: str(p.terminal_count), lambda p: p.terminal_count),
    Column(lambda: _("Active"), lambda p: yes_no(p.active)),
]


def policy_table_model(
    fetch_page: Callable[[int, int], tuple[list[WarrantyPolicyRead], int]],
) -> PagedTableModel[WarrantyPolicyRead]:
    return PagedTableModel(POLICY_COLUMNS, fetch_page)


class PolicyPanel(QWidget):
    """The policies in name order; loads whenever it is shown."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PolicyPanel")
        self.ctx = ctx
        self.can_edit = ctx.user is not None and allowed(ctx.user.role, Action.POLICIES_EDIT)
        self._policies: list[WarrantyPolicyRead] = []

        self.new_button = push_button("newPolicyButton", _("New policy…"), self.new_policy)
        self.new_button.setToolTip(_("Ctrl+N"))
        self.edit_button = push_button("editPolicyButton", _("Edit…"), self.edit_policy)
        for button in (self.new_button, self.edit_button):
            button.setVisible(self.can_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        self.note_label = QLabel(
            _(
                "Each model has a default policy (Devices > Models); a terminal may carry its own. "
                "\"Own terminals\" counts the terminals that carry the policy themselves."
            )
        )
        self.note_label.setObjectName("policyNote")
        self.note_label.setWordWrap(True)
        self.model = policy_table_model(self._fetch)
        self.table = list_table("policyTable")
        self.table.setModel(self.model)
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.note_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)

        self.table.activated.connect(lambda _index: self.edit_policy())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        action = shortcut_action(self, "newPolicyAction", _("New policy"), ["Ctrl+N"], self.new_policy)
        action.setEnabled(self.can_edit)
        shortcut_action(self, "reloadPoliciesAction", _("Reload"), ["F5"], self.reload)
        self._update_buttons()

    def _fetch(self, offset: int, limit: int) -> tuple[list[WarrantyPolicyRead], int]:
        return self._policies[offset : offset + limit], len(self._policies)

    def reload(self, keep: uuid.UUID | None = None) -> None:
        selected = self.selected_policy()
        keep = keep or (selected.id if selected else None)
        try:
            self._policies = warranty.list_warranty_policies(self.ctx)
            self.model.reload()
        except AppError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.error_label.hide()
        fit_columns(self.table)
        for row, policy in enumerate(self._policies):
            if policy.id == keep:
                self.table.selectRow(row)
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.reload()

    def selected_policy(self) -> WarrantyPolicyRead | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(self.selected_policy() is not None)

    def new_policy(self) -> None:
        if not self.can_edit:
            return
        dialog = PolicyDialog(self.ctx, parent=self)
        if dialog.exec() and dialog.result_policy is not None:
            self.reload(dialog.result_policy.id)

    def edit_policy(self) -> None:
        policy = self.selected_policy()
        if policy is None or not self.can_edit:
            return
        dialog = PolicyDialog(self.ctx, policy, parent=self)
        if dialog.exec():
            self.reload(policy.id)
