from __future__ import annotations

import pytest

from raas.simulator.pacing import paced


class FakeClock:
    """Time that moves only when slept, or when a test moves it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_items_are_released_on_the_schedule_of_the_rate() -> None:
    clock = FakeClock()
    released = []
    for item in paced(range(5), 10.0, clock=clock, sleep=clock.sleep):
        released.append((item, round(clock.now - 100.0, 6)))
    assert released == [(0, 0.0), (1, 0.1), (2, 0.2), (3, 0.3), (4, 0.4)]


def test_a_late_item_goes_at_once_and_the_schedule_catches_up() -> None:
    clock = FakeClock()
    for item in paced(range(4), 2.0, clock=clock, sleep=clock.sleep):
        if item == 0:
            clock.now += 1.2  # sending the first took longer than two slots
    assert clock.slept == [pytest.approx(0.3)]


def test_rate_zero_never_sleeps() -> None:
    clock = FakeClock()
    assert list(paced(range(100), 0, clock=clock, sleep=clock.sleep)) == list(range(100))
    assert clock.slept == []


def test_a_negative_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 0"):
        list(paced(range(1), -1.0))
