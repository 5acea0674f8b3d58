"""The sink loop: batches from Kafka, rows and offsets into the database in one transaction.

    stop = threading.Event()
    run_sinks(sink_specs(settings.app_id), settings, engine, stop)   # until stop is set

Each sink is one confluent-kafka consumer in its own group (`<app>-sink-<name>`), which never
commits to Kafka: on every assignment it seeks each partition to the offset stored in
`sink_offsets` (the beginning when none), and every batch stores its next offsets in the same
transaction as its rows. A crash anywhere therefore replays exactly the batch that did not commit.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from raas import metrics
from raas.clients import make_consumer, make_producer
from raas.codec import Codec, default_codec
from raas.config import Settings
from raas.deadletters import Producer, RawMessage, send_dead_letter
from raas.stopping import Deadline
from sinks.routes import SinkSpec
from sinks.rows import Changes
from sinks.writing import stored_offsets, write_batch

log = logging.getLogger(__name__)
BATCH = 5_000  # records per transaction at most; bench/projection_throughput measures it
RETRY_SECONDS = 2.0
REPORT_SECONDS = 10.0  # how often a sink says at info level how much it wrote


class SinkLoop:
    """One sink: reads its routes' topics, writes their rows; `run` returns when `stop` is set."""

    def __init__(
        self,
        spec: SinkSpec,
        settings: Settings,
        engine: Engine,
        producer: Producer,
        codec: Codec | None = None,
        batch: int = BATCH,
    ) -> None:
        self.spec = spec
        self.engine = engine
        self.producer = producer
        self.codec = codec or default_codec()
        self.batch = batch
        self.written = 0  # changes written since the last report
        self.in_hand = 0  # changes of the batch being written, not committed yet
        self.closed = False  # its consumer closed: it left its group
        self.reported = float("-inf")  # the first batch is reported at once
        self.consumer: Consumer = make_consumer(
            settings,
            group_id=spec.group_id(settings.app_id),
            **{
                "topic.metadata.refresh.interval.ms": 2000,
                "client.id": f"sink-{spec.name}",
                # a killed sink's partitions come back to its successor after 10 s, not 45
                "session.timeout.ms": 10_000,
                "heartbeat.interval.ms": 3_000,
            },
        )

    def run(self, stop: threading.Event) -> None:
        self.consumer.subscribe(self.spec.subscriptions, on_assign=self._seek_to_stored)
        try:
            while not stop.is_set():
                messages = self.consumer.consume(num_messages=self.batch, timeout=0.5)
                if messages:
                    self._write(
                        *batch_changes(self.spec, self.codec, self.producer, messages), stop
                    )
        finally:
            self.consumer.close()
            self.closed = True

    def unfinished(self) -> str | None:
        """What this sink has not finished, said when its stop runs out of time."""
        if self.in_hand:
            return (
                f"sink {self.spec.name}: a batch of {self.in_hand} changes not committed "
                "(read again at the next start)"
            )
        if not self.closed:
            return f"sink {self.spec.name}: its consumer not closed"
        return None

    def _seek_to_stored(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        with self.engine.connect() as connection:
            stored = stored_offsets(connection, self.spec.name)
        for p in partitions:
            p.offset = stored.get((p.topic, p.partition), OFFSET_BEGINNING)
        consumer.assign(partitions)
        log.info(
            "sink %s: %d partitions assigned, at their stored offsets",
            self.spec.name,
            len(partitions),
        )

    def _write(
        self, changes: Changes, offsets: dict[tuple[str, int], int], stop: threading.Event
    ) -> None:
        """Commit the batch, retrying while the database is away; on stop, the batch replays."""
        self.in_hand = len(changes)
        try:
            self._commit(changes, offsets, stop)
        finally:
            self.in_hand = 0

    def _commit(
        self, changes: Changes, offsets: dict[tuple[str, int], int], stop: threading.Event
    ) -> None:
        while True:
            try:
                started = time.monotonic()
                _flush(self.producer)  # dead letters out before the offsets pass them
                with self.engine.begin() as connection:
                    write_batch(connection, self.spec.name, changes, offsets)
                self._report(len(changes))
                metrics.sink_batch(
                    self.spec.name,
                    len(changes),
                    time.monotonic() - started,
                    sink_lags(self.consumer, offsets),
                )
                return
            except (OperationalError, BufferError) as exc:
                log.warning("sink %s: batch not written, retrying: %s", self.spec.name, exc)
                if stop.wait(RETRY_SECONDS):
                    return

    def _report(self, changes: int) -> None:
        self.written += changes
        now = time.monotonic()
        if now - self.reported >= REPORT_SECONDS:
            log.info(
                "sink %s: %d changes written since its last report", self.spec.name, self.written
            )
            self.written, self.reported = 0, now


def sink_lags(
    consumer: Consumer, offsets: dict[tuple[str, int], int]
) -> dict[tuple[str, int], int]:
    """End offset (as last fetched, no broker call) minus the offset stored, per partition."""
    lags = {}
    for (topic, partition), offset in offsets.items():
        _low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), cached=True)
        if high >= 0:
            lags[(topic, partition)] = max(high - offset, 0)
    return lags


class Consumed(Protocol):
    """What the loop reads of a confluent_kafka Message (a hand-written fake in the unit tier)."""

    def error(self) -> Any: ...
    def topic(self) -> str | None: ...
    def partition(self) -> int | None: ...
    def offset(self) -> int | None: ...
    def key(self) -> bytes | None: ...
    def value(self) -> bytes | None: ...


def batch_changes(
    spec: SinkSpec, codec: Codec, producer: Producer, messages: Sequence[Consumed]
) -> tuple[Changes, dict[tuple[str, int], int]]:
    """The rows of a batch and the offsets after it; a bad record becomes a dead letter."""
    changes = Changes()
    offsets: dict[tuple[str, int], int] = {}
    for message in messages:
        error = message.error()
        if error is not None:
            if error.code() != KafkaError._PARTITION_EOF:
                log.warning("sink %s: %s", spec.name, error)
            continue
        raw = RawMessage.of(message)
        route = spec.route_for(raw.topic)
        try:
            if route is None:
                raise ValueError(f"no route of sink {spec.name} reads {raw.topic}")
            route.apply(codec, raw.key, raw.value, changes)
        except Exception as exc:  # bad input never stops the sink
            send_dead_letter(producer, raw, exc, consumer=f"sink-{spec.name}", codec=codec)
        offsets[(raw.topic, raw.partition)] = raw.offset + 1
    return changes, offsets


def _flush(producer: Any) -> None:
    flush = getattr(producer, "flush", None)
    if flush is not None and flush(30) > 0:
        raise BufferError("dead letters not delivered to raas.dlq")


class Stopping(Protocol):
    """What `unfinished` asks of a sink loop (a hand-written fake in the unit tier)."""

    def unfinished(self) -> str | None: ...


def unfinished(loops: Sequence[Stopping], producer: Any) -> str:
    """What the sinks have not finished: batches in hand, consumers open, dead letters unsent."""
    said = [u for u in (loop.unfinished() for loop in loops) if u]
    pending = len(producer)
    if pending:
        said.append(f"{pending} dead letters not delivered to raas.dlq")
    return "; ".join(said) or "nothing but the process's own end"


def run_sinks(
    specs: tuple[SinkSpec, ...],
    settings: Settings,
    engine: Engine,
    stop: threading.Event,
    batch: int = BATCH,
    on_start: Callable[[], None] | None = None,
    grace: float | None = None,
) -> None:
    """Run every sink in its own thread until `stop` is set; each ends after its batch in hand.

    With `grace` (`raas sink`, never a test's own process) the process ends at most `grace`
    seconds after `stop` is set, saying what it could not finish (`raas.stopping.Deadline`).
    """
    producer = make_producer(settings)
    failures: list[BaseException] = []
    loops = [SinkLoop(s, settings, engine, producer, batch=batch) for s in specs]

    def run(loop: SinkLoop) -> None:
        try:
            loop.run(stop)
        except BaseException as exc:
            failures.append(exc)
            log.exception("sink %s stopped", loop.spec.name)
            stop.set()

    threads = [
        threading.Thread(target=run, args=(loop,), name=f"sink-{loop.spec.name}") for loop in loops
    ]
    for thread in threads:
        thread.start()
    if on_start is not None:
        on_start()
    if grace is not None:
        stop.wait()
        Deadline(
            "sink", lambda: unfinished(loops, producer), grace, "the broker or the database"
        ).arm("the sinks stop")
    for thread in threads:
        thread.join()
    producer.flush(30)
    if failures:
        raise failures[0]
