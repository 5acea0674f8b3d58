from __future__ import annotations

from datetime import UTC, datetime

from raas.codec import DEAD_LETTER, decode
from raas.deadletters import (
    DLQ,
    KEPT_KEY_BYTES,
    KEPT_VALUE_BYTES,
    PROCESSING_ERROR,
    TENANT_UNKNOWN,
    Failure,
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


def test_a_dead_letter_keeps_a_bounded_prefix_and_says_how_large_the_original_was() -> None:
    huge = RawMessage("raas.tenant.0403019261.commands", 3, 42, b"k" * 5000, b"v" * 990_000)
    producer = FakeProducer()

    letter = send_dead_letter(producer, huge, ValueError("e" * 10_000), consumer="ingress")

    (_topic, value, key), = producer.sent  # fmt: skip
    assert (letter.topic, letter.partition, letter.offset) == (huge.topic, 3, 42)
    assert letter.value == b"v" * KEPT_VALUE_BYTES and key == letter.key == b"k" * KEPT_KEY_BYTES
    assert letter.error.endswith(
        f"[key truncated to the first {KEPT_KEY_BYTES} of 5000 bytes]"
        f" [value truncated to the first {KEPT_VALUE_BYTES} of 990000 bytes]"
    )
    assert len(value or b"") < 100_000


def test_a_small_message_is_kept_whole_and_its_error_says_nothing_of_a_cut() -> None:
    letter = dead_letter_for(MESSAGE, ValueError("bad"), consumer="a", now=NOW)
    assert (letter.key, letter.value, letter.error) == (MESSAGE.key, MESSAGE.value, "bad")


def test_a_failure_of_our_own_carries_its_reason() -> None:
    letter = dead_letter_for(MESSAGE, Failure(TENANT_UNKNOWN, "no tenant"), consumer="a", now=NOW)
    assert (letter.reason, letter.error) == (TENANT_UNKNOWN, "no tenant")
