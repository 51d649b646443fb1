"""How a merchant's risk level and status are named on screen and in documents."""

from __future__ import annotations

from app.i18n import N_, NC_, _, pgettext
from app.models.merchant import MerchantStatus, RiskLevel

RISK_LABELS: dict[RiskLevel, str] = {
    RiskLevel.LOW: N_("low risk"),
    RiskLevel.MEDIUM: N_("medium risk"),
    RiskLevel.HIGH: N_("high risk"),
}
# "suspended" and "active" mean something else for terminals and user accounts.
MERCHANT_STATUS_LABELS: dict[MerchantStatus, tuple[str, str]] = {
    MerchantStatus.ACTIVE: NC_("merchant", "active"),
    MerchantStatus.SUSPENDED: NC_("merchant", "suspended"),
    MerchantStatus.CLOSED: NC_("merchant", "closed"),
}


def risk_label(level: RiskLevel | str) -> str:
    return _(RISK_LABELS[RiskLevel(level)])


def merchant_status_label(status: MerchantStatus | str) -> str:
    return pgettext(*MERCHANT_STATUS_LABELS[MerchantStatus(status)])
