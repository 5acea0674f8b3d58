"""`raas status` asks the broker: groups and members, committed and end offsets, recent rates.

Everything comes from one AdminClient and one consumer that joins no group (it only reads, by
assignment, the first record still waiting on each lagging partition). Groups are those of this
deployment: the app id itself (the Faust workers) and every group named `<app id>-...` (the
ingress, the sinks, ...). The sinks keep their offsets in the database, not in Kafka: their
lag is read from there (`sink_lag`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from confluent_kafka import KafkaError, TopicPartition
from confluent_kafka.admin import AdminClient, OffsetSpec  # type: ignore[attr-defined]

from raas.clients import make_admin, make_consumer
from raas.config import Settings
from raas.status.offsets import LATEST, TIMEOUT, committed, offsets_at
from raas.status.report import Group, Member, PartitionLag, Status, stalled_partitions
from raas.status.services import services
from raas.status.sink_lag import read_database, sink_groups, sink_name
from raas.topics import DLQ

RECHECK = 5.0  # seconds before a partition that looks stalled is looked at again
RATE_WINDOW = 60.0  # seconds: commands per second over the last minute
DLQ_WINDOW = 3600.0  # seconds: dead letters of the last hour
_TENANT_TOPIC = re.compile(r"^raas\.tenant\.[01][0-9]{9}\.(commands|results)$")
Offsets = dict[tuple[str, int], int]


def take(settings: Settings, stall_seconds: float = 60.0) -> Status:
    """The status of the deployment of `settings.app_id`; services only when the broker is down.

    Partitions that look stalled (a record waiting longer than `stall_seconds`) are looked at
    again after RECHECK seconds: those whose committed offset moved meanwhile are only behind.
    """
    database, stored = read_database(settings.database_url)
    found = tuple(services(settings)) + ((database,) if database else ())
    if not found[0].up:
        return Status(services=found, taken_at=time.time())
    admin = make_admin(settings)
    now = time.time()
    topics = admin.list_topics(timeout=TIMEOUT).topics
    listed = {g: _group(admin, g) for g in _our_groups(admin, settings.app_id)}
    sinks = {g.group_id: g for g in sink_groups(admin, topics, settings.app_id, listed, stored)}
    groups = tuple(_with_waiting(settings, g) for _id, g in sorted({**listed, **sinks}.items()))

    def offsets_now(group: Group) -> Offsets:
        if group.offsets == "database":
            again = read_database(settings.database_url)[1]
            return again.get(sink_name(settings.app_id, group.group_id), {})
        return {(tp.topic, tp.partition): tp.offset for tp in committed(admin, group.group_id)}

    groups = _recheck(
        Status(services=found, groups=groups, taken_at=now), stall_seconds, offsets_now
    )
    tenant = {kind: [t for t in topics if _kind(t) == kind] for kind in ("commands", "results")}
    return Status(
        services=found,
        groups=groups,
        commands_per_second=_since(admin, topics, tenant["commands"], now - RATE_WINDOW)
        / RATE_WINDOW,
        results_per_second=_since(admin, topics, tenant["results"], now - RATE_WINDOW)
        / RATE_WINDOW,
        dead_letters_last_hour=_since(
            admin, topics, [DLQ] if DLQ in topics else [], now - DLQ_WINDOW
        ),
        taken_at=now,
    )


def _kind(topic: str) -> str | None:
    match = _TENANT_TOPIC.match(topic)
    return match.group(1) if match else None


def _our_groups(admin: AdminClient, app_id: str) -> list[str]:
    listed = admin.list_consumer_groups(request_timeout=TIMEOUT).result(timeout=TIMEOUT)
    ids = [g.group_id for g in listed.valid]
    return sorted(g for g in ids if g == app_id or g.startswith(f"{app_id}-"))


def _group(admin: AdminClient, group_id: str) -> Group:
    described = admin.describe_consumer_groups([group_id], request_timeout=TIMEOUT)[group_id]
    description = described.result(timeout=TIMEOUT)
    members = tuple(
        Member(
            client_id=m.client_id,
            host=m.host,
            partitions=tuple(
                f"{tp.topic}[{tp.partition}]"
                for tp in sorted(
                    m.assignment.topic_partitions, key=lambda tp: (tp.topic, tp.partition)
                )
            ),
        )
        for m in sorted(description.members, key=lambda m: m.client_id)
    )
    offsets = committed(admin, group_id)
    ends = offsets_at(admin, offsets, LATEST)
    return Group(
        group_id=group_id,
        state=description.state.name,
        members=members,
        partitions=tuple(
            PartitionLag(tp.topic, tp.partition, tp.offset, ends[(tp.topic, tp.partition)])
            for tp in sorted(offsets, key=lambda tp: (tp.topic, tp.partition))
        ),
    )


def _recheck(
    first: Status, stall_seconds: float, offsets_now: Callable[[Group], Offsets]
) -> tuple[Group, ...]:
    """The groups, each partition that looked stalled marked `moved` if its offset moved since."""
    suspects = stalled_partitions(first, stall_seconds)
    if not suspects:
        return first.groups
    time.sleep(RECHECK)
    groups = []
    for group in first.groups:
        if group.group_id not in {g for g, _where in suspects}:
            groups.append(group)
            continue
        now = offsets_now(group)
        partitions = tuple(
            replace(p, moved=now.get((p.topic, p.partition), p.committed) > p.committed)
            for p in group.partitions
        )
        groups.append(replace(group, partitions=partitions))
    return tuple(groups)


def _since(admin: AdminClient, metadata: dict[str, Any], topics: list[str], since: float) -> int:
    """How many offsets `topics` gained since the epoch second `since` (markers included)."""
    partitions = [TopicPartition(t, p) for t in topics for p in metadata[t].partitions]
    ends = offsets_at(admin, partitions, LATEST)
    starts = offsets_at(admin, partitions, OffsetSpec.for_timestamp(int(since * 1000)))
    # no record since then: the timestamp lookup answers -1, nothing was added
    return sum(ends[tp] - starts[tp] for tp in ends if starts[tp] >= 0)


def _with_waiting(settings: Settings, group: Group) -> Group:
    """`group` with, on each lagging partition, the timestamp of its first record still to read.

    Read with read_committed from the committed offset: a lag made only of commit markers (or of
    aborted records) reaches the end of the partition without a record, so nothing waits there.
    """
    lagging = [p for p in group.partitions if p.lag > 0]
    if not lagging:
        return group
    consumer = make_consumer(
        settings, group_id=f"{settings.app_id}-status-unused", **{"enable.partition.eof": True}
    )
    first: dict[tuple[str, int], float | None] = {}
    try:
        consumer.assign([TopicPartition(p.topic, p.partition, p.committed) for p in lagging])
        deadline = time.monotonic() + TIMEOUT
        while len(first) < len(lagging) and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                continue
            where = (message.topic() or "", message.partition() or 0)
            if where in first:
                continue
            error = message.error()
            if error is not None and error.code() == KafkaError._PARTITION_EOF:
                first[where] = None
            elif error is None:
                first[where] = message.timestamp()[1] / 1000
    finally:
        consumer.close()
    partitions = tuple(
        replace(p, waiting_since=first.get((p.topic, p.partition))) for p in group.partitions
    )
    return replace(group, partitions=partitions)
