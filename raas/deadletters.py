"""Dead letters: every consumer turns a message it cannot process into a DeadLetter on raas.dlq.

    value = decode_or_dead_letter(producer, RawMessage.of(msg), COMMAND, consumer="ingress")
    if value is None:
        continue  # dead-lettered; carry on with the next message

The dead letter keeps the topic, partition and offset of the original message, the reason, and
its key and value bytes, **bounded**: a dead letter must never be a record the broker refuses
(issue 9: a 1 MB command made a dead letter too large to write, and the ingress died on it). At
most `KEPT_VALUE_BYTES` of the value and `KEPT_KEY_BYTES` of the key are kept, and the error text
is cut to `KEPT_ERROR_CHARS`. A cut is said at the end of the `error` field, with the original
size, e.g. `... [value truncated to the first 65536 of 990000 bytes]`; the whole message is still
on its own topic at that offset for as long as the topic keeps it. The record's Kafka key is the
original key, bounded the same way.

The event id derives from (topic, partition, offset), so dead-lettering the same message again
after a crash writes a duplicate a reader can drop. Nothing is dropped silently.

`DeadLetters` is the same for the Faust agents, on a producer of its own: each dead letter is
flushed before the agent moves on, so the offset Faust commits next never passes a message that is
neither processed nor in raas.dlq.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from raas import metrics
from raas.clients import make_producer
from raas.codec import Codec, CodecError, DeadLetter, Record, default_codec
from raas.config import Settings
from raas.domain.identifiers import event_id_for
from raas.topics import DLQ

PROCESSING_ERROR = "PROCESSING_ERROR"
TENANT_UNKNOWN = "TENANT_UNKNOWN"  # a command of a tenant with no config and no results topic
KEPT_VALUE_BYTES = 64 * 1024
KEPT_KEY_BYTES = 1024
KEPT_ERROR_CHARS = 2000

T = TypeVar("T")
log = logging.getLogger(__name__)

__all__ = [
    "DLQ",
    "KEPT_KEY_BYTES",
    "KEPT_VALUE_BYTES",
    "PROCESSING_ERROR",
    "TENANT_UNKNOWN",
    "DeadLetter",
    "DeadLetters",
    "Failure",
    "Producer",
    "RawMessage",
    "dead_letter_for",
    "decode_or_dead_letter",
    "send_dead_letter",
]


class Producer(Protocol):
    """What is needed of a confluent_kafka Producer (a hand-written fake in the unit tier)."""

    def produce(self, topic: str, value: bytes | None = None, key: bytes | None = None) -> Any: ...


@dataclass(frozen=True)
class RawMessage:
    """A message as consumed, before decoding."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None

    @classmethod
    def of(cls, message: Any) -> RawMessage:
        """From a confluent_kafka Message."""
        return cls(
            message.topic(), message.partition(), message.offset(), message.key(), message.value()
        )

    @classmethod
    def of_faust(cls, message: Any) -> RawMessage:
        """From a Faust message (attributes, not methods)."""
        return cls(message.topic, message.partition, message.offset, message.key, message.value)


class Failure(Exception):
    """A reason of our own (e.g. TENANT_UNKNOWN) for a message that is not bad bytes."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def bounded(data: bytes | None, limit: int, what: str) -> tuple[bytes | None, str]:
    """At most `limit` bytes of `data`, and the note that says so when it was cut."""
    if data is None or len(data) <= limit:
        return data, ""
    return data[:limit], f" [{what} truncated to the first {limit} of {len(data)} bytes]"


def dead_letter_for(
    message: RawMessage, error: BaseException, *, consumer: str, now: datetime
) -> DeadLetter:
    """The dead letter of `message`, which failed with `error`; never larger than ~70 KB."""
    if isinstance(error, CodecError):
        reason = error.reason.value
    elif isinstance(error, Failure):
        reason = error.reason
    else:
        reason = PROCESSING_ERROR
    where = (message.topic, str(message.partition), str(message.offset))
    key, key_cut = bounded(message.key, KEPT_KEY_BYTES, "key")
    value, value_cut = bounded(message.value, KEPT_VALUE_BYTES, "value")
    text = (str(error) or type(error).__name__)[:KEPT_ERROR_CHARS]
    return DeadLetter(
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=key,
        value=value,
        reason=reason,
        error=text + key_cut + value_cut,
        consumer=consumer,
        event_id=event_id_for("dead-letter", *where),
        timestamp=now,
    )


def send_dead_letter(
    producer: Producer,
    message: RawMessage,
    error: BaseException,
    *,
    consumer: str,
    codec: Codec | None = None,
    now: datetime | None = None,
) -> DeadLetter:
    """Produce the dead letter of `message` to raas.dlq, keyed by the original key (bounded)."""
    if now is None:  # whole milliseconds, as the record carries them
        now = datetime.now(UTC)
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    letter = dead_letter_for(message, error, consumer=consumer, now=now)
    producer.produce(DLQ, value=(codec or default_codec()).encode(letter), key=letter.key)
    metrics.dead_lettered(letter.reason)
    log.warning(
        "dead-lettered %s[%d]@%d: %s: %s",
        message.topic,
        message.partition,
        message.offset,
        letter.reason,
        letter.error,
    )
    return letter


def decode_or_dead_letter(
    producer: Producer,
    message: RawMessage,
    record: Record[T],
    *,
    consumer: str,
    codec: Codec | None = None,
) -> T | None:
    """The decoded value of `message`, or None after sending it to raas.dlq."""
    chosen = codec or default_codec()
    try:
        return chosen.decode(message.value, record)
    except CodecError as exc:
        send_dead_letter(producer, message, exc, consumer=consumer, codec=chosen)
        return None


class DeadLetters:
    """Dead letters of the Faust agents, on a plain producer, each flushed before moving on."""

    def __init__(self, settings: Settings, consumer: str) -> None:
        self._settings = settings
        self._consumer = consumer
        self._producer: Any = None

    def send(self, message: Any, error: BaseException) -> None:
        """Send a Faust message that could not be processed to raas.dlq."""
        if self._producer is None:
            self._producer = make_producer(self._settings)
        send_dead_letter(
            self._producer, RawMessage.of_faust(message), error, consumer=self._consumer
        )
        self._producer.flush(30)

    def close(self) -> None:
        if self._producer is not None:
            self._producer.flush(30)
