"""A sink's batches into the database, each with its offsets in one transaction, one at a time.

    committer = Committer("audit", engine, producer)
    committer.hand(changes, offsets, lags, stop)  # returns once the batch before has committed
    committer.close()                             # waits for the last batch, ends the thread

The writing runs in a thread of its own, so the consumer's thread reads and decodes the next
batch while PostgreSQL works on this one: most of a batch's write is waiting for the server
(bench/projection_throughput), and a wait holds no lock Python code needs. Only one batch is
ever in hand, and batches commit in the order they were handed: the offsets stored never go
back, and a crash still replays exactly the batch that did not commit. While the database is
away a batch is retried every RETRY_SECONDS until it commits or `stop` is set; on stop it is
left uncommitted, to be read again at the next start.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from psycopg2 import OperationalError as CursorOperationalError
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from raas import metrics
from sinks.batches import Offsets
from sinks.rows import Changes
from sinks.writing import write_batch

log = logging.getLogger(__name__)
RETRY_SECONDS = 2.0
REPORT_SECONDS = 10.0  # how often a sink says at info level how much it wrote


class Committer:
    """Writes the batches handed to it in order, in its own thread, one at a time."""

    def __init__(self, name: str, engine: Engine, producer: Any) -> None:
        self.name = name
        self.engine = engine
        self.producer = producer
        self.in_hand = 0  # changes of the batch being written, not committed yet
        self.written = 0  # changes written since the last report
        self.reported = float("-inf")  # the first batch is reported at once
        self._thread = ThreadPoolExecutor(1, thread_name_prefix=f"sink-{name}-writer")
        self._pending: Future[None] | None = None

    def hand(
        self, changes: Changes, offsets: Offsets, lags: Offsets, stop: threading.Event
    ) -> None:
        """Start writing this batch once the one before has committed; raises what failed it."""
        self.drain()
        self.in_hand = len(changes)
        self._pending = self._thread.submit(self._write, changes, offsets, lags, stop)

    def drain(self) -> None:
        """Wait until the batch in hand has committed (or was given up at a stop)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        try:
            self.drain()
        finally:
            self._thread.shutdown()

    def _write(
        self, changes: Changes, offsets: Offsets, lags: Offsets, stop: threading.Event
    ) -> None:
        try:
            while not self._commit(changes, offsets, lags) and not stop.wait(RETRY_SECONDS):
                pass
        finally:
            self.in_hand = 0

    def _commit(self, changes: Changes, offsets: Offsets, lags: Offsets) -> bool:
        """Whether the batch committed; False when the database or the broker was away."""
        started = time.monotonic()
        try:
            flush_dead_letters(self.producer)  # out before the offsets pass them
            with self.engine.begin() as connection:
                write_batch(connection, self.name, changes, offsets)
        except (OperationalError, CursorOperationalError, BufferError) as exc:  # COPY's cursor: raw
            log.warning("sink %s: batch not written, retrying: %s", self.name, exc)
            return False
        self._report(len(changes))
        metrics.sink_batch(self.name, len(changes), time.monotonic() - started, lags)
        return True

    def _report(self, changes: int) -> None:
        self.written += changes
        now = time.monotonic()
        if now - self.reported >= REPORT_SECONDS:
            log.info("sink %s: %d changes written since its last report", self.name, self.written)
            self.written, self.reported = 0, now


def flush_dead_letters(producer: Any) -> None:
    flush = getattr(producer, "flush", None)
    if flush is not None and flush(30) > 0:
        raise BufferError("dead letters not delivered to raas.dlq")
