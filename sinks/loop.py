"""The sink loop: batches from Kafka, rows and offsets into the database in one transaction.

    stop = threading.Event()
    run_sinks(sink_specs(settings.app_id), settings, engine, stop)   # until stop is set

Each sink is one confluent-kafka consumer in its own group (`<app>-sink-<name>`), which never
commits to Kafka: on every assignment it seeks each partition to the offset stored in
`sink_offsets` (the beginning when none), and every batch stores its next offsets in the same
transaction as its rows. A crash anywhere therefore replays exactly the batch that did not commit.
Its consumer's thread reads and decodes a batch (`sinks/batches.py`) while the batch before is
written in a thread of the sink's `Committer` (`sinks/committing.py`); an assignment waits for that
write before it reads the stored offsets.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, TopicPartition
from sqlalchemy import Engine

from raas.clients import ensure_topics, make_admin, make_consumer, make_producer
from raas.codec import Codec, default_codec
from raas.config import Settings
from raas.deadletters import Producer
from raas.stopping import Deadline
from raas.topics import DLQ
from sinks.batches import batch_changes, sink_lags
from sinks.committing import Committer
from sinks.routes import SinkSpec
from sinks.writing import stored_offsets

log = logging.getLogger(__name__)
BATCH = 5_000  # records per transaction at most; bench/projection_throughput measures it


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
        self.committer = Committer(spec.name, engine, producer)
        self.closed = False  # its consumer closed: it left its group
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
        """Decode each batch while the one before is written (`sinks/committing.py`)."""
        self.consumer.subscribe(self.spec.subscriptions, on_assign=self._seek_to_stored)
        try:
            while not stop.is_set():
                messages = self.consumer.consume(num_messages=self.batch, timeout=0.5)
                if messages:
                    changes, offsets = batch_changes(self.spec, self.codec, self.producer, messages)
                    lags = sink_lags(self.consumer, offsets)
                    self.committer.hand(changes, offsets, lags, stop)
        finally:
            try:
                self.committer.close()
            finally:
                self.consumer.close()
                self.closed = True

    def unfinished(self) -> str | None:
        """What this sink has not finished, said when its stop runs out of time."""
        if self.committer.in_hand:
            return (
                f"sink {self.spec.name}: a batch of {self.committer.in_hand} changes not "
                "committed (read again at the next start)"
            )
        if not self.closed:
            return f"sink {self.spec.name}: its consumer not closed"
        return None

    def _seek_to_stored(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        self.committer.drain()  # the batch in hand stores its offsets before they are read
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
    ensure_dead_letter_topic(settings)
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


def ensure_dead_letter_topic(settings: Settings) -> None:
    """Create raas.dlq when it is missing (a worker makes it too, but a sink may start first).

    The broker creates no topic on its own: without raas.dlq a sink's first dead letter would
    never be delivered, and its batch would wait for it. A broker away at the start is only said:
    the sinks then wait for it as they would anyway."""
    try:
        ensure_topics(make_admin(settings), [DLQ], partitions=settings.partitions)
    except KafkaException as exc:
        log.warning("%s not checked, the broker is away: %s", DLQ, exc)
