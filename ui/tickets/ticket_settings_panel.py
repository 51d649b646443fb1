"""Tickets > Settings (supervisors): SLA targets per priority, the clock while waiting for parts,
when the follow-up call falls due, and the list of fault categories.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError, ValidationError
from app.i18n import _
from app.models.ticket import (
    FaultCategoryRead,
    Priority,
    SlaDefaultRead,
    TicketSettings,
)
from app.rules.permissions import Action, allowed
from app.rules.tickets import FAULT_LABELS, priority_label
from app.services import tickets
from ui.shared import dialogs
from ui.shared.form_dialog import FormDialog, line_edit
from ui.shared.paged_table_model import Column, PagedTableModel
from ui.shared.widgets import fit_columns, list_table, push_button, set_tone, shortcut_action

MAX_HOURS = 24 * 30  # the service's limit; it says so in words when exceeded

FAULT_COLUMNS: list[Column[FaultCategoryRead]] = [
    Column(lambda: _("Fault"), lambda f: f.label),
    Column(lambda: _("In use"), lambda f: _("active") if f.active else _("inactive")),
    Column(lambda: _("Kind"), lambda f: _("built in") if f.code in FAULT_LABELS else _("added here")),
]


def _message(name: str, tone: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    set_tone(label, tone)
    label.hide()
    return label


def _say(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def _hours_spin(name: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(1, MAX_HOURS)
    spin.setSuffix(" " + _("h"))
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("0000 h") + 40)
    return spin


class _SlaRow:
    """The inputs of one priority's targets."""

    def __init__(self, priority: Priority) -> None:
        self.priority = priority
        self.response = _hours_spin(f"slaResponseSpin{priority.value}")
        self.resolution = _hours_spin(f"slaResolutionSpin{priority.value}")
        self.working = QCheckBox(_("working hours only"))
        self.working.setObjectName(f"slaWorkingHoursCheck{priority.value}")
        self.error = _message(f"slaError{priority.value}", "error")
        self.saved: SlaDefaultRead | None = None

    def show(self, row: SlaDefaultRead) -> None:
        self.saved = row
        self.response.setValue(row.response_hours)
        self.resolution.setValue(row.resolution_hours)
        self.working.setChecked(row.working_hours_only)

    def changed(self) -> bool:
        saved = self.saved
        return saved is None or (
            saved.response_hours,
            saved.resolution_hours,
            saved.working_hours_only,
        ) != (self.response.value(), self.resolution.value(), self.working.isChecked())


class FaultCategoryDialog(FormDialog):
    """Add a fault category, or rename one; `result_category` holds it after Save."""

    def __init__(
        self, ctx: Context, category: FaultCategoryRead | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            object_name="faultCategoryDialog",
            title=_("New fault category") if category is None else _("Rename fault category"),
            parent=parent,
        )
        self.ctx = ctx
        self.category = category
        self.result_category: FaultCategoryRead | None = None
        self.name_edit = line_edit("faultNameEdit", category.label if category else "")
        form = QFormLayout()
        self.add_row(form, _("Name"), "name", self.name_edit)
        self.main_layout.addLayout(form)
        self.finish()
        self.setMinimumWidth(380)
        self.name_edit.setFocus()

    def save(self) -> None:
        category, name = self.category, self.name_edit.text()

        def save() -> FaultCategoryRead:
            if category is not None and not name.strip():
                raise ValidationError.single("name", _("Please enter the fault's name."))
            if category is not None and name.strip() == category.label:
                return category  # unchanged: a built-in entry keeps following the language
            return tickets.save_fault_category(
                self.ctx,
                name,
                category_id=category.id if category else None,
                active=category.active if category else True,
            )

        self.result_category = self.submit(save)


class TicketSettingsPanel(QWidget):
    """Loads whenever it is shown; every change is saved by its own button."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketSettingsPanel")
        self.ctx = ctx
        self.can_edit = ctx.user is not None and allowed(ctx.user.role, Action.TICKET_SETTINGS_EDIT)

        # SLA targets per priority.
        sla_box = QGroupBox(_("SLA targets of tickets without a service contract"))
        sla_box.setObjectName("slaDefaultsBox")
        grid = QGridLayout()
        grid.addWidget(QLabel(_("Priority")), 0, 0)
        grid.addWidget(QLabel(_("Respond within")), 0, 1)
        grid.addWidget(QLabel(_("Resolve within")), 0, 2)
        self.sla_rows: dict[Priority, _SlaRow] = {}
        for line, priority in enumerate(Priority, start=1):
            row = _SlaRow(priority)
            self.sla_rows[priority] = row
            grid.addWidget(QLabel(priority_label(priority)), line * 2 - 1, 0)
            grid.addWidget(row.response, line * 2 - 1, 1)
            grid.addWidget(row.resolution, line * 2 - 1, 2)
            grid.addWidget(row.working, line * 2 - 1, 3)
            grid.addWidget(row.error, line * 2, 0, 1, 4)
        grid.setColumnStretch(4, 1)
        self.save_sla_button = push_button("saveSlaButton", _("Save targets"), self.save_sla)
        self.sla_message = _message("slaSavedLabel", "success")
        sla_note = QLabel(
            _("A service contract's own targets win over these. Changes apply to tickets opened from now on.")
        )
        sla_note.setObjectName("slaNote")
        sla_note.setWordWrap(True)
        sla_buttons = QHBoxLayout()
        sla_buttons.addWidget(self.save_sla_button)
        sla_buttons.addWidget(self.sla_message)
        sla_buttons.addStretch(1)
        sla_layout = QVBoxLayout(sla_box)
        sla_layout.addWidget(sla_note)
        sla_layout.addLayout(grid)
        sla_layout.addLayout(sla_buttons)

        # The workflow.
        workflow_box = QGroupBox(_("Workflow"))
        workflow_box.setObjectName("ticketWorkflowBox")
        self.pause_check = QCheckBox(_("Pause the clock while waiting for parts"))
        self.pause_check.setObjectName("pauseForPartsCheck")
        self.follow_up_spin = QSpinBox()
        self.follow_up_spin.setObjectName("followUpDaysSpin")
        self.follow_up_spin.setRange(1, 60)
        self.follow_up_spin.setSuffix(" " + _("days after closing"))
        self.save_settings_button = push_button(
            "saveTicketSettingsButton", _("Save workflow settings"), self.save_settings
        )
        self.settings_error = _message("ticketSettingsError", "error")
        self.settings_message = _message("ticketSettingsSavedLabel", "success")
        workflow_form = QFormLayout(workflow_box)
        workflow_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        workflow_form.addRow(self.pause_check)
        workflow_form.addRow(_("Follow-up call due"), self.follow_up_spin)
        workflow_form.addRow(self.settings_error)
        settings_buttons = QHBoxLayout()
        settings_buttons.addWidget(self.save_settings_button)
        settings_buttons.addWidget(self.settings_message)
        settings_buttons.addStretch(1)
        workflow_form.addRow(settings_buttons)

        # Fault categories.
        faults_box = QGroupBox(_("Fault categories"))
        faults_box.setObjectName("faultCategoriesBox")
        self._faults: list[FaultCategoryRead] = []
        self.fault_model: PagedTableModel[FaultCategoryRead] = PagedTableModel(FAULT_COLUMNS, self._fetch_faults)
        self.fault_table = list_table("faultCategoryTable")
        self.fault_table.setModel(self.fault_model)
        self.add_fault_button = push_button("addFaultButton", _("Add…"), self.add_fault)
        self.rename_fault_button = push_button("renameFaultButton", _("Rename…"), self.rename_fault)
        self.toggle_fault_button = push_button("toggleFaultButton", _("Deactivate"), self.toggle_fault)
        self.fault_error = _message("faultError", "error")
        fault_buttons = QHBoxLayout()
        for button in (self.add_fault_button, self.rename_fault_button, self.toggle_fault_button):
            fault_buttons.addWidget(button)
        fault_buttons.addStretch(1)
        faults_layout = QVBoxLayout(faults_box)
        faults_layout.addLayout(fault_buttons)
        faults_layout.addWidget(self.fault_error)
        faults_layout.addWidget(self.fault_table, 1)

        left = QVBoxLayout()
        left.addWidget(sla_box)
        left.addWidget(workflow_box)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(faults_box, 2)

        for widget in (
            self.save_sla_button, self.save_settings_button, self.add_fault_button,
            self.rename_fault_button, self.toggle_fault_button,
        ):
            widget.setVisible(self.can_edit)
        for row in self.sla_rows.values():
            for edit in (row.response, row.resolution, row.working):
                edit.setEnabled(self.can_edit)
        self.pause_check.setEnabled(self.can_edit)
        self.follow_up_spin.setEnabled(self.can_edit)
        self.fault_table.activated.connect(lambda _index: self.rename_fault())
        self.fault_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        shortcut_action(self, "reloadTicketSettingsAction", _("Reload"), ["F5"], self.reload)
        self._update_buttons()

    # --- loading ----------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.reload()

    def reload(self) -> None:
        try:
            defaults = tickets.list_sla_defaults(self.ctx)
            settings = tickets.get_ticket_settings(self.ctx)
        except AppError as exc:
            _say(self.settings_error, str(exc))
            return
        for default in defaults:
            self.sla_rows[Priority(default.priority)].show(default)
        self.pause_check.setChecked(settings.pause_while_waiting_for_parts)
        self.follow_up_spin.setValue(settings.follow_up_days)
        self.reload_faults()

    def _fetch_faults(self, offset: int, limit: int) -> tuple[list[FaultCategoryRead], int]:
        return self._faults[offset : offset + limit], len(self._faults)

    def reload_faults(self, keep: uuid.UUID | None = None) -> None:
        selected = self.selected_fault()
        keep = keep or (selected.id if selected else None)
        try:
            self._faults = tickets.list_fault_categories(self.ctx, include_inactive=True)
        except AppError as exc:
            _say(self.fault_error, str(exc))
            return
        self.fault_model.reload()
        for row, fault in enumerate(self._faults):
            if fault.id == keep:
                self.fault_table.selectRow(row)
        fit_columns(self.fault_table)
        self._update_buttons()

    # --- SLA targets and workflow -------------------------------------------------------------------

    def save_sla(self) -> None:
        """Save every priority whose targets changed; a refused row says why beside itself."""
        _say(self.sla_message, "")
        saved = 0
        failed = False
        for row in self.sla_rows.values():
            _say(row.error, "")
            if not row.changed():
                continue
            try:
                row.show(
                    tickets.save_sla_default(
                        self.ctx, row.priority, row.response.value(), row.resolution.value(), row.working.isChecked()
                    )
                )
                saved += 1
            except ValidationError as exc:
                failed = True
                _say(row.error, priority_label(row.priority) + ": " + " ".join(exc.fields.values()))
            except AppError as exc:
                failed = True
                _say(row.error, str(exc))
        if not failed:
            _say(self.sla_message, _("Saved.") if saved else _("Nothing changed."))

    def save_settings(self) -> None:
        _say(self.settings_message, "")
        _say(self.settings_error, "")
        settings = TicketSettings(
            pause_while_waiting_for_parts=self.pause_check.isChecked(),
            follow_up_days=self.follow_up_spin.value(),
        )
        try:
            tickets.save_ticket_settings(self.ctx, settings)
        except AppError as exc:
            _say(self.settings_error, str(exc))
            return
        _say(self.settings_message, _("Saved."))

    # --- fault categories ---------------------------------------------------------------------------

    def selected_fault(self) -> FaultCategoryRead | None:
        rows = self.fault_table.selectionModel().selectedRows()
        return self.fault_model.row_object(rows[0].row()) if rows else None

    def select_fault(self, name: str) -> bool:
        for row, fault in enumerate(self._faults):
            if fault.label == name:
                self.fault_table.selectRow(row)
                return True
        return False

    def _update_buttons(self) -> None:
        fault = self.selected_fault()
        self.rename_fault_button.setEnabled(fault is not None)
        self.toggle_fault_button.setEnabled(fault is not None)
        active = fault is None or fault.active
        self.toggle_fault_button.setText(_("Deactivate") if active else _("Activate"))

    def add_fault(self) -> None:
        if not self.can_edit:
            return
        dialog = FaultCategoryDialog(self.ctx, parent=self)
        if dialog.exec() and dialog.result_category is not None:
            self.reload_faults(dialog.result_category.id)

    def rename_fault(self) -> None:
        fault = self.selected_fault()
        if fault is None or not self.can_edit:
            return
        if FaultCategoryDialog(self.ctx, fault, parent=self).exec():
            self.reload_faults()

    def toggle_fault(self) -> None:
        fault = self.selected_fault()
        if fault is None or not self.can_edit:
            return
        _say(self.fault_error, "")
        try:
            # An empty name keeps the entry's name (and a built-in entry its translation).
            tickets.save_fault_category(self.ctx, "", category_id=fault.id, active=not fault.active)
        except AppError as exc:
            dialogs.warn(self, _("Cannot change the fault category"), str(exc))
        self.reload_faults()
