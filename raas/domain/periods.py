"""Periods: day-granular, inclusive, with an open end allowed; and the algebra on sets of them.

A tuple of periods handled here is always sorted, disjoint and non-touching ("normal").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import total_ordering
from itertools import pairwise

_DAY = timedelta(days=1)


@total_ordering
@dataclass(frozen=True, slots=True)
class Period:
    """From `begin` to `end`, both inclusive; `end` None is open-ended.

    A Period may be built with `end < begin` (a command can carry one); `is_valid` says so and
    the algebra below refuses such a period.
    """

    begin: date
    end: date | None

    @property
    def is_valid(self) -> bool:
        return self.end is None or self.begin <= self.end

    def __lt__(self, other: object) -> bool:
        """By begin, then end; an open end sorts last."""
        if not isinstance(other, Period):
            return NotImplemented
        return (self.begin, self.end or date.max) < (other.begin, other.end or date.max)

    def contains(self, day: date) -> bool:
        return self.begin <= day and (self.end is None or day <= self.end)

    def __str__(self) -> str:
        return f"{self.begin.isoformat()}..{self.end.isoformat() if self.end else ''}"


def _require_valid(period: Period) -> None:
    if not period.is_valid:
        raise ValueError(f"period {period} ends before it begins")


def _after(day: date) -> date | None:
    """The next day; None past the last day Python knows."""
    return None if day == date.max else day + _DAY


def _ends_before(a: Period, day: date) -> bool:
    """Whether `a` ends strictly before `day`."""
    return a.end is not None and a.end < day


def overlaps(a: Period, b: Period) -> bool:
    """Whether the two periods share at least one day."""
    return not _ends_before(a, b.begin) and not _ends_before(b, a.begin)


def touches(a: Period, b: Period) -> bool:
    """Whether one ends the day before the other begins."""
    return (a.end is not None and _after(a.end) == b.begin) or (
        b.end is not None and _after(b.end) == a.begin
    )


def _later_end(a: date | None, b: date | None) -> date | None:
    return None if a is None or b is None else max(a, b)


def merge_into(periods: Iterable[Period], new: Period) -> tuple[Period, ...]:
    """Add `new`; every period that overlaps or touches it becomes one line with it."""
    _require_valid(new)
    merged = new
    kept: list[Period] = []
    for period in periods:
        if overlaps(period, merged) or touches(period, merged):
            merged = Period(min(period.begin, merged.begin), _later_end(period.end, merged.end))
        else:
            kept.append(period)
    # A later merge can swallow periods kept earlier only if the input was not normal; re-run.
    result = tuple(sorted([*kept, merged]))
    return result if is_normal(result) else normalise(result)


def cut_out(periods: Iterable[Period], cut: Period) -> tuple[Period, ...]:
    """Remove the days of `cut`: a period inside it goes, one sticking out is shortened,
    one strictly containing it is split in two."""
    _require_valid(cut)
    result: list[Period] = []
    for period in periods:
        if not overlaps(period, cut):
            result.append(period)
            continue
        if period.begin < cut.begin:
            result.append(Period(period.begin, cut.begin - _DAY))
        after = None if cut.end is None else _after(cut.end)
        if after is not None and not _ends_before(period, after):
            result.append(Period(after, period.end))
    return tuple(sorted(result))


def covers(periods: Iterable[Period], period: Period) -> bool:
    """Whether every day of `period` is already in one of `periods` (normal input)."""
    _require_valid(period)
    return any(
        p.begin <= period.begin
        and (p.end is None or (period.end is not None and period.end <= p.end))
        for p in periods
    )


def overlapping(periods: Iterable[Period], period: Period) -> tuple[Period, ...]:
    """The periods that share a day with `period`."""
    return tuple(p for p in periods if overlaps(p, period))


def is_normal(periods: tuple[Period, ...]) -> bool:
    """Sorted, valid, disjoint and non-touching."""
    if not all(p.is_valid for p in periods):
        return False
    return all(
        a.end is not None and a.end < b.begin and _after(a.end) != b.begin
        for a, b in pairwise(periods)
    )


def normalise(periods: Iterable[Period]) -> tuple[Period, ...]:
    """The normal form of any valid periods: merge all that overlap or touch."""
    result: tuple[Period, ...] = ()
    for period in sorted(periods):
        result = merge_into(result, period) if result else (period,)
    return result
