"""The China working calendar: holidays, make-up days, unknown years and working-hour arithmetic."""

from __future__ import annotations

import math
import time as stopwatch
from datetime import UTC, date, datetime, timedelta, timezone

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules.workcal import (
    CHINA_TZ,
    FIRST_KNOWN_YEAR,
    LAST_KNOWN_YEAR,
    WORK_PERIODS,
    WorkingCalendar,
)

CAL = WorkingCalendar()
PROPERTY = settings(max_examples=200, deadline=None)


def cn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment on the wall clock of a service center in China."""
    return datetime(year, month, day, hour, minute, tzinfo=CHINA_TZ)


def add(start: datetime, hours: float, cal: WorkingCalendar = CAL) -> datetime:
    return cal.add_hours(start, hours, working_only=True)


def between(start: datetime, end: datetime, cal: WorkingCalendar = CAL) -> float:
    return cal.hours_between(start, end, working_only=True)


# --- the calendar data -------------------------------------------------------------------------


def test_known_years_come_from_chinese_calendar() -> None:
    assert FIRST_KNOWN_YEAR <= 2026 <= LAST_KNOWN_YEAR
    chinese_calendar.is_workday(date(LAST_KNOWN_YEAR, 12, 31))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(LAST_KNOWN_YEAR + 1, 1, 1))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(FIRST_KNOWN_YEAR - 1, 12, 31))


def test_work_periods_make_an_eight_hour_day() -> None:
    day = date(2026, 11, 17)
    assert sum(
        (datetime.combine(day, end) - datetime.combine(day, begin)) / timedelta(hours=1)
        for begin, end in WORK_PERIODS
    ) == 8


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 17), True),  # an ordinary Tuesday
        (date(2026, 11, 21), False),  # an ordinary Saturday
        (date(2026, 10, 1), False),  # National Day
        (date(2026, 10, 7), False),  # last day of the 2026 National Day holiday
        (date(2026, 10, 8), True),  # 2026's holiday ends on the 7th, unlike 2025's
        (date(2026, 10, 10), True),  # make-up Saturday after National Day
        (date(2026, 9, 20), True),  # make-up Sunday before it
        (date(2026, 9, 25), False),  # Mid-Autumn Festival, a Friday
        (date(2025, 10, 8), False),  # 2025: National Day and Mid-Autumn together, 1-8 October
        (date(2025, 9, 28), True),  # make-up Sunday
        (date(2025, 10, 11), True),  # make-up Saturday
        (date(2027, 1, 1), True),  # unknown year: weekends only, so New Year's Day (a Friday) works
        (date(2027, 1, 2), False),
        (date(2003, 5, 1), True),  # before the data, too
    ],
)
def test_is_workday(day: date, working: bool) -> None:
    assert CAL.is_workday(day) is working


def test_is_official_and_unknown_years() -> None:
    assert CAL.is_official(date(2026, 12, 31))
    assert not CAL.is_official(date(2027, 1, 1))
    assert CAL.unknown_years(date(2026, 12, 31), date(2027, 1, 4)) == [2027]
    assert CAL.unknown_years(date(2025, 1, 1), date(2026, 12, 31)) == []
    assert CAL.unknown_years(date(2026, 6, 1), date(2029, 3, 1)) == [2027, 2028, 2029]
    assert CAL.unknown_years(date(2002, 1, 1), date(2005, 1, 1)) == [2002, 2003]
    assert CAL.unknown_years(date(2027, 1, 1), date(2026, 1, 1)) == []


def test_unknown_years_reads_a_datetime_in_china_time() -> None:
    # 2027-01-01 07:00 in China is still 2026 in UTC: the year that matters is China's.
    deadline = datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    assert CAL.unknown_years(deadline, deadline) == [2027]


# --- working-hour arithmetic: examples -----------------------------------------------------------


def test_normal_weekday() -> None:
    start = cn(2026, 11, 17, 9, 30)  # Tuesday
    end = add(start, 2)
    assert end == cn(2026, 11, 17, 11, 30)
    assert end.tzinfo is UTC
    assert between(start, end) == 2


def test_lunch_break_is_not_working_time() -> None:
    assert add(cn(2026, 11, 17, 11), 2) == cn(2026, 11, 17, 14)
    assert add(cn(2026, 11, 17, 12, 30), 1) == cn(2026, 11, 17, 14)
    assert between(cn(2026, 11, 17, 11), cn(2026, 11, 17, 14)) == 2
    assert between(cn(2026, 11, 17, 12), cn(2026, 11, 17, 13)) == 0


def test_result_on_a_period_end_stays_there() -> None:
    assert add(cn(2026, 11, 20, 17), 1) == cn(2026, 11, 20, 18)  # Friday, not Monday 09:00
    assert add(cn(2026, 11, 17, 11), 1) == cn(2026, 11, 17, 12)  # not 13:00


def test_friday_evening_to_monday() -> None:
    assert add(cn(2026, 11, 20, 17), 2) == cn(2026, 11, 23, 10)
    assert add(cn(2026, 11, 20, 19), 1) == cn(2026, 11, 23, 10)  # the clock starts on Monday
    assert between(cn(2026, 11, 20, 17), cn(2026, 11, 23, 10)) == 2
    assert between(cn(2026, 11, 20, 19), cn(2026, 11, 23, 8)) == 0


def test_public_holiday_is_skipped() -> None:
    # 2026: Wednesday 30 September works, 1-7 October is National Day, Thursday the 8th works.
    assert add(cn(2026, 9, 30, 17), 2) == cn(2026, 10, 8, 10)
    assert between(cn(2026, 9, 30, 17), cn(2026, 10, 8, 10)) == 2


def test_make_up_saturday_counts() -> None:
    # 2025: 1-8 October off, then Thursday 9th, Friday 10th and the make-up Saturday 11th work.
    assert add(cn(2025, 10, 10, 17), 2) == cn(2025, 10, 11, 10)
    start = cn(2025, 9, 30, 17)  # 1 hour on the 30th, 8 on the 9th, 8 on the 10th
    assert add(start, 17) == cn(2025, 10, 10, 18)
    assert add(start, 18) == cn(2025, 10, 11, 10)
    assert between(start, cn(2025, 10, 12, 12)) == 25  # Sunday the 12th is off again


def test_make_up_sunday_counts() -> None:
    # Saturday the 27th is off, Sunday the 28th works.
    assert add(cn(2025, 9, 26, 17), 2) == cn(2025, 9, 28, 10)


def test_deadline_crossing_into_an_unknown_year_falls_back_to_weekends() -> None:
    start = cn(2026, 12, 31, 17)  # Thursday, last day chinesecalendar knows
    # 1 h on the 31st, 8 h on Friday 1 January (no data, so a plain weekday), 1 h on Monday.
    end = add(start, 10)
    assert end == cn(2027, 1, 4, 10)
    assert between(start, end) == 10
    assert CAL.unknown_years(start.date(), end.astimezone(CHINA_TZ).date()) == [2027]


def test_supervisor_marks_new_year_2027_as_day_off() -> None:
    cal = WorkingCalendar({date(2027, 1, 1): False})
    assert not cal.is_workday(date(2027, 1, 1))
    assert add(cn(2026, 12, 31, 17), 2, cal) == cn(2027, 1, 4, 10)
    assert between(cn(2026, 12, 31, 17), cn(2027, 1, 4, 10), cal) == 2


def test_supervisor_marks_a_saturday_as_working_day() -> None:
    cal = WorkingCalendar({date(2027, 1, 9): True})
    assert cal.is_workday(date(2027, 1, 9))
    assert add(cn(2027, 1, 8, 17), 2, cal) == cn(2027, 1, 9, 10)


def test_exceptions_win_over_the_official_calendar() -> None:
    cal = WorkingCalendar({date(2026, 10, 1): True, date(2026, 10, 8): False})
    assert cal.is_workday(date(2026, 10, 1))
    assert not cal.is_workday(date(2026, 10, 8))
    assert cal.is_official(date(2026, 10, 1))


def test_calendar_keeps_its_own_copy_of_the_exceptions() -> None:
    days = {date(2027, 1, 1): False}
    cal = WorkingCalendar(days)
    days[date(2027, 1, 1)] = True
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal == WorkingCalendar({date(2027, 1, 1): False})
    assert hash(cal) == hash(WorkingCalendar({date(2027, 1, 1): False}))


def test_other_time_zones_are_read_in_china_time() -> None:
    start = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # Friday 09:00 in China
    assert add(start, 9) == datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in China
    # Friday evening in New York is already Saturday in China: not a working day.
    assert not CAL.is_workday(datetime(2026, 11, 20, 20, 0, tzinfo=timezone(timedelta(hours=-5))))


def test_zero_hours_returns_start_unchanged() -> None:
    saturday = cn(2026, 11, 21, 15)
    for working_only in (True, False):
        result = CAL.add_hours(saturday, 0, working_only=working_only)
        assert result == saturday
        assert result.tzinfo is UTC


def test_plain_hours_ignore_the_calendar() -> None:
    start = cn(2026, 11, 20, 17)
    assert CAL.add_hours(start, 24, working_only=False) == cn(2026, 11, 21, 17)
    assert CAL.hours_between(start, cn(2026, 11, 21, 17), working_only=False) == 24
    assert CAL.hours_between(cn(2026, 11, 21, 17), start, working_only=False) == 0.0


@pytest.mark.parametrize("hours", [-1.0, -1e-9, math.nan, math.inf])
def test_bad_hours_are_rejected(hours: float) -> None:
    with pytest.raises(ValueError):
        CAL.add_hours(cn(2026, 11, 17, 10), hours, working_only=True)


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2026, 11, 17, 10)
    aware = cn(2026, 11, 17, 10)
    for working_only in (True, False):
        with pytest.raises(ValueError):
            CAL.add_hours(naive, 1, working_only=working_only)
        with pytest.raises(ValueError):
            CAL.hours_between(naive, aware, working_only=working_only)
        with pytest.raises(ValueError):
            CAL.hours_between(aware, naive, working_only=working_only)
    with pytest.raises(ValueError):
        CAL.is_workday(naive)


def test_large_hours_are_fast() -> None:
    start = cn(2026, 11, 22, 20)
    began = stopwatch.perf_counter()
    end = add(start, 10_000)  # about five working years, mostly in unknown years
    assert stopwatch.perf_counter() - began < 2
    assert between(start, end) == pytest.approx(10_000, abs=1e-6)
    assert CAL.unknown_years(start, end) == list(range(2027, end.astimezone(CHINA_TZ).year + 1))


# --- working-hour arithmetic: properties ---------------------------------------------------------

ZONES = st.sampled_from(
    [UTC, CHINA_TZ, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30))]
)
starts = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=ZONES
)
# Whole and half hours hit period edges; arbitrary floats hit everything else.
hours_st = st.one_of(
    st.integers(0, 400).map(float),
    st.integers(0, 800).map(lambda n: n / 2),
    st.floats(0, 2000, allow_nan=False, allow_infinity=False),
)
calendars = st.builds(
    WorkingCalendar,
    st.dictionaries(st.dates(date(2025, 9, 1), date(2027, 2, 28)), st.booleans(), max_size=6),
)


def in_working_time(cal: WorkingCalendar, moment: datetime) -> bool:
    local = moment.astimezone(CHINA_TZ)
    if not cal.is_workday(local.date()):
        return False
    clock = local.time()
    # A result may sit exactly on a period's end (see test_result_on_a_period_end_stays_there).
    return any(begin <= clock <= end for begin, end in WORK_PERIODS)


@PROPERTY
@given(cal=calendars, start=starts, hours=hours_st)
def test_add_hours_never_goes_back(cal: WorkingCalendar, start: datetime, hours: float) -> None:
    assert add(start, hours, cal) >= start


@PROPERTY
@given(cal=calendars, start=starts, a=hours_st, b=hours_st)
def test_add_hours_is_monotonic(cal: WorkingCalendar, start: datetime, a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert add(start, low, cal) <= add(start, high, cal)


@PROPERTY
@given(cal=calendars, start=starts, hours=hours_st)
def test_hours_between_inverts_add_hours(
    cal: WorkingCalendar, start: datetime, hours: float
) -> None:
    assert between(start, add(start, hours, cal), cal) == pytest.approx(hours, abs=1e-6)


@PROPERTY
@given(cal=calendars, start=starts, hours=hours_st.filter(lambda h: h > 0))
def test_working_result_lies_in_working_time(
    cal: WorkingCalendar, start: datetime, hours: float
) -> None:
    assert in_working_time(cal, add(start, hours, cal))


@PROPERTY
@given(cal=calendars, start=starts, hours=hours_st)
def test_plain_mode_is_timedelta_addition(
    cal: WorkingCalendar, start: datetime, hours: float
) -> None:
    result = cal.add_hours(start, hours, working_only=False)
    assert result == start + timedelta(hours=hours)
    assert result.tzinfo is UTC


@PROPERTY
@given(cal=calendars, start=starts, end=starts)
def test_working_hours_never_exceed_elapsed_hours(
    cal: WorkingCalendar, start: datetime, end: datetime
) -> None:
    working = cal.hours_between(start, end, working_only=True)
    elapsed = cal.hours_between(start, end, working_only=False)
    assert 0 <= working <= elapsed
    assert elapsed == max(0.0, (end - start) / timedelta(hours=1))
