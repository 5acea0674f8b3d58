"""Offsets as `raas status` asks the broker: a group's committed ones, a partition's ends."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from confluent_kafka import (
    OFFSET_INVALID,
    ConsumerGroupTopicPartitions,
    IsolationLevel,
    TopicPartition,
)
from confluent_kafka.admin import AdminClient, OffsetSpec  # type: ignore[attr-defined]

TIMEOUT = 10.0
LATEST: Any = OffsetSpec.latest()  # type: ignore[no-untyped-call]
EARLIEST: Any = OffsetSpec.earliest()  # type: ignore[no-untyped-call]


def committed(admin: AdminClient, group_id: str) -> list[TopicPartition]:
    """The group's committed offsets, of the partitions it committed at all."""
    request = [ConsumerGroupTopicPartitions(group_id)]
    offsets = admin.list_consumer_group_offsets(request, request_timeout=TIMEOUT)[group_id]
    return [
        tp for tp in offsets.result(timeout=TIMEOUT).topic_partitions if tp.offset != OFFSET_INVALID
    ]


def offsets_at(
    admin: AdminClient, partitions: Iterable[TopicPartition], spec: Any
) -> dict[tuple[str, int], int]:
    """Offsets of `spec` per partition, as Kafka's tools read them (read_uncommitted)."""
    wanted = {TopicPartition(tp.topic, tp.partition): spec for tp in partitions}
    if not wanted:
        return {}
    futures = admin.list_offsets(
        wanted, isolation_level=IsolationLevel.READ_UNCOMMITTED, request_timeout=TIMEOUT
    )
    return {(tp.topic, tp.partition): f.result(timeout=TIMEOUT).offset for tp, f in futures.items()}
