"""A dying background thread stops the process, once, and says which thread and why."""

from __future__ import annotations

import logging

import pytest

from streams.lifelines import Lifeline


def test_a_thread_that_dies_stops_the_process_once_and_says_why(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stops: list[str] = []
    lifeline = Lifeline(stop_process=lambda: stops.append("stop"))

    def fail() -> None:
        raise RuntimeError("the broker refused the dead letter")

    with caplog.at_level(logging.CRITICAL):
        for name in ("ingress", "tenant-directory"):
            thread = lifeline.thread(name, fail)
            thread.start()
            thread.join()

    assert stops == ["stop"]
    assert lifeline.death == "ingress: RuntimeError: the broker refused the dead letter"
    assert [r.getMessage() for r in caplog.records] == [
        "worker stops: the ingress thread died: RuntimeError: the broker refused the dead letter"
    ]


def test_a_thread_that_returns_stops_nothing() -> None:
    stops: list[str] = []
    lifeline = Lifeline(stop_process=lambda: stops.append("stop"))
    thread = lifeline.thread("ingress", lambda: None)
    thread.start()
    thread.join()
    assert (stops, lifeline.death) == ([], None)
