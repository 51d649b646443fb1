"""The coverage rule: edge days, leap years, exclusions, contracts, and properties over random input."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.models.warranty import (
    ContractStatus,
    CostItem,
    CoverageKind,
    ExclusionCause,
    WarrantyStart,
)
from app.rules.coverage import (
    ContractTerms,
    PolicyTerms,
    add_months,
    decide,
    effective_status,
    warranty_end,
    warranty_start,
)

PARTS_AND_LABOUR = frozenset({CostItem.PARTS, CostItem.LABOUR})
USUAL = frozenset({ExclusionCause.LIQUID_DAMAGE, ExclusionCause.PHYSICAL_DAMAGE})


def policy(months: int = 12, start: WarrantyStart = WarrantyStart.PURCHASE, **kw: object) -> PolicyTerms:
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "name": "标准保修",
        "months": months,
        "start_event": start,
        "free_items": PARTS_AND_LABOUR,
        "exclusions": USUAL,
    } | kw
    return PolicyTerms(**fields)  # type: ignore[arg-type]


def contract(start: date, end: date, **kw: object) -> ContractTerms:
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "number": "HT-SH01-20260101-001",
        "start": start,
        "end": end,
        "status": ContractStatus.ACTIVE,
        "free_items": frozenset(CostItem),
    } | kw
    return ContractTerms(**fields)  # type: ignore[arg-type]


# --- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2025, 3, 15), 12, date(2026, 3, 14)),
        (date(2025, 1, 1), 12, date(2025, 12, 31)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # leap day: no 29 Feb next year, end of month
        (date(2024, 2, 29), 48, date(2028, 2, 28)),  # four years on, 29 Feb exists: day before
        (date(2023, 2, 28), 12, date(2024, 2, 27)),  # ...and a leap year does not add a day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # short month: to its last day
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 12, 1), 1, date(2025, 12, 31)),
        (date(2025, 11, 22), 120, date(2035, 11, 21)),
    ],
)
def test_warranty_end_is_the_last_covered_day(start: date, months: int, end: date) -> None:
    assert warranty_end(start, months) == end


def test_a_warranty_of_no_months_covers_nothing() -> None:
    assert warranty_end(date(2025, 1, 1), 0) is None
    decision = decide(date(2025, 1, 1), purchase=date(2025, 1, 1), activation=None, policy=policy(0))
    assert decision.kind == CoverageKind.NONE and "gives no warranty" in decision.reason


def test_last_day_is_covered_and_the_next_is_not() -> None:
    p = policy(12)
    last = decide(date(2026, 3, 14), purchase=date(2025, 3, 15), activation=None, policy=p)
    after = decide(date(2026, 3, 15), purchase=date(2025, 3, 15), activation=None, policy=p)
    first = decide(date(2025, 3, 15), purchase=date(2025, 3, 15), activation=None, policy=p)
    before = decide(date(2025, 3, 14), purchase=date(2025, 3, 15), activation=None, policy=p)
    assert (first.kind, last.kind) == (CoverageKind.WARRANTY, CoverageKind.WARRANTY)
    assert last.until == date(2026, 3, 14) and last.free_items == PARTS_AND_LABOUR
    assert after.kind == CoverageKind.NONE and "ended on 2026-03-14" in after.reason
    assert before.kind == CoverageKind.NONE and "starts on 2025-03-15" in before.reason


def test_leap_day_purchase_is_covered_through_the_end_of_february() -> None:
    p = policy(12)
    assert decide(date(2025, 2, 28), purchase=date(2024, 2, 29), activation=None, policy=p).kind == (
        CoverageKind.WARRANTY
    )
    assert decide(date(2025, 3, 1), purchase=date(2024, 2, 29), activation=None, policy=p).kind == (
        CoverageKind.NONE
    )


def test_activation_start_falls_back_to_purchase() -> None:
    assert warranty_start(date(2025, 1, 1), date(2025, 2, 1), WarrantyStart.ACTIVATION) == date(2025, 2, 1)
    assert warranty_start(date(2025, 1, 1), None, WarrantyStart.ACTIVATION) == date(2025, 1, 1)
    assert warranty_start(date(2025, 1, 1), date(2025, 2, 1), WarrantyStart.PURCHASE) == date(2025, 1, 1)
    p = policy(12, WarrantyStart.ACTIVATION)
    decision = decide(date(2026, 1, 15), purchase=date(2025, 1, 1), activation=date(2025, 2, 1), policy=p)
    assert decision.kind == CoverageKind.WARRANTY and decision.until == date(2026, 1, 31)


def test_missing_facts_are_named() -> None:
    assert "No warranty policy" in decide(date(2025, 1, 1), purchase=None, activation=None, policy=None).reason
    assert "purchase date is not recorded" in decide(
        date(2025, 1, 1), purchase=None, activation=None, policy=policy()
    ).reason
    assert "Neither the activation date" in decide(
        date(2025, 1, 1), purchase=None, activation=None, policy=policy(start=WarrantyStart.ACTIVATION)
    ).reason


# --- exclusions and contracts ---------------------------------------------------------------------


def test_an_excluded_cause_makes_the_repair_chargeable_inside_the_warranty() -> None:
    decision = decide(
        date(2025, 6, 1),
        purchase=date(2025, 1, 1),
        activation=None,
        policy=policy(12),
        exclusion=ExclusionCause.LIQUID_DAMAGE,
    )
    assert decision.kind == CoverageKind.NONE and decision.free_items == frozenset()
    assert decision.reason.startswith("Chargeable:") and "liquid damage" in decision.reason
    assert decision.warranty_end == date(2025, 12, 31)


def test_a_cause_the_policy_does_not_exclude_keeps_the_cover() -> None:
    decision = decide(
        date(2025, 6, 1),
        purchase=date(2025, 1, 1),
        activation=None,
        policy=policy(12),
        exclusion=ExclusionCause.POWER_SURGE,
    )
    assert decision.kind == CoverageKind.WARRANTY and decision.free_items == PARTS_AND_LABOUR


def test_a_contract_covers_after_the_warranty_and_adds_items_inside_it() -> None:
    c = contract(date(2025, 6, 1), date(2026, 5, 31), response_hours=4)
    inside = decide(date(2025, 7, 1), purchase=date(2025, 1, 1), activation=None, policy=policy(12), contracts=[c])
    assert inside.kind == CoverageKind.WARRANTY and inside.contract == c
    assert inside.free_items == frozenset(CostItem) and "HT-SH01-20260101-001" in inside.reason
    after = decide(date(2026, 5, 31), purchase=date(2025, 1, 1), activation=None, policy=policy(12), contracts=[c])
    assert after.kind == CoverageKind.CONTRACT and after.until == date(2026, 5, 31)
    gone = decide(date(2026, 6, 1), purchase=date(2025, 1, 1), activation=None, policy=policy(12), contracts=[c])
    assert gone.kind == CoverageKind.NONE and gone.contract is None


def test_the_contract_still_covers_a_cause_only_the_warranty_excludes() -> None:
    c = contract(date(2025, 1, 1), date(2025, 12, 31))  # excludes nothing
    decision = decide(
        date(2025, 3, 1),
        purchase=date(2025, 1, 1),
        activation=None,
        policy=policy(12),
        contracts=[c],
        exclusion=ExclusionCause.LIQUID_DAMAGE,
    )
    assert decision.kind == CoverageKind.CONTRACT and decision.free_items == frozenset(CostItem)
    assert "warranty policy" in decision.reason and "chargeable" in decision.reason


def test_drafts_do_not_cover_and_terminated_contracts_stop_the_day_before() -> None:
    draft = contract(date(2025, 1, 1), date(2025, 12, 31), status=ContractStatus.DRAFT)
    assert not draft.in_force(date(2025, 6, 1))
    ended = contract(
        date(2025, 1, 1), date(2025, 12, 31), status=ContractStatus.TERMINATED, terminated_on=date(2025, 6, 1)
    )
    assert ended.in_force(date(2025, 5, 31)) and not ended.in_force(date(2025, 6, 1))
    assert ended.last_day() == date(2025, 5, 31)


def test_an_active_contract_past_its_end_reads_expired() -> None:
    assert effective_status(ContractStatus.ACTIVE, date(2025, 1, 31), date(2025, 2, 1)) == ContractStatus.EXPIRED
    assert effective_status(ContractStatus.ACTIVE, date(2025, 1, 31), date(2025, 1, 31)) == ContractStatus.ACTIVE
    assert effective_status(ContractStatus.DRAFT, date(2025, 1, 31), date(2026, 1, 1)) == ContractStatus.DRAFT


def test_of_two_contracts_the_longer_lasting_one_answers() -> None:
    short = contract(date(2025, 1, 1), date(2025, 6, 30), number="A")
    long = contract(date(2025, 3, 1), date(2026, 2, 28), number="B")
    decision = decide(date(2025, 4, 1), purchase=None, activation=None, policy=None, contracts=[short, long])
    assert decision.contract == long and decision.until == date(2026, 2, 28)


# --- properties -----------------------------------------------------------------------------------

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
month_counts = st.integers(min_value=0, max_value=120)
causes = st.none() | st.sampled_from(list(ExclusionCause))
exclusion_sets = st.frozensets(st.sampled_from(list(ExclusionCause)))
item_sets = st.frozensets(st.sampled_from(list(CostItem)))


@settings(max_examples=300, deadline=None)
@given(start=days, months=st.integers(min_value=1, max_value=120))
def test_the_end_lies_within_the_months_and_is_monotonic(start: date, months: int) -> None:
    end = warranty_end(start, months)
    assert end is not None
    assert add_months(start, months) - timedelta(days=1) <= end <= add_months(start, months)
    assert end >= start
    longer = warranty_end(start, months + 1)
    assert longer is not None and longer > end


@settings(max_examples=400, deadline=None)
@given(on=days, purchase=days, months=month_counts, exclusions=exclusion_sets, items=item_sets, cause=causes)
def test_warranty_covers_exactly_its_days_unless_the_cause_is_excluded(
    on: date,
    purchase: date,
    months: int,
    exclusions: frozenset[ExclusionCause],
    items: frozenset[CostItem],
    cause: ExclusionCause | None,
) -> None:
    p = policy(months, free_items=items, exclusions=exclusions)
    decision = decide(on, purchase=purchase, activation=None, policy=p, exclusion=cause)
    end = warranty_end(purchase, months)
    inside = end is not None and purchase <= on <= end
    excluded = cause is not None and cause in exclusions
    assert (decision.kind == CoverageKind.WARRANTY) == (inside and not excluded)
    if decision.kind == CoverageKind.WARRANTY:
        assert decision.until == end and decision.free_items == items
    else:
        assert decision.free_items == frozenset() and decision.until is None
    assert decision.reason  # always a sentence to show and print
    if inside and excluded:
        assert "chargeable" in decision.reason


@settings(max_examples=300, deadline=None)
@given(
    on=days,
    purchase=st.none() | days,
    months=month_counts,
    c_start=days,
    length=st.integers(min_value=0, max_value=800),
    cause=causes,
    c_exclusions=exclusion_sets,
    c_items=item_sets,
)
def test_free_items_are_the_union_of_the_sources_that_cover(
    on: date,
    purchase: date | None,
    months: int,
    c_start: date,
    length: int,
    cause: ExclusionCause | None,
    c_exclusions: frozenset[ExclusionCause],
    c_items: frozenset[CostItem],
) -> None:
    p = policy(months)
    c = contract(c_start, c_start + timedelta(days=length), free_items=c_items, exclusions=c_exclusions)
    decision = decide(on, purchase=purchase, activation=None, policy=p, contracts=[c], exclusion=cause)
    warranty_only = decide(on, purchase=purchase, activation=None, policy=p, exclusion=cause)
    contract_counts = c.in_force(on) and not (cause is not None and cause in c_exclusions)
    expected = warranty_only.free_items | (c_items if contract_counts else frozenset())
    assert decision.free_items == expected
    assert (decision.kind != CoverageKind.NONE) == (
        warranty_only.kind == CoverageKind.WARRANTY or contract_counts
    )
    assert (decision.contract is not None) == c.in_force(on)


@settings(max_examples=200, deadline=None)
@given(
    on=days,
    purchase=st.none() | days,
    months=month_counts,
    c_start=days,
    length=st.integers(min_value=0, max_value=800),
    cause=causes,
    c_items=item_sets,
)
def test_the_kept_basis_gives_the_same_decision_again(
    on: date,
    purchase: date | None,
    months: int,
    c_start: date,
    length: int,
    cause: ExclusionCause | None,
    c_items: frozenset[CostItem],
) -> None:
    from app.rules.coverage import basis_of, decide_again

    p = policy(months)
    c = contract(c_start, c_start + timedelta(days=length), free_items=c_items, exclusions=USUAL)
    first = decide(on, purchase=purchase, activation=None, policy=p, contracts=[c], exclusion=cause)
    again = decide_again(basis_of(on, purchase, None, p, first.contract), cause)
    assert (again.kind, again.free_items, again.until, again.reason) == (
        first.kind,
        first.free_items,
        first.until,
        first.reason,
    )
