"""The brute-force model: a set of periods is the set of its days, within a bounded horizon."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from hypothesis import strategies as st

from raas.domain.periods import Period
from tests.unit.domain.builders import day

HORIZON = 60  # days 0..HORIZON-1 are modelled; an open end covers up to the horizon


def days_of(periods: Iterable[Period]) -> set[date]:
    found: set[date] = set()
    for p in periods:
        last = p.end if p.end is not None else day(HORIZON - 1)
        current = p.begin
        while current <= last:
            found.add(current)
            current += timedelta(days=1)
    return found


@st.composite
def periods(draw: st.DrawFn, open_end: bool = True) -> Period:
    begin = draw(st.integers(0, HORIZON - 10))
    if open_end and draw(st.booleans()) and draw(st.booleans()):
        return Period(day(begin), None)
    length = draw(st.integers(0, 12))
    return Period(day(begin), day(begin + length))
