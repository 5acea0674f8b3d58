"""Where did a command stop? Follows request ids through the topics, for test failures."""

from __future__ import annotations

from collections import Counter

from confluent_kafka import ConsumerGroupTopicPartitions, TopicPartition

from raas import codec
from raas.clients import make_admin, make_consumer
from raas.config import Settings
from raas.topics import AUTHENTIC_PERSONS, internal_commands_topic, internal_persons_topic


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


def _committed(settings: Settings, group: str) -> str:
    """The offsets `group` has committed, or why they could not be read."""
    admin = make_admin(settings)  # held: a client destroyed early fails its futures
    try:
        request = [ConsumerGroupTopicPartitions(group)]
        future = admin.list_consumer_group_offsets(request, request_timeout=10)[group]
        result = future.result(timeout=15)
    except Exception as exc:  # a report, not a check: say what failed
        return f"group {group}: {exc}"
    committed = [(tp.topic, tp.partition, tp.offset) for tp in result.topic_partitions]
    return f"group {group}: {sorted(committed)}"


def trace_person(settings: Settings, insz: str) -> str:
    """Say where an identity is on its way to the persons table, and how far the group got."""
    report = []
    for topic in (AUTHENTIC_PERSONS, internal_persons_topic(settings.app_id)):
        where = [
            (partition, offset)
            for partition, offset, value in _read_all(settings, topic, "read_committed")
            if insz.encode() in value
        ]
        report.append(f"{insz} on {topic} at (partition, offset) {where}")
    report.append(_committed(settings, settings.app_id))
    return "\n".join(report)


def trace(settings: Settings, request_ids: list[str]) -> str:
    """Say, for each request id (missing, or answered twice), where it is on the internal
    commands topic, committed and not, and how far each consumer group has committed there."""
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
            f"{isolation}: {len(found)} of {len(wanted)} ids on {topic}, "
            f"{sum(found.values())} copies; "
            f"e.g. {sorted(where.items())[:8]}"
        )
    report += [_committed(settings, g) for g in (settings.app_id, f"{settings.app_id}-ingress")]
    return "\n".join(report)
