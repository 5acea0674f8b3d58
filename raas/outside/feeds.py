"""The source topics and one producer that writes any of their records, keyed as the topic map says.

with Publisher(settings) as feed:    # raises BrokerUnavailable when no broker answers
    feed.send(person)                # PersonIdentity -> authentic.persons, keyed by INSZ
# leaving the block waits until the broker acknowledged every record
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from confluent_kafka import KafkaError, KafkaException, Message

from raas import codec
from raas.clients import ensure_topics, make_admin, make_producer
from raas.config import Settings
from raas.domain.dimona import DimonaDeclaration
from raas.domain.persons import PersonIdentity
from raas.domain.replacement import InszReplacement
from raas.stack import kafka
from raas.topics import AUTHENTIC_PERSONS, AUTHENTIC_REPLACEMENTS, DIMONA_DECLARATIONS


@dataclass(frozen=True)
class Feed:
    topic: str
    key: Callable[[Any], str]


FEEDS: dict[type, Feed] = {
    PersonIdentity: Feed(AUTHENTIC_PERSONS, lambda p: p.insz),
    InszReplacement: Feed(AUTHENTIC_REPLACEMENTS, lambda r: r.old_insz),
    DimonaDeclaration: Feed(DIMONA_DECLARATIONS, lambda d: d.worker_insz),
}


def feed_of(record: object) -> Feed:
    """The topic and key of an outside record; TypeError for anything else."""
    try:
        return FEEDS[type(record)]
    except KeyError:
        raise TypeError(f"no source topic carries a {type(record).__name__}") from None


class NotAcknowledged(RuntimeError):
    """The broker did not confirm every record in time."""


class BrokerUnavailable(ConnectionError):
    """No broker answers at the configured address."""


# What publishing raises when the broker is not there or does not take the records.
PUBLISH_FAILURES = (BrokerUnavailable, NotAcknowledged, KafkaException)


class Publisher:
    """One idempotent producer for the source topics; leaving its block flushes and checks."""

    def __init__(self, settings: Settings, *, timeout: float = 10.0) -> None:
        if not kafka.answers_to(settings, timeout=timeout):
            raise BrokerUnavailable(f"no Kafka broker answers on {settings.bootstrap_servers}")
        self._producer = make_producer(settings)
        topics = [feed.topic for feed in FEEDS.values()]
        ensure_topics(make_admin(settings), topics, partitions=settings.partitions)
        self.failed: list[str] = []

    def send(self, record: object) -> None:
        """Queue one record; waits for room when the client's queue is full."""
        feed = feed_of(record)
        key, value = codec.encode_key(feed.key(record)), codec.encode(record)
        while True:
            try:
                self._producer.produce(feed.topic, key=key, value=value, on_delivery=self._sent)
                break
            except BufferError:
                self._producer.poll(0.1)
        self._producer.poll(0)

    def _sent(self, error: KafkaError | None, message: Message) -> None:
        if error is not None:
            self.failed.append(f"{message.topic()}: {error.str()}")

    def flush(self, timeout: float = 30.0) -> None:
        """Wait for the broker's acknowledgements; NotAcknowledged when one is missing or failed."""
        left = self._producer.flush(timeout)
        if left or self.failed:
            reason = self.failed[0] if self.failed else f"{left} records unconfirmed"
            raise NotAcknowledged(f"the broker did not acknowledge every record ({reason})")

    def __enter__(self) -> Publisher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.flush()


def publish(settings: Settings, records: Iterable[object]) -> None:
    """Write the records to their source topics and wait until the broker has them all."""
    with Publisher(settings) as feed:
        for record in records:
            feed.send(record)
