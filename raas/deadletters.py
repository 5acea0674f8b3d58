"""Dead letters: every consumer turns a message it cannot process into a DeadLetter on raas.dlq.

    value = decode_or_dead_letter(producer, RawMessage.of(msg), COMMAND, consumer="ingress")
    if value is None:
        continue  # dead-lettered; carry on with the next message

The dead letter keeps the original key and value bytes, topic, partition and offset, and the
reason; its event id derives from (topic, partition, offset), so dead-lettering the same message
again after a crash writes a duplicate a reader can drop. Nothing is dropped silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from raas.codec import Codec, CodecError, DeadLetter, Record, default_codec
from raas.domain.identifiers import event_id_for
from raas.topics import DLQ

PROCESSING_ERROR = "PROCESSING_ERROR"

T = TypeVar("T")
log = logging.getLogger(__name__)

__all__ = [
    "DLQ",
    "PROCESSING_ERROR",
    "DeadLetter",
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


def dead_letter_for(
    message: RawMessage, error: BaseException, *, consumer: str, now: datetime
) -> DeadLetter:
    """The dead letter of `message`, which failed with `error`."""
    reason = error.reason.value if isinstance(error, CodecError) else PROCESSING_ERROR
    where = (message.topic, str(message.partition), str(message.offset))
    return DeadLetter(
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=message.key,
        value=message.value,
        reason=reason,
        error=str(error) or type(error).__name__,
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
    """Produce the dead letter of `message` to raas.dlq, keyed by the original key."""
    if now is None:  # whole milliseconds, as the record carries them
        now = datetime.now(UTC)
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    letter = dead_letter_for(message, error, consumer=consumer, now=now)
    producer.produce(DLQ, value=(codec or default_codec()).encode(letter), key=message.key)
    log.warning(
        "dead-lettered %s[%d]@%d: %s",
        message.topic,
        message.partition,
        message.offset,
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
