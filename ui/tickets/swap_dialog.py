"""Work on the terminal itself from a ticket: swap it for one from stock, or note a software update.

Both change the terminal records too, so they are dialogs of their own rather than fields of the
work panel: a swap asks for the replacement's SN (a scanner types it and presses Enter) and a
confirmation; a software update asks for the version now installed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QWidget

from app.context import Context
from app.i18n import _
from app.models.ticket import TicketRead
from app.services import tickets
from ui.shared import dialogs
from ui.shared.form_dialog import line_edit
from ui.tickets.step_dialog import TicketDialog


class SwapTerminalDialog(TicketDialog):
    """`result_ticket` is the ticket after the swap."""

    def __init__(self, ctx: Context, ticket: TicketRead, parent: QWidget | None = None) -> None:
        super().__init__(
            ticket,
            object_name="swapTerminalDialog",
            title=_("Swap terminal {sn}").format(sn=ticket.serial_no),
            note=_(
                "{merchant} gets a terminal from stock in place of {sn}; {sn} goes to repair. "
                "Both terminals' timelines record the swap."
            ).format(merchant=ticket.merchant_name, sn=ticket.serial_no),
            error_name="swapError",
            parent=parent,
        )
        self.ctx = ctx
        self.result_ticket: TicketRead | None = None
        self.serial_edit = line_edit("replacementSerialEdit", placeholder=_("Scan or type the SN of the replacement"))
        self.serial_edit.setMaxLength(40)
        form = QFormLayout()
        self.add_row(form, _("Replacement SN"), "new_serial_no", self.serial_edit)
        self.main_layout.addLayout(form)
        self.finish(_("Swap"), "swapOkButton")
        self.setMinimumWidth(460)
        self.serial_edit.setFocus()

    def save(self) -> None:
        ticket = self.ticket
        serial = self.serial_edit.text().strip()
        if serial and not dialogs.confirm(
            self,
            _("Swap terminal"),
            _("Replace {old} with {new} at {merchant}?").format(
                old=ticket.serial_no, new=serial.upper(), merchant=ticket.merchant_name
            ),
        ):
            return
        self.result_ticket = self.submit(
            lambda: tickets.record_swap(self.ctx, ticket.id, serial, expected_version=ticket.version)
        )


class SoftwareUpdateDialog(TicketDialog):
    """`result_ticket` is the ticket after the update is noted."""

    def __init__(self, ctx: Context, ticket: TicketRead, parent: QWidget | None = None) -> None:
        super().__init__(
            ticket,
            object_name="softwareUpdateDialog",
            title=_("Software update on {sn}").format(sn=ticket.serial_no),
            note=_("The version is noted on the ticket and on terminal {sn}.").format(sn=ticket.serial_no),
            error_name="softwareUpdateError",
            parent=parent,
        )
        self.ctx = ctx
        self.result_ticket: TicketRead | None = None
        self.version_edit = line_edit(
            "firmwareVersionEdit", ticket.new_firmware_version, placeholder=_("for example V3.6.0")
        )
        self.version_edit.setMaxLength(40)
        form = QFormLayout()
        self.add_row(form, _("Version now installed"), "firmware_version", self.version_edit)
        self.main_layout.addLayout(form)
        self.finish(_("Save"), "softwareUpdateOkButton")
        self.setMinimumWidth(400)
        self.version_edit.setFocus()

    def save(self) -> None:
        ticket = self.ticket
        version = self.version_edit.text()
        self.result_ticket = self.submit(
            lambda: tickets.record_software_update(self.ctx, ticket.id, version, expected_version=ticket.version)
        )
