"""The technician's part of a ticket: diagnosis, resolution, actions, parts, fees, exclusion, total.

The panel keeps what was typed until it is saved (Ctrl+S or Save work); an error from the service
shows next to its field and the typing stays. The total to charge is worked out live with the
pure rule `app.rules.tickets.charges`, for display only: the saved total is the service's.
"""

from __future__ import annotations

import pydantic
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError, Conflict, ValidationError
from app.i18n import _
from app.models.ticket import TicketRead, TicketStatus, TicketWork, WorkAction
from app.models.warranty import CostItem, ExclusionCause
from app.rules.coverage import exclusion_label
from app.rules.tickets import action_label, charges, may_work_on, others_work_problem
from app.services import tickets
from ui.shared.form_errors import FormErrors
from ui.shared.widgets import YuanSpinBox, find_data, money_text, push_button, set_tone
from ui.tickets.parts_table_model import (
    AMOUNT,
    COVERED,
    PART,
    QUANTITY,
    UNIT_PRICE,
    PartsDelegate,
    PartsTableModel,
)
from ui.tickets.swap_dialog import SoftwareUpdateDialog, SwapTerminalDialog

# Ticked by hand; swap and software update are ticked by their own buttons, which record more.
EDITABLE_ACTIONS = (
    WorkAction.REPAIR,
    WorkAction.REPLACE_PART,
    WorkAction.CONFIGURATION,
    WorkAction.NO_FAULT_FOUND,
)
BUTTON_ACTIONS = (WorkAction.SWAP_TERMINAL, WorkAction.SOFTWARE_UPDATE)
# The fields of TicketWork the service may name in an error.
WORK_FIELDS = (
    "diagnosis",
    "resolution",
    "actions",
    "parts",
    "labour_fee_fen",
    "onsite_fee_fen",
    "exclusion",
)
DONE = (TicketStatus.CLOSED, TicketStatus.CANCELLED)
# Typing into a cell starts editing it: parts are entered as fast as in a spreadsheet.
EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
    | QAbstractItemView.EditTrigger.SelectedClicked
)


def mnemonic(text: str, key: str) -> str:
    """`text` with Alt+`key` marked: on that letter where the text has it, else "(&K)" after the
    text, as Chinese programs write it ("换机(&W)…")."""
    if "&" in text:
        return text
    at = text.lower().find(key.lower())
    if at >= 0 and text[at].isascii():
        return text[:at] + "&" + text[at:]
    if text.endswith("…"):
        return f"{text[:-1]}(&{key.upper()})…"
    return f"{text}(&{key.upper()})"


def camel(value: str) -> str:
    head, *rest = value.split("_")
    return head + "".join(part.title() for part in rest)


def _text_edit(name: str, lines: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    # As tall as the room left: a few lines on a small screen, more on a large one.
    edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
    return edit


PartKey = tuple[str, int, int, bool]


def _rows(model: PartsTableModel) -> list[PartKey]:
    return [(r.part_name.strip(), r.quantity, r.unit_price_fen, r.covered) for r in model.rows()]


def _lines(t: TicketRead) -> list[PartKey]:
    return [(p.part_name, p.quantity, p.unit_price_fen, p.covered) for p in t.parts]


def _exclusion(t: TicketRead) -> ExclusionCause | None:
    return ExclusionCause(t.exclusion) if t.exclusion else None


class WorkPanel(QWidget):
    """`saved` carries the ticket after a save, swap or software update; `conflict` the sentence
    when someone else changed the ticket meanwhile (the page reloads and keeps the typing)."""

    saved = Signal(object)
    conflict = Signal(str)
    failed = Signal(str)  # the sentence why the work was not saved
    dirtyChanged = Signal(bool)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workPanel")
        self.ctx = ctx
        self.ticket: TicketRead | None = None
        self._filling = False
        self._was_dirty = False

        self.error_label = QLabel()
        self.error_label.setObjectName("workError")
        set_tone(self.error_label, "error")
        self.errors = FormErrors(self.error_label)
        self._boxes: dict[str, QWidget] = {}

        self.diagnosis_edit = _text_edit("diagnosisEdit", 4)
        self.diagnosis_edit.setPlaceholderText(_("What was found"))
        self.resolution_edit = _text_edit("resolutionEdit", 4)
        self.resolution_edit.setPlaceholderText(_("What was done"))
        diagnosis_label = QLabel(mnemonic(_("Diagnosis"), "g"))
        diagnosis_label.setBuddy(self.diagnosis_edit)
        resolution_label = QLabel(mnemonic(_("Resolution"), "u"))
        resolution_label.setBuddy(self.resolution_edit)
        texts = QGridLayout()
        texts.addWidget(diagnosis_label, 0, 0)
        texts.addWidget(resolution_label, 0, 1)
        texts.addWidget(self._field("diagnosis", self.diagnosis_edit), 1, 0)
        texts.addWidget(self._field("resolution", self.resolution_edit), 1, 1)
        texts.setColumnStretch(0, 1)
        texts.setColumnStretch(1, 1)
        texts.setRowStretch(1, 1)  # the boxes take the room, not their captions

        self.action_checks: dict[WorkAction, QCheckBox] = {}
        actions_box = QGroupBox(_("Actions taken"))
        actions_box.setObjectName("actionsBox")
        grid = QGridLayout(actions_box)
        for number, action in enumerate((*EDITABLE_ACTIONS, *BUTTON_ACTIONS)):
            check = QCheckBox(action_label(action))
            check.setObjectName(f"{camel(action.value)}ActionCheck")  # repairActionCheck, ...
            if action in BUTTON_ACTIONS:
                check.setEnabled(False)
                check.setToolTip(_("Set by the button below, which also updates the terminal"))
            check.toggled.connect(self._edited)
            self.action_checks[action] = check
            grid.addWidget(check, number // 3, number % 3)

        self.parts_model = PartsTableModel(self)
        self.parts_model.edited.connect(self._edited)
        self.parts_table = QTableView()
        self.parts_table.setObjectName("partsTable")
        self.parts_table.setModel(self.parts_model)
        self.parts_table.setItemDelegate(PartsDelegate(self.parts_table))
        self.parts_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.parts_table.setEditTriggers(EDIT_TRIGGERS)
        self.parts_table.setAlternatingRowColors(True)
        self.parts_table.verticalHeader().setDefaultSectionSize(self.parts_table.fontMetrics().height() + 12)
        header = self.parts_table.horizontalHeader()
        header.setSectionResizeMode(PART, QHeaderView.ResizeMode.Stretch)
        for column in (QUANTITY, UNIT_PRICE, COVERED, AMOUNT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        rows = 4
        self.parts_table.setMinimumHeight(
            header.sizeHint().height() + rows * self.parts_table.verticalHeader().defaultSectionSize() + 4
        )
        self.add_part_button = push_button("addPartButton", mnemonic(_("Add line"), "l"), self.add_part)
        self.remove_part_button = push_button("removePartButton", mnemonic(_("Remove line"), "m"), self.remove_part)
        part_buttons = QVBoxLayout()
        part_buttons.addWidget(self.add_part_button)
        part_buttons.addWidget(self.remove_part_button)
        part_buttons.addStretch(1)
        parts_box = QGroupBox(_("Parts"))
        parts_box.setObjectName("partsBox")
        parts_layout = QHBoxLayout(parts_box)
        parts_layout.addWidget(self._field("parts", self.parts_table), 1)
        parts_layout.addLayout(part_buttons)

        self.labour_spin = YuanSpinBox("labourFeeSpin")
        self.onsite_spin = YuanSpinBox("onsiteFeeSpin")
        for spin in (self.labour_spin, self.onsite_spin):
            spin.setMaximum(100_000.0)
            spin.valueChanged.connect(self._edited)
        self.exclusion_combo = QComboBox()
        self.exclusion_combo.setObjectName("exclusionCombo")
        self.exclusion_combo.addItem(_("none"), None)
        for cause in ExclusionCause:
            self.exclusion_combo.addItem(exclusion_label(cause), cause.value)
        self.exclusion_combo.setToolTip(
            _("A cause the warranty excludes (liquid, a fall…) makes the repair chargeable; coverage is decided again on saving")
        )
        self.exclusion_combo.currentIndexChanged.connect(self._edited)
        fees_row = QHBoxLayout()
        fees_left = QFormLayout()
        fees_left.addRow(mnemonic(_("Labour fee"), "b"), self._field("labour_fee_fen", self.labour_spin))
        fees_left.addRow(mnemonic(_("On-site fee"), "i"), self._field("onsite_fee_fen", self.onsite_spin))
        fees_right = QFormLayout()
        fees_right.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        fees_right.addRow(mnemonic(_("Exclusion"), "x"), self._field("exclusion", self.exclusion_combo))
        self.exclusion_note = QLabel()
        self.exclusion_note.setObjectName("exclusionNote")
        self.exclusion_note.setWordWrap(True)
        set_tone(self.exclusion_note, "note")
        fees_right.addRow(self.exclusion_note)
        fees_row.addLayout(fees_left)
        fees_row.addSpacing(24)
        fees_row.addLayout(fees_right, 1)
        self.terminal_work_label = QLabel()
        self.terminal_work_label.setObjectName("terminalWorkLabel")
        self.terminal_work_label.setWordWrap(True)
        self.others_work_label = QLabel(others_work_problem())
        self.others_work_label.setObjectName("othersWorkLabel")
        self.others_work_label.setWordWrap(True)
        self.others_work_label.setVisible(False)

        content = QWidget()
        content.setObjectName("workContent")
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(4, 4, 4, 4)
        content_layout.addWidget(self.others_work_label)
        content_layout.addLayout(texts, 1)
        content_layout.addWidget(self._field("actions", actions_box))
        content_layout.addWidget(parts_box)
        content_layout.addLayout(fees_row)
        content_layout.addWidget(self.terminal_work_label)
        self.work_scroll = scroll = QScrollArea()
        scroll.setObjectName("workScroll")
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        # The total and the buttons stay in sight below the scrolling fields.
        self.total_label = QLabel()
        self.total_label.setObjectName("totalChargeLabel")
        self.total_label.setTextFormat(Qt.TextFormat.RichText)
        self.breakdown_label = QLabel()
        self.breakdown_label.setObjectName("chargeBreakdownLabel")
        set_tone(self.breakdown_label, "muted")
        self.saved_total_label = QLabel()
        self.saved_total_label.setObjectName("savedTotalLabel")
        set_tone(self.saved_total_label, "muted")
        self.unsaved_label = QLabel(_("Unsaved changes"))
        self.unsaved_label.setObjectName("unsavedLabel")
        set_tone(self.unsaved_label, "note")
        self.unsaved_label.hide()
        totals = QVBoxLayout()
        totals.setSpacing(0)
        totals.addWidget(self.total_label)
        totals.addWidget(self.breakdown_label)
        totals.addWidget(self.saved_total_label)

        self.swap_button = push_button("swapButton", mnemonic(_("Swap terminal…"), "t"), self.swap_terminal)
        self.swap_button.setToolTip(_("Give the merchant a terminal from stock in place of this one"))
        self.software_button = push_button(
            "softwareUpdateButton", mnemonic(_("Software update…"), "f"), self.software_update
        )
        self.software_button.setToolTip(_("Note the firmware version now installed on the terminal"))
        self.save_button = push_button("saveWorkButton", mnemonic(_("Save work"), "v"), self.save)
        self.save_button.setToolTip(_("Ctrl+S"))
        self.save_button.setDefault(False)
        bar = QHBoxLayout()
        bar.addLayout(totals, 1)
        bar.addWidget(self.unsaved_label)
        bar.addWidget(self.swap_button)
        bar.addWidget(self.software_button)
        bar.addWidget(self.save_button)
        bottom = QFrame()
        bottom.setObjectName("workBar")
        bottom.setFrameShape(QFrame.Shape.StyledPanel)
        bottom.setLayout(bar)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.error_label)
        layout.addWidget(scroll, 1)
        layout.addWidget(bottom)

        self.diagnosis_edit.textChanged.connect(self._edited)
        self.resolution_edit.textChanged.connect(self._edited)
        self.parts_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()

    def _field(self, field: str, widget: QWidget) -> QWidget:
        """The input with its error line under it, remembered to scroll to when it is wrong."""
        box = self.errors.field(field, widget)
        self._boxes[field] = box
        return box

    # --- showing the ticket ---------------------------------------------------------------------

    def _someone_elses(self) -> bool:
        """The ticket is held by another person and this one may not record its work."""
        t, user = self.ticket, self.ctx.user
        if t is None or user is None:
            return False
        return not may_work_on(user.role, t.assignee_id is not None and t.assignee_id != user.id)

    def editable(self) -> bool:
        return (
            self.ticket is not None
            and TicketStatus(self.ticket.status) not in DONE
            and not self._someone_elses()
        )

    def set_ticket(self, ticket: TicketRead, *, keep_edits: bool = False) -> None:
        """Show the ticket's work; `keep_edits` keeps what was typed (after a Conflict), now
        measured against the ticket as it is."""
        before = self.ticket
        # Typing is kept only while it can still be saved.
        keep = keep_edits and before is not None and self.is_dirty() and TicketStatus(ticket.status) not in DONE
        self.ticket = ticket
        if keep and before is not None:
            self._merge(before, ticket)
        else:
            self._fill(ticket)
            self.errors.clear()
        self.terminal_work_label.setText(self._terminal_work_text(ticket))
        self.terminal_work_label.setVisible(bool(self.terminal_work_label.text()))
        self.others_work_label.setVisible(TicketStatus(ticket.status) not in DONE and self._someone_elses())
        editable = self.editable()
        for widget in (
            self.diagnosis_edit,
            self.resolution_edit,
            self.labour_spin,
            self.onsite_spin,
            self.exclusion_combo,
        ):
            widget.setEnabled(editable)
        for action, check in self.action_checks.items():
            check.setEnabled(editable and action in EDITABLE_ACTIONS)
        self.parts_table.setEditTriggers(EDIT_TRIGGERS if editable else QAbstractItemView.EditTrigger.NoEditTriggers)
        self._update_total()
        self._update_buttons()
        self._update_dirty()

    def _fill(self, t: TicketRead) -> None:
        self._filling = True
        try:
            self.diagnosis_edit.setPlainText(t.diagnosis)
            self.resolution_edit.setPlainText(t.resolution)
            for action, check in self.action_checks.items():
                check.setChecked(action in t.actions)
            self.parts_model.set_lines(list(t.parts))
            self.labour_spin.set_fen(t.labour_fee_fen)
            self.onsite_spin.set_fen(t.onsite_fee_fen)
            self._select_exclusion(t)
        finally:
            self._filling = False

    def _merge(self, old: TicketRead, new: TicketRead) -> None:
        """Keep each field the person changed; the others take the ticket's new value, so that
        saving again does not undo what someone else saved meanwhile."""
        self._filling = True
        try:
            for edit, field in ((self.diagnosis_edit, "diagnosis"), (self.resolution_edit, "resolution")):
                if edit.toPlainText().strip() == str(getattr(old, field)).strip():
                    edit.setPlainText(getattr(new, field))
            ticked = {a for a, check in self.action_checks.items() if check.isChecked()}
            if ticked == set(old.actions):
                ticked = set(new.actions)
            for action, check in self.action_checks.items():
                # Swap and update are recorded by their own buttons: the ticket says.
                check.setChecked(action in (new.actions if action in BUTTON_ACTIONS else ticked))
            if _rows(self.parts_model) == _lines(old):
                self.parts_model.set_lines(list(new.parts))
            for spin, field in ((self.labour_spin, "labour_fee_fen"), (self.onsite_spin, "onsite_fee_fen")):
                if spin.fen() == getattr(old, field):
                    spin.set_fen(getattr(new, field))
            if self.chosen_exclusion() == _exclusion(old):
                self._select_exclusion(new)
        finally:
            self._filling = False

    def _select_exclusion(self, t: TicketRead) -> None:
        value = t.exclusion.value if t.exclusion else None
        self.exclusion_combo.setCurrentIndex(max(0, find_data(self.exclusion_combo, value)))

    def _terminal_work_text(self, t: TicketRead) -> str:
        parts = []
        if t.replacement_serial_no:
            parts.append(_("Replaced by terminal {sn}.").format(sn=t.replacement_serial_no))
        if t.new_firmware_version:
            parts.append(_("Software updated to {version}.").format(version=t.new_firmware_version))
        return " ".join(parts)

    # --- what was typed ---------------------------------------------------------------------------

    def chosen_exclusion(self) -> ExclusionCause | None:
        value = self.exclusion_combo.currentData()
        return ExclusionCause(value) if value else None

    def chosen_actions(self) -> list[WorkAction]:
        """The ticked actions, in the ticket's order first, so an unchanged list reads unchanged."""
        ticked = [a for a, check in self.action_checks.items() if check.isChecked()]
        known = [a for a in (self.ticket.actions if self.ticket else []) if a in ticked]
        return known + [a for a in ticked if a not in known]

    def work(self) -> TicketWork:
        assert self.ticket is not None
        exclusion = self.chosen_exclusion()
        return TicketWork(
            diagnosis=self.diagnosis_edit.toPlainText(),
            resolution=self.resolution_edit.toPlainText(),
            actions=self.chosen_actions(),
            parts=self.parts_model.lines(),
            labour_fee_fen=self.labour_spin.fen(),
            onsite_fee_fen=self.onsite_spin.fen(),
            exclusion=exclusion,
            clear_exclusion=exclusion is None and self.ticket.exclusion is not None,
            expected_version=self.ticket.version,
        )

    def is_dirty(self) -> bool:
        """Whether anything typed differs from the ticket as last read or saved."""
        t = self.ticket
        if t is None or not self.editable():
            return False
        return (
            self.diagnosis_edit.toPlainText().strip() != t.diagnosis.strip()
            or self.resolution_edit.toPlainText().strip() != t.resolution.strip()
            or set(self.chosen_actions()) != set(t.actions)
            or _rows(self.parts_model) != _lines(t)
            or self.labour_spin.fen() != t.labour_fee_fen
            or self.onsite_spin.fen() != t.onsite_fee_fen
            or self.chosen_exclusion() != _exclusion(t)
        )

    def _edited(self, *_args: object) -> None:
        if self._filling:
            return
        self._update_total()
        self._update_dirty()

    def _update_dirty(self) -> None:
        dirty = self.is_dirty()
        self.unsaved_label.setVisible(dirty)
        if dirty != self._was_dirty:
            self._was_dirty = dirty
            self.dirtyChanged.emit(dirty)

    def _update_total(self) -> None:
        t = self.ticket
        if t is None:
            return
        try:
            lines = self.parts_model.lines()
        except pydantic.ValidationError:
            lines = []
        free = list(t.free_items)
        exclusion = self.chosen_exclusion()
        changed_exclusion = exclusion != _exclusion(t)
        if changed_exclusion and exclusion is not None:
            free = []  # an exclusion makes the repair chargeable; the service decides on saving
        total = charges(lines, self.labour_spin.fen(), self.onsite_spin.fen(), free)
        self.parts_model.set_parts_free(CostItem.PARTS in free)
        self.total_label.setText(
            "<b>" + _("Total to charge: {amount}").format(amount=money_text(total.total_fen)) + "</b>"
        )
        self.breakdown_label.setText(
            _("parts {parts} · labour {labour} · on site {onsite}").format(
                parts=money_text(total.parts_fen), labour=money_text(total.labour_fen), onsite=money_text(total.onsite_fen)
            )
        )
        free_note = ""
        if CostItem.PARTS in free or CostItem.LABOUR in free or CostItem.ONSITE in free:
            free_note = " " + _("(coverage makes some items free)")
        self.breakdown_label.setText(self.breakdown_label.text() + free_note)
        self.saved_total_label.setText(_("Saved total: {amount}").format(amount=money_text(t.total_charge_fen)))
        if changed_exclusion:
            self.exclusion_note.setText(_("Coverage is decided again when you save the work."))
        else:
            self.exclusion_note.setText("")
        self.exclusion_note.setVisible(changed_exclusion)

    def total_text(self) -> str:
        return self.total_label.text()

    def _update_buttons(self) -> None:
        editable = self.editable()
        self.add_part_button.setEnabled(editable)
        has_rows = self.parts_model.rowCount() > 0
        self.remove_part_button.setEnabled(editable and has_rows)
        self.save_button.setEnabled(editable)
        self.swap_button.setEnabled(editable)
        self.software_button.setEnabled(editable)

    # --- parts ------------------------------------------------------------------------------------

    def add_part(self) -> None:
        if not self.editable() or self.ticket is None:
            return
        row = self.parts_model.add_line()
        index = self.parts_model.index(row, PART)
        self.parts_table.setCurrentIndex(index)
        self.parts_table.setFocus()
        self.parts_table.edit(index)
        self._update_buttons()

    def remove_part(self) -> None:
        if not self.editable():
            return
        rows = {i.row() for i in self.parts_table.selectionModel().selectedIndexes()}
        current = self.parts_table.currentIndex()
        if not rows and current.isValid():
            rows = {current.row()}
        if not rows and self.parts_model.rowCount():
            rows = {self.parts_model.rowCount() - 1}
        self.parts_model.remove_lines(sorted(rows))
        self._update_buttons()

    # --- saving -----------------------------------------------------------------------------------

    def show_field_errors(self, error: ValidationError) -> bool:
        """Show a service's field errors here when they name this panel's fields."""
        if not any(field in WORK_FIELDS for field in error.fields):
            return False
        self._show_errors(error)
        return True

    def _show_errors(self, error: ValidationError) -> None:
        self.errors.show(error)
        first = next((self._boxes[f] for f in error.fields if f in self._boxes), None)
        if first is not None:
            self.work_scroll.ensureWidgetVisible(first)

    def _commit_cell(self) -> None:
        """A parts cell still being typed into (Ctrl+S pressed inside it) counts as typed."""
        focused = QApplication.focusWidget()
        viewport = self.parts_table.viewport()
        if focused is None or not viewport.isAncestorOf(focused):
            return
        editor: QWidget = focused
        while (parent := editor.parentWidget()) is not None and parent is not viewport:
            editor = parent
        self.parts_table.commitData(editor)
        self.parts_table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def save(self) -> bool:
        """Save what was typed; False (and the reason shown) when it could not be saved."""
        if self.ticket is None or not self.editable():
            return False
        self._commit_cell()
        self.errors.clear()
        ticket_id = self.ticket.id
        try:
            try:
                work = self.work()
            except pydantic.ValidationError as exc:
                raise ValidationError.from_schema(exc) from exc
            result = tickets.update_work(self.ctx, ticket_id, work)
        except ValidationError as exc:
            self._show_errors(exc)
            self.failed.emit(str(exc))
            return False
        except Conflict as exc:
            self.conflict.emit(str(exc))
            return False
        except AppError as exc:
            self.errors.show_message(str(exc))
            self.failed.emit(str(exc))
            return False
        self.set_ticket(result)
        self.saved.emit(result)
        return True

    def _save_first(self) -> bool:
        """Unsaved typing is saved before the terminal work, which changes the ticket too."""
        return not self.is_dirty() or self.save()

    def swap_terminal(self) -> None:
        if self.ticket is None or not self.editable() or not self._save_first():
            return
        dialog = SwapTerminalDialog(self.ctx, self.ticket, parent=self)
        dialog.exec()
        dialog.deleteLater()
        self._after_dialog(dialog.conflict, dialog.result_ticket)

    def software_update(self) -> None:
        if self.ticket is None or not self.editable() or not self._save_first():
            return
        dialog = SoftwareUpdateDialog(self.ctx, self.ticket, parent=self)
        dialog.exec()
        dialog.deleteLater()
        self._after_dialog(dialog.conflict, dialog.result_ticket)

    def _after_dialog(self, conflict: Conflict | None, result: TicketRead | None) -> None:
        if conflict is not None:
            self.conflict.emit(str(conflict))
        elif result is not None:
            self.set_ticket(result)
            self.saved.emit(result)
