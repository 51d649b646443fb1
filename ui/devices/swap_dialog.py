"""Replace a merchant's terminal with one from stock; both timelines record the swap."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QPlainTextEdit, QWidget

from app.context import Context
from app.i18n import _
from app.models.terminal import TerminalRead, TerminalStatus
from app.rules.terminals import status_label
from app.services import terminals
from ui.shared.form_dialog import FormDialog, line_edit

# Where a swapped-out terminal may go (swap_terminal checks the same).
OLD_TERMINAL_GOES = (TerminalStatus.IN_REPAIR, TerminalStatus.IN_STOCK, TerminalStatus.RETURNED)


class SwapDialog(FormDialog):
    def __init__(self, ctx: Context, terminal: TerminalRead, parent: QWidget | None = None) -> None:
        super().__init__(
            object_name="SwapDialog",
            title=_("Swap terminal {sn}").format(sn=terminal.serial_no),
            note=_("{merchant} gets a terminal from stock in place of {sn}.").format(
                merchant=f"{terminal.merchant_name} ({terminal.merchant_no})", sn=terminal.serial_no
            ),
            parent=parent,
        )
        self.ctx = ctx
        self.terminal = terminal
        self.swapped: tuple[TerminalRead, TerminalRead] | None = None
        self.new_serial_edit = line_edit(
            "newSerialEdit", placeholder=_("Scan or type the SN of the replacement")
        )
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(self.reason_edit.fontMetrics().lineSpacing() * 3 + 12)
        self.old_status_combo = QComboBox()
        self.old_status_combo.setObjectName("oldStatusCombo")
        for status in OLD_TERMINAL_GOES:
            self.old_status_combo.addItem(status_label(status), status.value)
        form = QFormLayout()
        self.add_row(form, _("Replacement SN"), "new_serial_no", self.new_serial_edit)
        self.add_row(form, _("Reason"), "reason", self.reason_edit)
        self.add_row(
            form, _("{sn} goes to").format(sn=terminal.serial_no), "old_to_status", self.old_status_combo
        )
        self.main_layout.addLayout(form)
        self.finish(_("Swap"))
        self.setMinimumWidth(480)
        self.new_serial_edit.setFocus()

    def save(self) -> None:
        terminal = self.terminal
        serial, reason = self.new_serial_edit.text(), self.reason_edit.toPlainText()
        old_to = TerminalStatus(self.old_status_combo.currentData())
        self.swapped = self.submit(
            lambda: terminals.swap_terminal(
                self.ctx,
                terminal.id,
                serial,
                expected_version=terminal.version,
                reason=reason,
                old_to_status=old_to,
            )
        )
