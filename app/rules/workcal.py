"""The mainland China working calendar: working days, working hours and time arithmetic over them.

chinesecalendar knows the State Council's holidays and make-up working days (调休) only for the years
it ships data for. Outside them the calendar falls back to Monday-Friday, and a supervisor's local
exceptions win over everything; ``unknown_years`` tells the screen when the fallback was used.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from types import MappingProxyType

import chinese_calendar

# China has one time zone and no DST, so a fixed offset is exact.
CHINA_TZ = timezone(timedelta(hours=8))
WORK_PERIODS: tuple[tuple[time, time], ...] = (
    (time(9, 0), time(12, 0)),
    (time(13, 0), time(18, 0)),
)
# chinese_calendar validates a date's year against its holiday table, so take the bounds from there
# (and keep both tables in view in case a release ever ships them with different ranges).
_HOLIDAYS, _WORKDAYS = chinese_calendar.holidays, chinese_calendar.workdays
FIRST_KNOWN_YEAR: int = max(min(_HOLIDAYS).year, min(_WORKDAYS).year)
LAST_KNOWN_YEAR: int = min(max(_HOLIDAYS).year, max(_WORKDAYS).year)

_ONE_DAY = timedelta(days=1)
_ONE_HOUR = timedelta(hours=1)


def _aware(moment: datetime, name: str) -> datetime:
    """Return ``moment`` in China time; naive datetimes are ambiguous and refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return moment.astimezone(CHINA_TZ)


def _china_date(day: date) -> date:
    """A plain date as is; a datetime (a date subclass) as its calendar date in China."""
    if isinstance(day, datetime):
        return _aware(day, "day").date()
    return day


def _periods(day: date) -> Iterator[tuple[datetime, datetime]]:
    """The working periods of ``day`` as aware China-time datetimes, in order."""
    for begin, end in WORK_PERIODS:
        yield datetime.combine(day, begin, CHINA_TZ), datetime.combine(day, end, CHINA_TZ)


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days and hours in mainland China, with local exceptions entered by a supervisor."""

    # True = working day, False = day off; they win over the official calendar and the weekend.
    exceptions: Mapping[date, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Snapshot: a frozen calendar must not change when the caller later edits its dict.
        object.__setattr__(self, "exceptions", MappingProxyType(dict(self.exceptions)))

    def __hash__(self) -> int:
        # Hashable despite the mapping field, so callers may cache results per calendar.
        return hash(frozenset(self.exceptions.items()))

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day: exception, then official calendar, then Mon-Fri."""
        day = _china_date(day)
        override = self.exceptions.get(day)
        if override is not None:
            return override
        if self.is_official(day):
            try:
                return bool(chinese_calendar.is_workday(day))
            except NotImplementedError:
                pass  # Never crash over a gap in the data: fall through to the weekend rule.
        return day.weekday() < 5

    def is_official(self, day: date) -> bool:
        """Whether chinesecalendar knows the holidays of ``day``'s year."""
        return FIRST_KNOWN_YEAR <= _china_date(day).year <= LAST_KNOWN_YEAR

    def unknown_years(self, start: date, end: date) -> list[int]:
        """Years from ``start`` to ``end`` (inclusive) for which only the weekend rule applies."""
        first, last = _china_date(start).year, _china_date(end).year
        before = range(first, min(last, FIRST_KNOWN_YEAR - 1) + 1)
        after = range(max(first, LAST_KNOWN_YEAR + 1), last + 1)
        return [*before, *after]

    def add_hours(self, start: datetime, hours: float, *, working_only: bool) -> datetime:
        """The moment ``hours`` after ``start`` (in UTC), counting only working time if asked.

        Working time starts at the next working period when ``start`` lies outside one, and a result
        that falls exactly on a period's end stays there rather than moving to the next period.
        """
        local = _aware(start, "start")
        if not math.isfinite(hours) or hours < 0:
            raise ValueError("hours must be a finite number >= 0")
        if hours == 0:
            return local.astimezone(UTC)
        remaining = timedelta(hours=hours)
        if not working_only:
            return (local + remaining).astimezone(UTC)

        day, cursor = local.date(), local
        while True:
            if self.is_workday(day):
                for begin, end in _periods(day):
                    if cursor >= end:
                        continue
                    clock_on = max(begin, cursor)
                    available = end - clock_on
                    # "<=" keeps a result that ends on a period's end inside that period.
                    if remaining <= available:
                        return (clock_on + remaining).astimezone(UTC)
                    remaining -= available
            day += _ONE_DAY
            cursor = datetime.combine(day, time(0), CHINA_TZ)

    def hours_between(self, start: datetime, end: datetime, *, working_only: bool) -> float:
        """Hours from ``start`` to ``end`` (0.0 if not later), working time only if asked."""
        first, last = _aware(start, "start"), _aware(end, "end")
        if last <= first:
            return 0.0
        if not working_only:
            return (last - first) / _ONE_HOUR
        total = timedelta(0)
        day = first.date()
        while day <= last.date():
            if self.is_workday(day):
                for begin, finish in _periods(day):
                    overlap = min(finish, last) - max(begin, first)
                    if overlap > timedelta(0):
                        total += overlap
            day += _ONE_DAY
        return total / _ONE_HOUR
