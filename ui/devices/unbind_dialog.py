"""Take a terminal back from its merchant: into stock, or as returned."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QPlainTextEdit, QWidget

from app.context import Context
from app.i18n import _
from app.models.terminal import TerminalRead, TerminalStatus
from app.rules.terminals import UNBIND_TARGETS, status_label
from app.services import terminals
from ui.shared.form_dialog import FormDialog


class UnbindDialog(FormDialog):
    def __init__(self, ctx: Context, terminal: TerminalRead, parent: QWidget | None = None) -> None:
        super().__init__(
            object_name="UnbindDialog",
            title=_("Unbind terminal {sn}").format(sn=terminal.serial_no),
            note=_("Take the terminal back from {merchant}.").format(
                merchant=f"{terminal.merchant_name} ({terminal.merchant_no})"
            ),
            parent=parent,
        )
        self.ctx = ctx
        self.terminal = terminal
        self.result_terminal: TerminalRead | None = None
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(self.reason_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.to_status_combo = QComboBox()
        self.to_status_combo.setObjectName("toStatusCombo")
        for status in sorted(UNBIND_TARGETS, key=list(TerminalStatus).index):
            self.to_status_combo.addItem(status_label(status), status.value)
        form = QFormLayout()
        self.add_row(form, _("Reason"), "reason", self.reason_edit)
        self.add_row(form, _("The terminal goes to"), "to_status", self.to_status_combo)
        self.main_layout.addLayout(form)
        self.finish(_("Unbind"))
        self.setMinimumWidth(460)
        self.reason_edit.setFocus()

    def save(self) -> None:
        terminal = self.terminal
        reason = self.reason_edit.toPlainText()
        to_status = TerminalStatus(self.to_status_combo.currentData())
        self.result_terminal = self.submit(
            lambda: terminals.unbind_terminal(
                self.ctx,
                terminal.id,
                expected_version=terminal.version,
                reason=reason,
                to_status=to_status,
            )
        )
