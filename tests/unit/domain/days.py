"""The brute-force model: a set of periods is the set of its days, within a bounded horizon."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from hypothesis import strategies as st

from raas.domain.periods import Period
from tests.unit.domain.builders import day

HORIZON = 60  # begins fall in days 0..HORIZON; an open end is modelled up to LAST
LAST = HORIZON + 30


def days_of(periods: Iterable[Period]) -> set[date]:
    found: set[date] = set()
    for p in periods:
        last = p.end if p.end is not None else day(LAST)
        current = p.begin
        while current <= last:
            found.add(current)
            current += timedelta(days=1)
    return found


@st.composite
def periods(draw: st.DrawFn, open_end: bool = True) -> Period:
    begin = draw(st.integers(0, HORIZON))
    if open_end and draw(st.booleans()) and draw(st.booleans()):
        return Period(day(begin), None)
    length = draw(st.integers(0, 12))
    return Period(day(begin), day(begin + length))
