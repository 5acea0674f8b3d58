"""Birth-date windows of the phonetic search: an incomplete date is a range of days.

A complete date is one day, `yyyy-mm-00` the days of its month, `yyyy-00-00` the days of its year.
The tolerance counts in the unit of the query's precision: days, months or years. It is required
when the date is incomplete (domain.md, "Services beyond the register"). A person matches when the
range of their birth date overlaps the window; the date distance is the gap in days between the
two (0 when they overlap).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from raas.domain.birthdates import BirthDate

__all__ = [
    "DateWindow",
    "Precision",
    "ToleranceRequired",
    "birth_range",
    "date_distance",
    "precision_of",
    "search_window",
]


class Precision(StrEnum):
    DAY = "days"
    MONTH = "months"
    YEAR = "years"


class ToleranceRequired(ValueError):
    """An incomplete birth date was searched without a tolerance, or with an unusable one."""


@dataclass(frozen=True, slots=True)
class DateWindow:
    """The days a searched birth date, widened by its tolerance, may fall on (both inclusive)."""

    first: date
    last: date


def precision_of(birth_date: BirthDate) -> Precision:
    if birth_date.day:
        return Precision.DAY
    return Precision.MONTH if birth_date.month else Precision.YEAR


def birth_range(birth_date: BirthDate) -> DateWindow | None:
    """The days a possibly incomplete birth date stands for; None when even the year is unknown."""
    year, month, day = birth_date.year, birth_date.month, birth_date.day
    if year == 0:
        return None
    if day:
        return DateWindow(date(year, month, day), date(year, month, day))
    if month:
        return DateWindow(date(year, month, 1), date(year, month, _last_day(year, month)))
    return DateWindow(date(year, 1, 1), date(year, 12, 31))


def search_window(birth_date: BirthDate, tolerance: int | None) -> DateWindow:
    """The searched range widened by `tolerance` units of the date's own precision."""
    days = birth_range(birth_date)
    if days is None:
        raise ToleranceRequired("the searched birth date needs at least its year")
    precision = precision_of(birth_date)
    if tolerance is None and precision is not Precision.DAY:
        raise ToleranceRequired(
            f"{birth_date} is incomplete: give a tolerance in {precision.value}"
        )
    widen = tolerance or 0
    if widen < 0:
        raise ToleranceRequired("the tolerance cannot be negative")
    if precision is Precision.DAY:
        return DateWindow(_clamp(days.first, -widen), _clamp(days.last, widen))
    if precision is Precision.MONTH:
        first = _month_shift(days.first, -widen)
        last = _month_shift(days.last.replace(day=1), widen)
        return DateWindow(first, last.replace(day=_last_day(last.year, last.month)))
    return DateWindow(
        date(max(1, days.first.year - widen), 1, 1), date(min(9999, days.last.year + widen), 12, 31)
    )


def date_distance(window: DateWindow, birth_date: BirthDate) -> int:
    """Days between the window and the person's birth range; 0 when they overlap or unknown."""
    days = birth_range(birth_date)
    if days is None:
        return 0
    if days.last < window.first:
        return (window.first - days.last).days
    if days.first > window.last:
        return (days.first - window.last).days
    return 0


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _clamp(day: date, shift: int) -> date:
    try:
        return day + timedelta(days=shift)
    except OverflowError:
        return date.max if shift > 0 else date.min


def _month_shift(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    if index < 12:
        return date(1, 1, 1)
    if index // 12 > 9999:
        return date(9999, 12, 1)
    return date(index // 12, index % 12 + 1, 1)
