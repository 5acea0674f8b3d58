"""What `raas status` shows, and the rules that turn it into an exit code (pure: no I/O).

Lag is counted as Kafka's own `kafka-consumer-groups --describe` counts it: the partition's end
offset (its high watermark) minus the group's committed offset. On a topic written in
transactions (the ingress writes `<app>-tenant-commands` so) the last offset is often a commit
marker, which no consumer ever receives, so a caught-up partition can show a lag of 1. Whether
a lagging partition really waits is therefore decided by reading it: `waiting_since` is the
timestamp of the first committed record after the group's offset, None when there is none.
A partition is **stalled** when that record is older than the stall bound and the group's
offset did not move while `raas status` looked again a few seconds later: a worker that keeps up
moves its offset past a record within seconds, and one that is merely behind moves it too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import IntEnum
from typing import Any


class Health(IntEnum):
    """The exit code of `raas status` (contracts.md: 1 an error, 4 infrastructure down)."""

    HEALTHY = 0
    STALLED = 1
    DOWN = 4


@dataclass(frozen=True, slots=True)
class Service:
    name: str
    address: str | None
    version: str | None
    up: bool


@dataclass(frozen=True, slots=True)
class Member:
    """One member of a consumer group: a worker, an ingress, a sink."""

    client_id: str
    host: str
    partitions: tuple[str, ...]  # "topic[p]"


@dataclass(frozen=True, slots=True)
class PartitionLag:
    topic: str
    partition: int
    committed: int
    end: int
    waiting_since: float | None = None  # epoch seconds of the first record still to process
    moved: bool = False  # the committed offset moved when looked at again

    @property
    def lag(self) -> int:
        return max(self.end - self.committed, 0)


@dataclass(frozen=True, slots=True)
class Group:
    group_id: str
    state: str
    members: tuple[Member, ...]
    partitions: tuple[PartitionLag, ...]
    offsets: str = "kafka"  # where `committed` comes from: Kafka, or the sinks' database

    def lag_by_topic(self) -> dict[str, int]:
        """The group's lag summed per topic, as `kafka-consumer-groups --describe` adds it up."""
        totals: dict[str, int] = {}
        for p in self.partitions:
            totals[p.topic] = totals.get(p.topic, 0) + p.lag
        return totals


@dataclass(frozen=True, slots=True)
class Status:
    services: tuple[Service, ...]
    groups: tuple[Group, ...] = ()
    commands_per_second: float = 0.0  # commands written to the tenants' topics, last minute
    results_per_second: float = 0.0  # results written to the tenants' topics, last minute
    dead_letters_last_hour: int = 0
    taken_at: float = 0.0  # epoch seconds

    def to_json(self, stall_seconds: float) -> dict[str, Any]:
        data = asdict(self)
        for group, original in zip(data["groups"], self.groups, strict=True):
            group["lag_by_topic"] = original.lag_by_topic()
            for part, p in zip(group["partitions"], original.partitions, strict=True):
                part["lag"] = p.lag
        data["oldest_waiting"] = oldest_waiting(self)
        data["stalled"] = [f"{g}: {p}" for g, p in stalled_partitions(self, stall_seconds)]
        data["health"] = health(self, stall_seconds).name
        return data


def stalled(partition: PartitionLag, now: float, stall_seconds: float) -> bool:
    """True when the partition's first record still to process is older than `stall_seconds`
    and its committed offset did not move: a backlog being worked off is not a stall."""
    if partition.waiting_since is None or partition.moved:
        return False
    return now - partition.waiting_since > stall_seconds


def stalled_partitions(status: Status, stall_seconds: float) -> list[tuple[str, str]]:
    """(group, "topic[partition]") of every stalled partition."""
    return [
        (g.group_id, f"{p.topic}[{p.partition}]")
        for g in status.groups
        for p in g.partitions
        if stalled(p, status.taken_at, stall_seconds)
    ]


def oldest_waiting(status: Status) -> dict[str, Any] | None:
    """The record that has waited longest for a group, with how long: the oldest unanswered."""
    waiting = [
        (p.waiting_since, g.group_id, p)
        for g in status.groups
        for p in g.partitions
        if p.waiting_since is not None
    ]
    if not waiting:
        return None
    since, group, p = min(waiting, key=lambda w: w[0])
    return {
        "group": group,
        "topic": p.topic,
        "partition": p.partition,
        "offset": p.committed,
        "waiting_seconds": round(status.taken_at - since, 3),
    }


def health(status: Status, stall_seconds: float) -> Health:
    """DOWN when a service is down, STALLED when a partition is, else HEALTHY."""
    if not all(s.up for s in status.services):
        return Health.DOWN
    if stalled_partitions(status, stall_seconds):
        return Health.STALLED
    return Health.HEALTHY
