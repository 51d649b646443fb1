"""Columns of a ticket's activity log (newest first) and of its follow-up calls; times in China time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from app.i18n import N_, _
from app.models.ticket import ActivityKind, FollowUpCallRead, TicketActivityRead
from app.rules.workcal import CHINA_TZ
from ui.shared.formatting import yes_no
from ui.shared.paged_table_model import Column, PagedTableModel

KIND_LABELS: dict[str, str] = {
    ActivityKind.CREATED: N_("opened"),
    ActivityKind.STATUS: N_("status"),
    ActivityKind.ASSIGNMENT: N_("assignment"),
    ActivityKind.COMMENT: N_("comment"),
    ActivityKind.WORK: N_("work"),
    ActivityKind.PRINT: N_("print"),
    ActivityKind.ATTACHMENT: N_("attachment"),
    ActivityKind.CALL: N_("follow-up call"),
}


def china_time(value: datetime | None) -> str:
    """Ticket times are China time whatever the PC's zone: the SLA runs on China's calendar."""
    return value.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") if value else ""


def activity_kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return _(label) if label else kind


WHEN, WHO, KIND, SUMMARY = range(4)

COLUMNS: list[Column[TicketActivityRead]] = [
    Column(lambda: _("When"), lambda a: china_time(a.at), lambda a: a.at.isoformat()),
    Column(lambda: _("Who"), lambda a: a.username or _("system")),
    Column(lambda: _("What"), lambda a: activity_kind_label(a.kind)),
    Column(lambda: _("Summary"), lambda a: a.summary),
]


def activity_table_model(
    fetch_page: Callable[[int, int], tuple[list[TicketActivityRead], int]],
) -> PagedTableModel[TicketActivityRead]:
    return PagedTableModel(COLUMNS, fetch_page)


def satisfaction_text(call: FollowUpCallRead) -> str:
    return f"{call.satisfaction}/5" if call.satisfaction is not None else ""


CALL_COLUMNS: list[Column[FollowUpCallRead]] = [
    Column(lambda: _("When"), lambda c: china_time(c.at), lambda c: c.at.isoformat()),
    Column(lambda: _("Who"), lambda c: c.username),
    Column(lambda: _("Reached"), lambda c: yes_no(c.reached)),
    Column(lambda: _("Satisfaction"), satisfaction_text),
    Column(lambda: _("Comments"), lambda c: c.comments),
]


def follow_up_table_model(
    fetch_page: Callable[[int, int], tuple[list[FollowUpCallRead], int]],
) -> PagedTableModel[FollowUpCallRead]:
    return PagedTableModel(CALL_COLUMNS, fetch_page)
