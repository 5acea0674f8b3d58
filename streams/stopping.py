"""A stop that always ends (issue 14), for the Faust worker.

On SIGTERM (or SIGINT) Faust stops as it should: the agents finish the batch in hand, offsets are
committed, tables flushed, the group left; with the broker up that takes a few seconds. With the
broker gone, Faust waited forever in "Wait for streams..." and its clients logged thousands of
reconnect lines a second. Now the first stop signal also arms the `raas.stopping.Deadline`: a
worker still running `GRACE` seconds later logs one line saying what it could not finish (events
in flight, offsets acked but not committed, records not yet sent) and exits with code 1. What was
not committed is read again by the next worker, which is safe: a command seen before gets its
stored answer again. The worker's log handlers summarise repeated warnings (`streams.repeats`).
"""

from __future__ import annotations

import logging
import signal
from typing import Any

import faust

from raas.stopping import GRACE, Deadline
from streams.repeats import summarise_repeats


def unfinished(app: Any) -> str:
    """What a stopping worker has not finished, read from Faust's consumer and producer."""
    consumer = app.consumer
    in_flight = len(consumer._unacked_messages)
    acked = {tp: len(offsets) for tp, offsets in consumer._acked.items() if offsets}
    pending = app.producer.buffer.pending.qsize()
    return (
        f"{in_flight} events in flight, {sum(acked.values())} offsets acked but not committed "
        f"on {len(acked)} partitions, {pending} records not yet handed to the producer"
    )


class BoundedWorker(faust.Worker):
    """Faust's worker, whose stop ends within GRACE seconds whatever the broker does."""

    grace: float = GRACE
    _deadline: Deadline | None = None

    def on_setup_root_logger(self, logger: logging.Logger, level: int) -> None:
        super().on_setup_root_logger(logger, level)
        summarise_repeats(logger)

    def _schedule_shutdown(self, signal: signal.Signals) -> None:
        if self._deadline is None:
            self._deadline = Deadline("worker", lambda: unfinished(self.app), self.grace)
        self._deadline.arm(f"signal {signal.name}")
        super()._schedule_shutdown(signal)
