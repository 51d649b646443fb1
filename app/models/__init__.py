"""Every table, imported so that SQLModel.metadata knows them all."""

from app.models.audit import AuditEntry
from app.models.branch import Branch
from app.models.catalogue import Acquirer, DeviceModel, FirmwareRelease
from app.models.merchant import Merchant, MerchantContact
from app.models.meta import AppMeta, NumberSequence
from app.models.terminal import Terminal, TerminalEvent
from app.models.ticket import (
    FaultCategory,
    FollowUpCall,
    SlaDefault,
    Ticket,
    TicketActivity,
    TicketAttachment,
    TicketPart,
)
from app.models.user import User
from app.models.warranty import (
    CalendarException,
    ContractTerminal,
    ServiceContract,
    WarrantyPolicy,
)

__all__ = [
    "Acquirer",
    "AppMeta",
    "AuditEntry",
    "Branch",
    "CalendarException",
    "ContractTerminal",
    "DeviceModel",
    "FaultCategory",
    "FirmwareRelease",
    "FollowUpCall",
    "Merchant",
    "MerchantContact",
    "NumberSequence",
    "ServiceContract",
    "SlaDefault",
    "Terminal",
    "TerminalEvent",
    "Ticket",
    "TicketActivity",
    "TicketAttachment",
    "TicketPart",
    "User",
    "WarrantyPolicy",
]
