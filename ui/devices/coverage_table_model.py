"""Columns of a terminal's coverage history: its warranty and every contract naming it."""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import _
from app.models.warranty import CoverageKind, CoveragePeriod
from app.rules.coverage import items_text
from ui.shared.paged_table_model import Column, PagedTableModel
from ui.shared.widgets import date_text


def period_kind_label(kind: CoverageKind | str) -> str:
    """What a line of the history is: the warranty or a service contract."""
    return _("warranty") if CoverageKind(kind) == CoverageKind.WARRANTY else _("service contract")


KIND, NAME, START, END, STATUS, FREE = range(6)

COLUMNS: list[Column[CoveragePeriod]] = [
    Column(lambda: _("Kind"), lambda p: period_kind_label(p.kind)),
    Column(lambda: _("Policy or contract"), lambda p: p.name),
    Column(lambda: _("From"), lambda p: date_text(p.start), lambda p: date_text(p.start)),
    Column(lambda: _("To"), lambda p: date_text(p.end), lambda p: date_text(p.end)),
    Column(lambda: _("Status"), lambda p: p.status),
    Column(lambda: _("Free of charge"), lambda p: items_text(p.free_items)),
]


def coverage_table_model(
    fetch_page: Callable[[int, int], tuple[list[CoveragePeriod], int]],
) -> PagedTableModel[CoveragePeriod]:
    return PagedTableModel(COLUMNS, fetch_page)
