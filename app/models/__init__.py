"""Every table, imported so that SQLModel.metadata knows them all."""

from app.models.audit import AuditEntry
from app.models.branch import Branch
from app.models.merchant import Merchant
from app.models.meta import AppMeta
from app.models.terminal import Terminal
from app.models.user import User

__all__ = ["AppMeta", "AuditEntry", "Branch", "Merchant", "Terminal", "User"]
