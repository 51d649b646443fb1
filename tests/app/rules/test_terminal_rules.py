"""The terminal transition table and firmware version order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.models.terminal import TerminalStatus
from app.rules.terminals import (
    BINDABLE,
    TRANSITIONS,
    allowed_targets,
    is_older,
    transition_problem,
    version_key,
)

S = TerminalStatus


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_transition_problem_follows_the_table(current: S, target: S) -> None:
    problem = transition_problem(current, target)
    assert (problem is None) == (target in TRANSITIONS[current])
    if problem is not None:
        assert problem.endswith(".")


def test_every_status_has_a_row_and_scrapped_is_final() -> None:
    assert set(TRANSITIONS) == set(S)
    assert TRANSITIONS[S.SCRAPPED] == frozenset()
    assert allowed_targets(S.IN_STOCK) == [S.IN_REPAIR, S.LOST, S.SCRAPPED]


def test_deploying_only_through_binding() -> None:
    assert all(S.DEPLOYED not in targets or current == S.SUSPENDED for current, targets in TRANSITIONS.items())
    assert "Bind" in (transition_problem(S.IN_STOCK, S.DEPLOYED) or "")
    assert BINDABLE == {S.IN_STOCK, S.RETURNED}


@pytest.mark.parametrize(
    ("older", "newer"),
    [("V2.9.3", "V2.10.0"), ("2.3", "2.3.1"), ("v1.0.0", "V1.0.1"), ("", "V1"), ("V3.4.0", "V10.0.0")],
)
def test_versions_compare_as_people_read_them(older: str, newer: str) -> None:
    assert is_older(older, newer)
    assert not is_older(newer, older)


@given(st.lists(st.integers(min_value=0, max_value=999), min_size=1, max_size=4))
def test_version_key_orders_numeric_parts(parts: list[int]) -> None:
    text = "V" + ".".join(map(str, parts))
    bumped = "V" + ".".join(map(str, parts[:-1] + [parts[-1] + 1]))
    assert version_key(text) < version_key(bumped)
