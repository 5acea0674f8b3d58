from __future__ import annotations

from datetime import UTC, datetime

from raas.codec import DEAD_LETTER, decode
from raas.deadletters import (
    DLQ,
    PROCESSING_ERROR,
    RawMessage,
    dead_letter_for,
    send_dead_letter,
)
from tests.unit.codec.fakes import FakeMessage, FakeProducer

NOW = datetime(2024, 5, 1, tzinfo=UTC)
MESSAGE = RawMessage("authentic.persons", 2, 7, b"85073003328", b"\x00\x00\x00\x00\x08junk")


def test_any_other_failure_is_dead_lettered_as_a_processing_error_and_the_consumer_goes_on() -> (
    None
):
    producer = FakeProducer()

    letter = send_dead_letter(producer, MESSAGE, RuntimeError("table gone"), consumer="persons")

    (topic, value, key), = producer.sent  # fmt: skip
    assert (topic, key) == (DLQ, MESSAGE.key)
    assert decode(value, DEAD_LETTER) == letter
    assert (letter.reason, letter.error, letter.consumer) == (
        PROCESSING_ERROR,
        "table gone",
        "persons",
    )


def test_the_same_message_dead_lettered_twice_carries_the_same_event_id() -> None:
    first = dead_letter_for(MESSAGE, ValueError("x"), consumer="a", now=NOW)
    again = dead_letter_for(MESSAGE, ValueError("x"), consumer="a", now=datetime.now(UTC))
    other = dead_letter_for(
        RawMessage("authentic.persons", 2, 8, None, None), ValueError("x"), consumer="a", now=NOW
    )
    assert first.event_id == again.event_id != other.event_id


def test_a_raw_message_is_read_from_a_confluent_kafka_message() -> None:
    message = FakeMessage(b"v", b"k", "raas.dlq", 1, 5)
    assert RawMessage.of(message) == RawMessage("raas.dlq", 1, 5, b"k", b"v")
