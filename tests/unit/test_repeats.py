"""Repeated warnings summarised: one of a kind per window, then the count of those dropped."""

from __future__ import annotations

import logging

from streams.repeats import RepeatSummary


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def record(
    msg: str, *args: object, level: int = logging.ERROR, name: str = "aiokafka"
) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args, None)


def test_the_first_warning_of_a_kind_passes_and_its_repeats_in_the_window_do_not() -> None:
    summary = RepeatSummary(window=30, clock=Clock())
    assert summary.filter(record("Unable connect to node with id %s", 1))
    assert not summary.filter(record("Unable connect to node with id %s", 2))
    assert summary.filter(record("Failed fetch messages from %s", 1))  # another kind


def test_librdkafka_lines_that_differ_only_in_numbers_are_one_kind_and_other_facilities_not() -> (
    None
):
    summary = RepeatSummary(window=30, clock=Clock())
    fmt = "%s [%s] %s"
    assert summary.filter(
        record(fmt, "FAIL", "rdkafka#consumer-4", "Connect to 127.0.0.1:9 failed")
    )
    assert not summary.filter(
        record(fmt, "FAIL", "rdkafka#consumer-4", "Connect to 127.0.0.1:7 failed")
    )
    assert summary.filter(record(fmt, "FAIL", "rdkafka#consumer-4", "3/3 brokers are down"))


def test_the_first_repeat_after_the_window_says_how_many_were_dropped() -> None:
    clock = Clock()
    summary = RepeatSummary(window=30, clock=clock)
    summary.filter(record("Unable connect to node"))
    for _ in range(5):
        clock.now += 1
        summary.filter(record("Unable connect to node"))
    clock.now = 131.0
    again = record("Unable connect to node")
    assert summary.filter(again)
    assert again.getMessage() == "Unable connect to node [and 5 more like it in the last 31 s]"


def test_records_below_warning_always_pass() -> None:
    summary = RepeatSummary(window=30, clock=Clock())
    assert all(summary.filter(record("opening partition", level=logging.INFO)) for _ in range(3))
