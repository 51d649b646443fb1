"""Columns of a terminal's timeline: every event, newest first."""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import N_, _
from app.models.terminal import TerminalEventKind, TerminalEventRead
from ui.shared.formatting import local_datetime
from ui.shared.paged_table_model import Column, PagedTableModel

K = TerminalEventKind
KIND_LABELS: dict[str, str] = {
    K.CREATED: N_("registered"),
    K.EDITED: N_("edited"),
    K.BOUND: N_("bound"),
    K.UNBOUND: N_("unbound"),
    K.SWAPPED: N_("swapped"),
    K.FIRMWARE_CHANGED: N_("firmware"),
    K.STATUS_CHANGED: N_("status"),
    K.REPAIRED: N_("repaired"),
    K.INSPECTED: N_("inspected"),
}


def kind_label(kind: str) -> str:
    """The event's kind in words; kinds added by later areas show as they are stored."""
    label = KIND_LABELS.get(kind)
    return _(label) if label else kind


TIME, KIND, SUMMARY, USER = range(4)

COLUMNS: list[Column[TerminalEventRead]] = [
    Column(lambda: _("Time"), lambda e: local_datetime(e.at), lambda e: e.at.isoformat()),
    Column(lambda: _("Event"), lambda e: kind_label(e.kind)),
    Column(lambda: _("What happened"), lambda e: e.summary),
    Column(lambda: _("By"), lambda e: e.username or _("system")),
]


def timeline_table_model(
    fetch_page: Callable[[int, int], tuple[list[TerminalEventRead], int]],
) -> PagedTableModel[TerminalEventRead]:
    return PagedTableModel(COLUMNS, fetch_page)
