"""Devices > one terminal: details, coverage, its timeline, and the steps allowed from its status."""

from __future__ import annotations

import html
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError
from app.i18n import _
from app.models.terminal import TerminalEventRead, TerminalRead, TerminalStatus
from app.models.warranty import CoverageKind, CoveragePeriod, CoverageRead
from app.rules.coverage import items_text, kind_label
from app.rules.permissions import Action, allowed
from app.rules.terminals import (
    BINDABLE,
    UNBINDABLE,
    allowed_targets,
    status_label,
    type_label,
)
from app.services import terminals, warranty
from ui.devices.bind_dialog import BindDialog
from ui.devices.coverage_table_model import coverage_table_model
from ui.devices.status_dialog import StatusDialog
from ui.devices.swap_dialog import SwapDialog
from ui.devices.terminal_dialog import TerminalDialog
from ui.devices.terminal_table_model import deposit_text, merchant_text
from ui.devices.timeline_table_model import SUMMARY, timeline_table_model
from ui.devices.unbind_dialog import UnbindDialog
from ui.shared import dialogs
from ui.shared.formatting import local_datetime
from ui.shared.pdf_preview import PdfPreviewDialog
from ui.shared.widgets import (
    date_text,
    fit_columns,
    list_table,
    push_button,
    shortcut_action,
    value_label,
)

COVERED_COLOUR = "#1a7f37"
NOT_COVERED_COLOUR = "#cf222e"
UNKNOWN_COLOUR = "#57606a"


def status_button_name(status: TerminalStatus) -> str:
    """statusInRepairButton for in_repair."""
    return "status" + "".join(part.title() for part in status.value.split("_")) + "Button"


class TerminalPage(QWidget):
    """Shows the terminal given to `load()`; Esc or Alt+Left asks to go back to the list."""

    backRequested = Signal()
    merchantOpened = Signal(object)  # carries a uuid.UUID
    terminalChanged = Signal(object)  # carries a uuid.UUID

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TerminalPage")
        self.ctx = ctx
        self.terminal: TerminalRead | None = None
        self._events: list[TerminalEventRead] = []
        self._periods: list[CoveragePeriod] = []
        self.coverage: CoverageRead | None = None
        role = ctx.user.role if ctx.user else None
        self.can_edit = role is not None and allowed(role, Action.TERMINALS_EDIT)

        self.back_button = push_button("backButton", _("← Back to the list"), self.backRequested.emit)
        self.back_button.setToolTip(_("Esc, Alt+Left"))
        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("terminalSubtitle")
        self.edit_button = push_button("editTerminalButton", _("Edit…"), self.edit_terminal)
        self.print_warranty_button = push_button(
            "printWarrantyButton", _("Print warranty certificate…"), self.print_certificate
        )
        self.print_warranty_button.setToolTip(
            _("The warranty certificate for the merchant: preview, print or save as PDF")
        )
        self.reload_button = push_button("reloadTerminalButton", _("Reload"), self.reload)
        self.reload_button.setToolTip(_("F5"))
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addSpacing(12)
        header.addWidget(self.title_label)
        header.addSpacing(12)
        header.addWidget(self.subtitle_label)
        header.addStretch(1)
        header.addWidget(self.print_warranty_button)
        header.addWidget(self.edit_button)
        header.addWidget(self.reload_button)

        # Every step exists once; `_update_steps` shows those the terminal's status allows.
        self.bind_button = push_button("bindButton", _("Bind…"), self.bind)
        self.unbind_button = push_button("unbindButton", _("Unbind…"), self.unbind)
        self.swap_button = push_button("swapButton", _("Swap…"), self.swap)
        self.status_buttons: dict[TerminalStatus, QPushButton] = {}
        steps = QHBoxLayout()
        steps.setObjectName("stepsLayout")
        self.steps_label = QLabel(_("Actions:"))
        self.steps_label.setObjectName("stepsLabel")
        self.no_steps_label = QLabel(_("No further steps: the terminal is scrapped."))
        self.no_steps_label.setObjectName("noStepsLabel")
        steps.addWidget(self.steps_label)
        for button in (self.bind_button, self.unbind_button, self.swap_button):
            steps.addWidget(button)
        for status in TerminalStatus:
            button = push_button(
                status_button_name(status),
                _("Mark as {status}…").format(status=status_label(status)),
                lambda s=status: self.change_status(s),
            )
            self.status_buttons[status] = button
            steps.addWidget(button)
        steps.addWidget(self.no_steps_label)
        steps.addStretch(1)

        self.values: dict[str, QLabel] = {}
        details = QGroupBox(_("Details"))
        details.setObjectName("terminalDetails")
        form = QFormLayout(details)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        for key, label in (
            ("serial_no", _("Serial no. (SN)")),
            ("terminal_no", _("Terminal no.")),
            ("model", _("Model")),
            ("status", _("Status")),
            ("merchant", _("Merchant")),
            ("location", _("Location")),
            ("acquirer", _("Acquirer")),
            ("sim_iccid", _("SIM ICCID")),
            ("firmware_version", _("Firmware")),
            ("purchase_date", _("Purchase date")),
            ("activation_date", _("Activation date")),
            ("deposit", _("Deposit")),
            ("swap", _("Swap")),
            ("notes", _("Notes")),
            ("updated_at", _("Last changed")),
        ):
            self.values[key] = value_label(_camel(key) + "Value")
            if key == "merchant":
                self.open_merchant_button = push_button(
                    "openMerchantButton", _("Open merchant"), self.open_merchant
                )
                row = QHBoxLayout()
                row.addWidget(self.values[key], 1)
                row.addWidget(self.open_merchant_button)
                form.addRow(label, row)
            else:
                form.addRow(label, self.values[key])

        coverage = self._build_coverage()

        left_content = QWidget()
        left_layout = QVBoxLayout(left_content)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(details)
        left_layout.addWidget(coverage)
        left_layout.addStretch(1)
        # Details and coverage together are taller than a 768-pixel screen leaves: they scroll.
        left = QScrollArea()
        left.setObjectName("terminalDetailsScroll")
        left.setWidget(left_content)
        left.setWidgetResizable(True)
        left.setFrameShape(QFrame.Shape.NoFrame)
        left.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.timeline_model = timeline_table_model(self._fetch_events)
        self.timeline_table = list_table("timelineTable")
        self.timeline_table.setModel(self.timeline_model)
        self.timeline_table.setWordWrap(True)
        self.timeline_table.horizontalHeader().setStretchLastSection(False)
        self.timeline_table.horizontalHeader().setSectionResizeMode(
            SUMMARY, QHeaderView.ResizeMode.Stretch
        )
        self.timeline_empty = QLabel(_("Nothing has been recorded for this terminal yet."))
        self.timeline_empty.setObjectName("timelineEmptyLabel")
        self.timeline_empty.setWordWrap(True)
        timeline = QGroupBox(_("Timeline"))
        timeline.setObjectName("timelineBox")
        timeline_layout = QVBoxLayout(timeline)
        timeline_layout.addWidget(self.timeline_empty)
        timeline_layout.addWidget(self.timeline_table, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("terminalSplitter")
        splitter.addWidget(left)
        splitter.addWidget(timeline)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(steps)
        layout.addWidget(splitter, 1)

        shortcut_action(self, "backAction", _("Back"), ["Esc", "Alt+Left"], self.backRequested.emit)
        shortcut_action(self, "reloadTerminalAction", _("Reload"), ["F5"], self.reload)
        self._update_steps()

    def _build_coverage(self) -> QGroupBox:
        """Coverage today (headline, terms, the reason sentence) and the coverage history."""
        box = QGroupBox(_("Coverage"))
        box.setObjectName("coverageBox")
        self.coverage_headline = QLabel()
        self.coverage_headline.setObjectName("coverageHeadline")
        self.coverage_headline.setTextFormat(Qt.TextFormat.RichText)
        self.coverage_headline.setWordWrap(True)
        self.coverage_values: dict[str, QLabel] = {}
        terms = QFormLayout()
        terms.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        for key, label in (
            ("policy", _("Warranty policy")),
            ("warranty", _("Warranty period")),
            ("contract", _("Service contract")),
            ("free", _("Free of charge")),
        ):
            self.coverage_values[key] = value_label("coverage" + key.title() + "Value")
            terms.addRow(label, self.coverage_values[key])
        # The reason sentence keeps the objectName the page had before coverage existed.
        self.coverage_text = QLabel()
        self.coverage_text.setObjectName("coverageText")
        self.coverage_text.setWordWrap(True)
        self.coverage_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.coverage_history_model = coverage_table_model(self._fetch_periods)
        self.coverage_history_table = list_table("coverageHistoryTable")
        self.coverage_history_table.setModel(self.coverage_history_model)
        self.coverage_history_table.verticalHeader().hide()
        self.coverage_history_empty = QLabel(_("No warranty policy and no service contract."))
        self.coverage_history_empty.setObjectName("coverageHistoryEmptyLabel")

        layout = QVBoxLayout(box)
        layout.addWidget(self.coverage_headline)
        layout.addLayout(terms)
        layout.addWidget(self.coverage_text)
        history = QLabel(_("History"))
        history.setObjectName("coverageHistoryLabel")
        layout.addWidget(history)
        layout.addWidget(self.coverage_history_empty)
        layout.addWidget(self.coverage_history_table)
        return box

    # --- loading --------------------------------------------------------------------------------

    def _fetch_events(self, offset: int, limit: int) -> tuple[list[TerminalEventRead], int]:
        return self._events[offset : offset + limit], len(self._events)

    def _fetch_periods(self, offset: int, limit: int) -> tuple[list[CoveragePeriod], int]:
        return self._periods[offset : offset + limit], len(self._periods)

    def load(self, terminal_id: uuid.UUID) -> bool:
        """Show this terminal, its coverage and timeline; False (and a warning) when it cannot be read."""
        try:
            terminal = terminals.get_terminal(self.ctx, terminal_id)
            self._events = terminals.terminal_timeline(self.ctx, terminal_id)
        except AppError as exc:
            dialogs.warn(self, _("Cannot open the terminal"), str(exc))
            return False
        self.show_terminal(terminal)
        self.load_coverage(terminal_id)
        return True

    def load_coverage(self, terminal_id: uuid.UUID) -> None:
        """Coverage today and its history; a failure shows in the box, the page stays."""
        try:
            today = warranty.coverage(self.ctx, terminal_id)
            self._periods = warranty.coverage_history(self.ctx, terminal_id)
        except AppError as exc:
            self.coverage = None
            self._periods = []
            self.coverage_headline.setText("")
            for label in self.coverage_values.values():
                label.setText("—")
            self.coverage_text.setText(str(exc))
        else:
            self.show_coverage(today)
        self.coverage_history_model.reload()
        fit_columns(self.coverage_history_table)
        has_history = bool(self._periods)
        self.coverage_history_table.setVisible(has_history)
        self.coverage_history_empty.setVisible(not has_history)
        self._fit_history_height()

    def _fit_history_height(self) -> None:
        """As tall as its rows (a warranty and a few contracts), with room for a scroll bar if needed."""
        table = self.coverage_history_table
        rows = max(1, min(len(self._periods), 5))
        height = (
            table.horizontalHeader().sizeHint().height()
            + rows * table.verticalHeader().defaultSectionSize()
            + 2 * table.frameWidth()
        )
        if table.horizontalHeader().length() > table.viewport().width():
            height += table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        table.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_history_height()

    def show_coverage(self, c: CoverageRead) -> None:
        self.coverage = c
        kind = CoverageKind(c.kind)
        if kind != CoverageKind.NONE:
            colour = COVERED_COLOUR
        else:
            # Grey when there is nothing to count from; red when coverage ran out.
            colour = UNKNOWN_COLOUR if c.warranty_start is None else NOT_COVERED_COLOUR
        words = kind_label(kind)
        words = html.escape(words[:1].upper() + words[1:])
        headline = f'<span style="color:{colour}; font-weight:bold;">{words}</span>'
        if c.until is not None:
            headline += " " + html.escape(_("until {date}").format(date=date_text(c.until)))
        self.coverage_headline.setText(f'<span style="font-size:12pt;">{headline}</span>')
        self.coverage_headline.setProperty("kind", kind.value)
        period = ""
        if c.warranty_start is not None and c.warranty_end is not None:
            period = f"{date_text(c.warranty_start)} – {date_text(c.warranty_end)}"
        elif c.warranty_start is not None:
            period = _("from {date}").format(date=date_text(c.warranty_start))
        contract = ""
        if c.contract_no:
            contract = c.contract_no
            if c.contract_end is not None:
                contract += " " + _("(until {date})").format(date=date_text(c.contract_end))
        texts = {
            "policy": c.policy_name,
            "warranty": period,
            "contract": contract,
            "free": items_text(c.free_items),
        }
        for key, label in self.coverage_values.items():
            label.setText(texts[key] or "—")
        self.coverage_text.setText(c.reason)

    def reload(self) -> None:
        if self.terminal is not None and not self.load(self.terminal.id):
            self.backRequested.emit()

    def show_terminal(self, terminal: TerminalRead) -> None:
        self.terminal = terminal
        t = terminal
        self.title_label.setText(t.serial_no)
        self.subtitle_label.setText(f"{t.brand} {t.model} · {status_label(t.status)}")
        swap = []
        if t.replaces_serial_no:
            swap.append(_("replaces {sn}").format(sn=t.replaces_serial_no))
        if t.replaced_by_serial_no:
            swap.append(_("replaced by {sn}").format(sn=t.replaced_by_serial_no))
        texts = {
            "model": f"{t.brand} {t.model} ({type_label(t.terminal_type)})",
            "status": status_label(t.status),
            "merchant": merchant_text(t),
            "purchase_date": date_text(t.purchase_date),
            "activation_date": date_text(t.activation_date),
            "deposit": deposit_text(t),
            "swap": "; ".join(swap),
            "updated_at": local_datetime(t.updated_at),
        }
        for key, label in self.values.items():
            text = texts[key] if key in texts else str(getattr(t, key) or "")
            label.setText(text or "—")
        self.timeline_model.reload()
        fit_columns(self.timeline_table)
        self.timeline_table.resizeRowsToContents()
        self.timeline_empty.setVisible(not self._events)
        self._update_steps()

    def _update_steps(self) -> None:
        """Show exactly the steps the terminal's status allows now."""
        t = self.terminal
        status = TerminalStatus(t.status) if t else None
        can = self.can_edit and t is not None
        bound = t is not None and t.merchant_id is not None
        self.edit_button.setVisible(can)
        self.bind_button.setVisible(can and status in BINDABLE and not bound)
        self.unbind_button.setVisible(can and bound and status in UNBINDABLE)
        self.swap_button.setVisible(can and bound)
        targets = set(allowed_targets(status)) if can and status is not None else set()
        for target, button in self.status_buttons.items():
            button.setVisible(target in targets)
        self.open_merchant_button.setVisible(bound)
        self.no_steps_label.setVisible(can and status == TerminalStatus.SCRAPPED)
        any_step = any(
            b.isVisibleTo(self)
            for b in (self.bind_button, self.unbind_button, self.swap_button, *self.status_buttons.values())
        )
        self.steps_label.setVisible(any_step)

    def visible_steps(self) -> list[str]:
        """The objectNames of the step buttons shown now, in order."""
        buttons = [self.bind_button, self.unbind_button, self.swap_button, *self.status_buttons.values()]
        return [b.objectName() for b in buttons if b.isVisibleTo(self)]

    # --- steps ----------------------------------------------------------------------------------

    def _done(self, changed: TerminalRead | None) -> None:
        if changed is not None and self.terminal is not None:
            self.reload()
            self.terminalChanged.emit(changed.id)

    def edit_terminal(self) -> None:
        if self.terminal is not None:
            dialog = TerminalDialog(self.ctx, self.terminal, parent=self)
            if dialog.exec():
                self._done(dialog.result_terminal)

    def bind(self) -> None:
        if self.terminal is not None:
            dialog = BindDialog(self.ctx, self.terminal, parent=self)
            if dialog.exec():
                self._done(dialog.result_terminal)

    def unbind(self) -> None:
        if self.terminal is not None:
            dialog = UnbindDialog(self.ctx, self.terminal, parent=self)
            if dialog.exec():
                self._done(dialog.result_terminal)

    def swap(self) -> None:
        if self.terminal is not None:
            dialog = SwapDialog(self.ctx, self.terminal, parent=self)
            if dialog.exec() and dialog.swapped is not None:
                self._done(dialog.swapped[0])

    def change_status(self, target: TerminalStatus) -> None:
        if self.terminal is not None:
            dialog = StatusDialog(self.ctx, self.terminal, target, parent=self)
            if dialog.exec():
                self._done(dialog.result_terminal)

    def print_certificate(self) -> None:
        """Preview the terminal's warranty certificate, to print or save it."""
        if self.terminal is None:
            return
        # Imported here: the documents pull in ReportLab, which the page needs only now.
        from app.services import warranty_documents

        try:
            data = warranty_documents.warranty_certificate(self.ctx, self.terminal.id)
        except AppError as exc:
            dialogs.warn(self, _("Cannot print the warranty certificate"), str(exc))
            return
        dialog = PdfPreviewDialog(
            data,
            f"{_('warranty-certificate')}-{self.terminal.serial_no}.pdf",
            _("Warranty certificate {sn}").format(sn=self.terminal.serial_no),
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exec()

    def open_merchant(self) -> None:
        if self.terminal is not None and self.terminal.merchant_id is not None:
            self.merchantOpened.emit(self.terminal.merchant_id)


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)
