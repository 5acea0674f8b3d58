"""A stop that always ends: the deadline armed at the stop signal, and what a sink says it left."""

from __future__ import annotations

import threading

import pytest

from raas.stopping import EXIT_CODE, Deadline
from sinks.loop import unfinished


class Exit:
    """Records the exit code instead of ending the test process."""

    def __init__(self) -> None:
        self.codes: list[int] = []
        self.called = threading.Event()

    def __call__(self, code: int) -> None:
        self.codes.append(code)
        self.called.set()


def test_a_deadline_runs_out_with_the_exit_code_and_says_what_was_not_finished(
    caplog: pytest.LogCaptureFixture,
) -> None:
    exit = Exit()
    Deadline("sink", lambda: "sink audit: a batch of 3 changes", 0.01, exit=exit).arm("test")
    assert exit.called.wait(30), "the deadline never ran out"  # a liveness bound
    assert exit.codes == [EXIT_CODE]
    assert "sink did not stop within 0 s" in caplog.text
    assert "not finished: sink audit: a batch of 3 changes" in caplog.text


def test_a_deadline_whose_state_cannot_be_read_still_exits() -> None:
    exit = Exit()

    def broken() -> str:
        raise AttributeError("consumer")

    deadline = Deadline("worker", broken, 0.01, exit=exit)
    deadline.give_up()
    assert exit.codes == [EXIT_CODE]


def test_a_second_stop_signal_does_not_arm_a_second_deadline() -> None:
    exit = Exit()
    deadline = Deadline("sink", lambda: "", 0.01, exit=exit)
    deadline.arm("first")
    timer = deadline._timer
    deadline.arm("second")
    assert deadline._timer is timer
    assert exit.called.wait(30)
    assert exit.codes == [EXIT_CODE]


class Loop:
    def __init__(self, said: str | None) -> None:
        self.said = said

    def unfinished(self) -> str | None:
        return self.said


def test_a_sink_stop_out_of_time_names_each_batch_in_hand_and_the_dead_letters_not_sent() -> None:
    said = unfinished([Loop("sink audit: a batch of 5 changes"), Loop(None)], [b"dl", b"dl"])
    assert said == "sink audit: a batch of 5 changes; 2 dead letters not delivered to raas.dlq"


def test_a_sink_stop_with_nothing_in_hand_says_so() -> None:
    assert unfinished([Loop(None)], []) == "nothing but the process's own end"
