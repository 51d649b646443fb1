"""Columns of the merchant list."""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import _
from app.models.merchant import MerchantRead, RiskLevel
from app.rules.merchants import merchant_status_label, risk_label
from ui.shared.paged_table_model import Column, PagedTableModel
from ui.shared.widgets import date_text

MERCHANT_NO, SHOP_NAME, LEGAL_NAME, REGION, CONTACT, MOBILE, RISK, STATUS, ONBOARDING = range(9)

_RISK_ORDER = {level: i for i, level in enumerate(RiskLevel)}


def region_text(merchant: MerchantRead) -> str:
    return " ".join(p for p in (merchant.province, merchant.city, merchant.district) if p)


COLUMNS: list[Column[MerchantRead]] = [
    Column(lambda: _("Merchant no."), lambda m: m.merchant_no),
    Column(lambda: _("Shop name"), lambda m: m.shop_name),
    Column(lambda: _("Legal name"), lambda m: m.legal_name),
    Column(lambda: _("Region"), region_text),
    Column(lambda: _("Contact person"), lambda m: m.contact_name),
    Column(lambda: _("Mobile"), lambda m: m.mobile),
    Column(
        lambda: _("Risk level"),
        lambda m: risk_label(m.risk_level),
        lambda m: _RISK_ORDER[RiskLevel(m.risk_level)],
    ),
    Column(lambda: _("Status"), lambda m: merchant_status_label(m.status)),
    Column(
        lambda: _("Onboarding date"),
        lambda m: date_text(m.onboarding_date),
        lambda m: m.onboarding_date.isoformat() if m.onboarding_date else "",
    ),
]


def merchant_table_model(
    fetch_page: Callable[[int, int], tuple[list[MerchantRead], int]],
) -> PagedTableModel[MerchantRead]:
    return PagedTableModel(COLUMNS, fetch_page)
