from __future__ import annotations

from datetime import date

import pytest

from raas.domain.birthdates import BirthDate
from raas.domain.datewindows import (
    DateWindow,
    Precision,
    ToleranceRequired,
    date_distance,
    precision_of,
    search_window,
)


def test_the_tolerance_of_a_complete_date_counts_in_days() -> None:
    window = search_window(BirthDate(1980, 3, 1), 2)
    assert window == DateWindow(date(1980, 2, 28), date(1980, 3, 3))


def test_a_complete_date_without_tolerance_is_that_day() -> None:
    assert search_window(BirthDate(1980, 3, 1), None) == DateWindow(
        date(1980, 3, 1), date(1980, 3, 1)
    )


def test_the_tolerance_of_a_month_date_counts_in_months() -> None:
    window = search_window(BirthDate(1980, 1, 0), 2)
    assert window == DateWindow(date(1979, 11, 1), date(1980, 3, 31))
    assert precision_of(BirthDate(1980, 1, 0)) is Precision.MONTH


def test_the_tolerance_of_a_year_date_counts_in_years() -> None:
    assert search_window(BirthDate(1980, 0, 0), 1) == DateWindow(
        date(1979, 1, 1), date(1981, 12, 31)
    )


@pytest.mark.parametrize("incomplete", [BirthDate(1980, 5, 0), BirthDate(1980, 0, 0)])
def test_an_incomplete_date_needs_a_tolerance(incomplete: BirthDate) -> None:
    with pytest.raises(ToleranceRequired, match="tolerance"):
        search_window(incomplete, None)


def test_a_negative_tolerance_and_an_unknown_year_are_refused() -> None:
    with pytest.raises(ToleranceRequired):
        search_window(BirthDate(1980, 5, 1), -1)
    with pytest.raises(ToleranceRequired):
        search_window(BirthDate(0, 0, 0), 3)


def test_date_distance_is_the_gap_between_window_and_birth_range() -> None:
    window = DateWindow(date(1980, 5, 10), date(1980, 5, 20))
    assert date_distance(window, BirthDate(1980, 5, 25)) == 5
    assert date_distance(window, BirthDate(1980, 5, 1)) == 9
    assert date_distance(window, BirthDate(1980, 5, 0)) == 0
    assert date_distance(window, BirthDate(1979, 0, 0)) == 131
