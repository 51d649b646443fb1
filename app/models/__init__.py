"""Every table, imported so that SQLModel.metadata knows them all."""

from app.models.audit import AuditEntry
from app.models.branch import Branch
from app.models.catalogue import Acquirer, DeviceModel, FirmwareRelease
from app.models.merchant import Merchant, MerchantContact
from app.models.meta import AppMeta
from app.models.terminal import Terminal, TerminalEvent
from app.models.user import User

__all__ = [
    "Acquirer",
    "AppMeta",
    "AuditEntry",
    "Branch",
    "DeviceModel",
    "FirmwareRelease",
    "Merchant",
    "MerchantContact",
    "Terminal",
    "TerminalEvent",
    "User",
]
