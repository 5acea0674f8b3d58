"""The topic follower and the onboarding check, against a hand-written consumer.

The real broker runs them in tests/integration/test_cli_strict.py; here a small fake shows the
rules: partitions there at the start are read from their end, partitions that appear later from
their beginning, and a tenant missing a topic is refused before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from confluent_kafka import OFFSET_BEGINNING, TopicPartition

from raas import tenant_client
from raas.tenant_client import NotOnboarded, TopicFollower, require_onboarded

TOPIC = "raas.tenant.0403019261.results"


@dataclass
class Record:
    key_: bytes
    value_: bytes

    def error(self) -> None:
        return None

    def key(self) -> bytes:
        return self.key_

    def value(self) -> bytes:
        return self.value_


@dataclass
class TopicMetadata:
    partitions: dict[int, object]


@dataclass
class ClusterMetadata:
    topics: dict[str, TopicMetadata]


@dataclass
class FakeConsumer:
    """Topics with partition counts and end offsets; records handed out once a partition is read."""

    partitions: dict[str, int] = field(default_factory=dict)
    waiting: dict[int, list[Record]] = field(default_factory=dict)
    reading: list[TopicPartition] = field(default_factory=list)
    on_poll: list[Any] = field(default_factory=list)  # callables run at the next polls, in order

    def list_topics(self, topic: str, timeout: float) -> ClusterMetadata:
        count = self.partitions.get(topic, 0)
        return ClusterMetadata({topic: TopicMetadata({p: object() for p in range(count)})})

    def get_watermark_offsets(self, tp: TopicPartition, timeout: float) -> tuple[int, int]:
        return 0, 7

    def assign(self, partitions: list[TopicPartition]) -> None:
        self.reading = list(partitions)

    def incremental_assign(self, partitions: list[TopicPartition]) -> None:
        self.reading += partitions

    def poll(self, timeout: float) -> Record | None:
        if self.on_poll:
            self.on_poll.pop(0)()
        for tp in self.reading:
            if self.waiting.get(tp.partition):
                return self.waiting[tp.partition].pop(0)
        return None


@pytest.fixture(autouse=True)
def no_wait_between_looks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tenant_client, "METADATA_INTERVAL", 0.0)


def _offsets(consumer: FakeConsumer) -> dict[int, int]:
    return {tp.partition: tp.offset for tp in consumer.reading}


def test_partitions_there_at_the_start_are_read_from_their_end() -> None:
    consumer = FakeConsumer({TOPIC: 2})
    TopicFollower(consumer, TOPIC).start()  # type: ignore[arg-type]
    assert _offsets(consumer) == {0: 7, 1: 7}


def test_a_topic_that_appears_while_waiting_is_read_from_its_beginning() -> None:
    consumer = FakeConsumer()
    follower = TopicFollower(consumer, TOPIC)  # type: ignore[arg-type]
    follower.start()
    assert consumer.reading == []

    def create_topic_with_the_answer() -> None:
        consumer.partitions[TOPIC] = 2
        consumer.waiting[1] = [Record(b"other", b"x"), Record(b"mine", b"answer")]

    consumer.on_poll.append(create_topic_with_the_answer)
    assert follower.wait_for(b"mine", timeout=30) == b"answer"
    assert _offsets(consumer) == {0: OFFSET_BEGINNING, 1: OFFSET_BEGINNING}


def test_a_partition_added_while_waiting_is_read_from_its_beginning() -> None:
    consumer = FakeConsumer({TOPIC: 1})
    follower = TopicFollower(consumer, TOPIC)  # type: ignore[arg-type]
    follower.start()
    consumer.partitions[TOPIC] = 2
    consumer.waiting[1] = [Record(b"mine", b"answer")]
    assert follower.wait_for(b"mine", timeout=30) == b"answer"
    assert _offsets(consumer) == {0: 7, 1: OFFSET_BEGINNING}


def test_no_answer_within_the_timeout_is_none() -> None:
    consumer = FakeConsumer({TOPIC: 1})
    follower = TopicFollower(consumer, TOPIC)  # type: ignore[arg-type]
    follower.start()
    assert follower.wait_for(b"mine", timeout=0.05) is None


@pytest.mark.parametrize(
    ("kinds", "missing"),
    [
        ((), "raas.tenant.0403019261.commands and raas.tenant.0403019261.results do not exist"),
        (("commands",), "raas.tenant.0403019261.results does not exist"),
        (("results",), "raas.tenant.0403019261.commands does not exist"),
    ],
)
def test_a_tenant_missing_a_topic_is_not_onboarded_and_told_to_run_tenant_add(
    kinds: tuple[str, ...], missing: str
) -> None:
    consumer = FakeConsumer({f"raas.tenant.0403019261.{kind}": 1 for kind in kinds})
    with pytest.raises(NotOnboarded) as refused:
        require_onboarded(consumer, "0403019261")  # type: ignore[arg-type]
    assert missing in str(refused.value)
    assert "`raas tenant add 0403019261`" in str(refused.value)


def test_a_tenant_with_both_topics_is_onboarded() -> None:
    consumer = FakeConsumer(
        {"raas.tenant.0403019261.commands": 1, "raas.tenant.0403019261.results": 1}
    )
    require_onboarded(consumer, "0403019261")  # type: ignore[arg-type]


def test_a_follower_from_the_start_reads_the_partitions_there_from_their_beginning() -> None:
    consumer = FakeConsumer({TOPIC: 2})
    TopicFollower(consumer, TOPIC).start(from_end=False)  # type: ignore[arg-type]
    assert _offsets(consumer) == {0: OFFSET_BEGINNING, 1: OFFSET_BEGINNING}
