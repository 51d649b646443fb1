"""Every table, imported so that SQLModel.metadata knows them all."""

from app.models.audit import AuditEntry
from app.models.branch import Branch
from app.models.catalogue import Acquirer, DeviceModel, FirmwareRelease
from app.models.merchant import Merchant, MerchantContact
from app.models.meta import AppMeta, NumberSequence
from app.models.terminal import Terminal, TerminalEvent
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
    "FirmwareRelease",
    "Merchant",
    "MerchantContact",
    "NumberSequence",
    "ServiceContract",
    "Terminal",
    "TerminalEvent",
    "User",
    "WarrantyPolicy",
]
