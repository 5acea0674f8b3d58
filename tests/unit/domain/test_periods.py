from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raas.domain.periods import (
    Period,
    covers,
    cut_out,
    is_normal,
    merge_into,
    normalise,
    overlapping,
    overlaps,
)
from tests.unit.domain.builders import period
from tests.unit.domain.days import days_of, periods


def test_overlapping_periods_merge_into_one_line() -> None:
    assert merge_into((period(0, 10),), period(5, 20)) == (period(0, 20),)


def test_touching_periods_merge_into_one_line() -> None:
    assert merge_into((period(0, 9),), period(10, 20)) == (period(0, 20),)
    assert merge_into((period(10, 20),), period(0, 9)) == (period(0, 20),)


def test_periods_with_a_gap_day_stay_apart() -> None:
    assert merge_into((period(0, 8),), period(10, 20)) == (period(0, 8), period(10, 20))


def test_a_new_period_bridging_two_lines_joins_all_three() -> None:
    assert merge_into((period(0, 5), period(10, 15)), period(6, 9)) == (period(0, 15),)


def test_an_open_end_swallows_every_later_line() -> None:
    assert merge_into((period(0, 5), period(10, 15)), period(3, None)) == (period(0, None),)


def test_cutting_out_the_middle_of_a_line_splits_it_in_two() -> None:
    assert cut_out((period(0, 20),), period(5, 9)) == (period(0, 4), period(10, 20))


def test_cutting_out_an_end_shortens_the_line() -> None:
    assert cut_out((period(0, 20),), period(15, None)) == (period(0, 14),)
    assert cut_out((period(0, None),), period(0, 4)) == (period(5, None),)


def test_cutting_out_a_period_containing_the_line_removes_it() -> None:
    assert cut_out((period(3, 5), period(30, 40)), period(0, 10)) == (period(30, 40),)


def test_an_open_ended_period_overlaps_everything_after_its_begin() -> None:
    assert overlaps(period(0, None), period(1000, 1001))
    assert not overlaps(period(0, 9), period(10, None))
    assert overlapping((period(0, 3), period(8, 9)), period(2, 5)) == (period(0, 3),)


def test_a_reversed_period_is_refused_by_the_algebra() -> None:
    with pytest.raises(ValueError, match="ends before"):
        merge_into((), period(5, 4))


@settings(max_examples=150)
@given(st.lists(periods(), max_size=6), periods())
def test_merge_into_adds_exactly_the_new_days_and_keeps_lines_normal(
    existing: list[Period], new: Period
) -> None:
    lines = normalise(existing)
    merged = merge_into(lines, new)
    assert is_normal(merged)
    assert days_of(merged) == days_of(lines) | days_of([new])


@settings(max_examples=150)
@given(st.lists(periods(), max_size=6), periods())
def test_cut_out_removes_exactly_the_cut_days_and_keeps_lines_normal(
    existing: list[Period], cut: Period
) -> None:
    lines = normalise(existing)
    remaining = cut_out(lines, cut)
    assert is_normal(remaining)
    assert days_of(remaining) == days_of(lines) - days_of([cut])


@settings(max_examples=150)
@given(st.lists(periods(), max_size=6), periods())
def test_covers_and_overlaps_agree_with_the_days(existing: list[Period], probe: Period) -> None:
    lines = normalise(existing)
    assert covers(lines, probe) == (days_of([probe]) <= days_of(lines))
    assert bool(overlapping(lines, probe)) == bool(days_of([probe]) & days_of(lines))


def test_the_last_day_python_knows_does_not_overflow() -> None:
    last = Period(date.max, date.max)
    assert merge_into((last,), Period(date(2024, 1, 1), None)) == (Period(date(2024, 1, 1), None),)
    assert cut_out((Period(date(2024, 1, 1), None),), Period(date(2025, 1, 1), date.max)) == (
        Period(date(2024, 1, 1), date(2024, 12, 31)),
    )
