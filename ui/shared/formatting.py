"""How values look on screen: local times, yes/no."""

from __future__ import annotations

from datetime import datetime

from app.i18n import _


def local_datetime(value: datetime | None) -> str:
    """A stored UTC time in the PC's local time zone."""
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


def local_datetime_seconds(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S") if value else ""


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")
