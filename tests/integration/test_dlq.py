"""`raas dlq list|replay` against the real broker: dead letters written by the real write side."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from confluent_kafka import Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from raas.clients import ensure_topics, make_consumer, make_producer
from raas.codec import CodecError, Reason
from raas.config import Settings
from raas.deadletters import KEPT_VALUE_BYTES, RawMessage, send_dead_letter
from raas.replays import REPLAY_HEADER
from raas.topics import DLQ
from tests.integration.cli import raas

pytestmark = pytest.mark.integration


def _records(settings: Settings, topic: str) -> list[Any]:
    """Every record of partition 0 of `topic`, to its end now."""
    consumer = make_consumer(settings, group_id="raas-it-dlq-read")
    _low, high = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=30)
    consumer.assign([TopicPartition(topic, 0, 0)])
    found: list[Any] = []
    position = 0  # a transaction's commit marker takes an offset and is never delivered
    while position < high:
        message = consumer.poll(1.0)
        if message is not None and message.error() is None:
            found.append(message)
        position = consumer.position([TopicPartition(topic, 0)])[0].offset
    consumer.close()
    return found


class Source:
    """A topic of one partition whose records a simulated consumer dead-letters."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.topic = f"raas.it.dlq.{uuid.uuid4().hex[:12]}"
        admin = AdminClient({"bootstrap.servers": settings.bootstrap_servers})
        admin.create_topics([NewTopic(self.topic, 1, 1)])[self.topic].result(timeout=30)
        ensure_topics(admin, [DLQ], partitions=settings.partitions)  # as a worker does

    def write(self, key: bytes, value: bytes) -> int:
        producer = Producer({"bootstrap.servers": self.settings.bootstrap_servers})
        producer.produce(self.topic, key=key, value=value)
        assert producer.flush(30) == 0
        return int(_records(self.settings, self.topic)[-1].offset())

    def dead_letter(self, offset: int) -> None:
        """What a consumer does with a record it cannot decode: the real write side."""
        [message] = [m for m in _records(self.settings, self.topic) if m.offset() == offset]
        producer = make_producer(self.settings)
        error = CodecError(Reason.BAD_MAGIC, "not Avro: the first byte is not 0")
        send_dead_letter(producer, RawMessage.of(message), error, consumer="it-consumer")
        assert producer.flush(30) == 0

    def dead_lettered(self, key: bytes, value: bytes) -> tuple[int, dict[str, Any]]:
        """A record written, dead-lettered, and its row in `raas dlq list --json`."""
        offset = self.write(key, value)
        self.dead_letter(offset)
        [row] = [row for row in self.listed() if row["offset"] == offset]
        return offset, row

    def listed(self) -> list[dict[str, Any]]:
        done = raas("dlq", "list", "--json", "--since", "1h")
        assert done.returncode == 0, done.stderr
        rows = [json.loads(line) for line in done.stdout.splitlines()]
        return [row for row in rows if row["topic"] == self.topic]


@pytest.fixture
def source(settings: Settings) -> Source:
    return Source(settings)


def _place(row: dict[str, Any]) -> str:
    return f"{row['dlq_partition']}:{row['dlq_offset']}"


def test_dlq_list_shows_a_dead_letter_decoded_with_its_source_key_error_and_bytes_in_hex(
    source: Source,
) -> None:
    offset, row = source.dead_lettered(b"85073003328", b"\x07not avro")
    assert (row["partition"], row["offset"], row["key"]) == (0, offset, "85073003328")
    assert (row["reason"], row["consumer"]) == ("BAD_MAGIC", "it-consumer")
    assert row["value_hex"] == b"\x07not avro".hex()
    assert "not Avro" in row["error"]
    assert not row["replayed"] and row["replay_of"] is None

    text = raas("dlq", "list", "--reason", "BAD_MAGIC", "--since", "1h").stdout
    assert f"{source.topic}[0]@{offset}" in text
    assert b"\x07not avro".hex() in text


def test_dlq_replay_sends_the_original_back_once_and_a_second_replay_sends_nothing(
    settings: Settings, source: Source
) -> None:
    offset, row = source.dead_lettered(b"k1", b"\x07bad bytes")

    dry = raas("dlq", "replay", "--offset", _place(row), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would replay" in dry.stdout
    assert len(_records(settings, source.topic)) == offset + 1

    first = raas("dlq", "replay", "--offset", _place(row))
    assert first.returncode == 0, first.stderr
    copies = _records(settings, source.topic)[offset + 1 :]
    assert [(c.key(), c.value()) for c in copies] == [(b"k1", b"\x07bad bytes")]
    assert dict(copies[0].headers())[REPLAY_HEADER].decode() == row["event_id"]

    again = raas("dlq", "replay", "--since", "1h")
    assert again.returncode == 0, again.stderr
    assert f"raas.dlq[{row['dlq_partition']}]@{row['dlq_offset']}: already replayed" in again.stdout
    assert len(_records(settings, source.topic)) == offset + 2
    assert source.listed()[0]["replayed"]


def test_a_dead_letter_that_kept_a_prefix_is_replayed_whole_from_its_source_offset(
    settings: Settings, source: Source
) -> None:
    original = b"\x07" + bytes(range(256)) * ((KEPT_VALUE_BYTES + 5000) // 256)
    _offset, row = source.dead_lettered(b"big", original)
    assert row["value_truncated"]
    assert len(bytes.fromhex(row["value_hex"])) == KEPT_VALUE_BYTES

    done = raas("dlq", "replay", "--offset", _place(row))
    assert done.returncode == 0, done.stderr
    assert _records(settings, source.topic)[-1].value() == original


def test_a_replay_that_fails_again_is_dead_lettered_again_and_listed_as_a_replay_of_the_first(
    settings: Settings, source: Source
) -> None:
    offset, first = source.dead_lettered(b"k2", b"\x07still bad")
    done = raas("dlq", "replay", "--offset", _place(first))
    assert done.returncode == 0, done.stderr

    source.dead_letter(offset + 1)  # the consumer fails on the replayed copy too
    rows = {row["offset"]: row for row in source.listed()}
    assert (
        rows[offset + 1]["replay_of"] == f"raas.dlq[{first['dlq_partition']}]@{first['dlq_offset']}"
    )
    assert rows[offset]["replayed"] and not rows[offset + 1]["replayed"]


def test_dlq_replay_wants_either_an_offset_or_a_since() -> None:
    assert raas("dlq", "replay").returncode == 2
    assert raas("dlq", "replay", "--offset", "x").returncode == 2
