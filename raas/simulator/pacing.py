"""Pacing on a schedule: item i is due at start + i / rate, however long sending took.

A late item goes at once (the schedule catches up); rate 0 means as fast as possible.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def paced(
    items: Iterable[T],
    rate: float,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[T]:
    """The items, each released no earlier than its time on the schedule."""
    if rate < 0:
        raise ValueError(f"a rate is at least 0, not {rate}")
    start = clock()
    for index, item in enumerate(items):
        if rate:
            wait = start + index / rate - clock()
            if wait > 0:
                sleep(wait)
        yield item
