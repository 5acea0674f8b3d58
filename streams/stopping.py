"""A stop that always ends (issue 14).

On SIGTERM (or SIGINT) Faust stops as it should: the agents finish the batch in hand, offsets are
committed, tables flushed, the group left; with the broker up that takes a few seconds. With the
broker gone, Faust waited forever in "Wait for streams..." and its clients logged thousands of
reconnect lines a second. Now the first stop signal also starts a timer: a worker still running
`GRACE` seconds later logs one line saying what it could not finish (events in flight, offsets
acked but not committed, records not yet sent) and exits with code 1, so its supervisor knows the
stop was not clean. What was not committed is read again by the next worker, which is safe: a
command seen before gets its stored answer again. The worker's log handlers summarise repeated
warnings (`streams.repeats`).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import Any

import faust

from streams.repeats import summarise_repeats

log = logging.getLogger(__name__)
GRACE = 30.0  # seconds from the stop signal to a forced exit
EXIT_CODE = 1


def unfinished(app: Any) -> str:
    """What a stopping worker has not finished, read from Faust's consumer and producer."""
    try:
        consumer = app.consumer
        in_flight = len(consumer._unacked_messages)
        acked = {tp: len(offsets) for tp, offsets in consumer._acked.items() if offsets}
        pending = app.producer.buffer.pending.qsize()
    except Exception as exc:  # a half-stopped app may have lost any of these
        return f"its state could not be read ({type(exc).__name__}: {exc})"
    return (
        f"{in_flight} events in flight, {sum(acked.values())} offsets acked but not committed "
        f"on {len(acked)} partitions, {pending} records not yet handed to the producer"
    )


class BoundedWorker(faust.Worker):
    """Faust's worker, whose stop ends within GRACE seconds whatever the broker does."""

    grace: float = GRACE
    _deadline: threading.Timer | None = None

    def on_setup_root_logger(self, logger: logging.Logger, level: int) -> None:
        super().on_setup_root_logger(logger, level)
        summarise_repeats(logger)

    def _schedule_shutdown(self, signal: signal.Signals) -> None:
        if self._deadline is None:
            log.info("stopping (signal %s): at most %.0f s to finish", signal.name, self.grace)
            self._deadline = threading.Timer(self.grace, self._give_up)
            self._deadline.daemon = True
            self._deadline.start()
        super()._schedule_shutdown(signal)

    def _give_up(self) -> None:
        log.critical(
            "worker did not stop within %.0f s (is the broker down?); not finished: %s; "
            "exiting with code %d",
            self.grace,
            unfinished(self.app),
            EXIT_CODE,
        )
        logging.shutdown()
        os._exit(EXIT_CODE)
