"""One status change the transition table allows now, with its reason."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QPlainTextEdit, QWidget

from app.context import Context
from app.i18n import _
from app.models.terminal import TerminalRead, TerminalStatus
from app.rules.terminals import status_label
from app.services import terminals
from ui.shared.form_dialog import FormDialog


class StatusDialog(FormDialog):
    def __init__(
        self,
        ctx: Context,
        terminal: TerminalRead,
        target: TerminalStatus,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            object_name="StatusDialog",
            title=_("Terminal {sn}: {status}").format(
                sn=terminal.serial_no, status=status_label(target)
            ),
            note=_("The terminal changes from {old} to {new}.").format(
                old=status_label(terminal.status), new=status_label(target)
            ),
            parent=parent,
        )
        self.ctx = ctx
        self.terminal = terminal
        self.target = target
        self.result_terminal: TerminalRead | None = None
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(self.reason_edit.fontMetrics().lineSpacing() * 4 + 12)
        form = QFormLayout()
        self.add_row(form, _("Reason"), "reason", self.reason_edit)
        self.main_layout.addLayout(form)
        self.finish(_("Change status"))
        self.setMinimumWidth(440)
        self.reason_edit.setFocus()

    def save(self) -> None:
        terminal, target, reason = self.terminal, self.target, self.reason_edit.toPlainText()
        self.result_terminal = self.submit(
            lambda: terminals.change_terminal_status(
                self.ctx, terminal.id, target, expected_version=terminal.version, reason=reason
            )
        )
