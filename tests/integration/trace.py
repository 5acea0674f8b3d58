"""Where did a command stop? Follows request ids through the topics, for test failures."""

from __future__ import annotations

from collections import Counter

from confluent_kafka import ConsumerGroupTopicPartitions, TopicPartition

from raas import codec
from raas.clients import make_admin, make_consumer
from raas.config import Settings
from raas.topics import internal_commands_topic


def _read_all(settings: Settings, topic: str, isolation: str) -> list[tuple[int, int, bytes]]:
    consumer = make_consumer(
        settings, group_id=None, **{"isolation.level": isolation, "enable.partition.eof": True}
    )
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
        done: set[int] = set()
        out: list[tuple[int, int, bytes]] = []
        while len(done) < len(partitions):
            msg = consumer.poll(5)
            if msg is None:
                break
            if msg.error() is not None:
                done.add(msg.partition() or 0)
                continue
            out.append((msg.partition() or 0, msg.offset() or 0, msg.value() or b""))
        return out
    finally:
        consumer.close()


def trace(settings: Settings, request_ids: list[str]) -> str:
    """Say, for each missing request id, where it is on the internal commands topic, and how far
    each consumer group has committed there."""
    wanted = set(request_ids)
    topic = internal_commands_topic(settings.app_id)
    report: list[str] = []
    for isolation in ("read_committed", "read_uncommitted"):
        found: Counter[str] = Counter()
        where: dict[str, list[tuple[int, int]]] = {}
        for partition, offset, value in _read_all(settings, topic, isolation):
            try:
                request_id = codec.decode(value, codec.TENANT_COMMAND).command.request_id
            except codec.CodecError:
                continue
            if request_id in wanted:
                found[request_id] += 1
                where.setdefault(request_id, []).append((partition, offset))
        report.append(
            f"{isolation}: {len(found)} of {len(wanted)} missing ids on {topic}; "
            f"e.g. {sorted(where.items())[:8]}"
        )
    admin = make_admin(settings)
    for group in (settings.app_id, f"{settings.app_id}-ingress"):
        try:
            result = admin.list_consumer_group_offsets(
                [ConsumerGroupTopicPartitions(group)], request_timeout=10
            )[group].result(timeout=15)
            committed = [(tp.topic, tp.partition, tp.offset) for tp in result.topic_partitions]
            report.append(f"group {group}: {sorted(committed)}")
        except Exception as exc:  # a report, not a check: say what failed
            report.append(f"group {group}: {exc}")
    return "\n".join(report)
