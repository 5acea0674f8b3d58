"""The ingress's quiet partitions: paused while no record comes, resumed once one waits.

Each fetch of the ingress names every partition it fetches (librdkafka sends full fetches, no
KIP-227 sessions), so an idle tenant costs the broker per fetch. A partition that has had no
record for `quiet_after` seconds is paused; every `watch_interval` seconds the end offsets of all
paused partitions are asked in one request, and a partition whose end is past the consumer's
position is resumed (active again, paused again after `quiet_after` of silence). Pausing keeps
the position, so nothing is skipped or read twice; a paused tenant's command waits up to about
`watch_interval` (and a lookup) longer.

`QuietPartitions` is the bookkeeping, pure (a clock is given). `PartitionPauser` applies it to
the ingress's consumer, from the ingress's own thread (the thread that owns the consumer).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from confluent_kafka import Consumer, IsolationLevel, KafkaException, Message, TopicPartition
from confluent_kafka.admin import AdminClient, OffsetSpec  # type: ignore[attr-defined]

from raas import metrics

log = logging.getLogger(__name__)
Key = tuple[str, int]  # (topic, partition)
QUIET_AFTER = 10.0  # seconds without a record before a partition is paused (default)
WATCH_INTERVAL = 1.0  # seconds between two lookups of the paused partitions' end offsets
LOOKUP_TIMEOUT = 5.0  # seconds for that lookup; when it fails every paused partition resumes
LATEST: Any = OffsetSpec.latest()  # type: ignore[no-untyped-call]


class QuietPartitions:
    """Which partitions are active (and when each last had a record) and which are paused (and
    the offset each was read up to when it was paused)."""

    def __init__(
        self,
        quiet_after: float = QUIET_AFTER,
        watch_interval: float = WATCH_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._quiet_after = quiet_after
        self._watch_interval = watch_interval
        self._clock = clock
        self._heard: dict[Key, float] = {}  # active partition -> when it last had a record
        self._paused: dict[Key, int] = {}  # paused partition -> the offset read up to then
        self._next_watch = self._next_scan = clock()

    @property
    def paused(self) -> frozenset[Key]:
        return frozenset(self._paused)

    def assigned(self, keys: Iterable[Key]) -> None:
        """A newly assigned partition starts active, as if it had just had a record."""
        now = self._clock()
        for key in keys:
            self._paused.pop(key, None)
            self._heard[key] = now

    def revoked(self, keys: Iterable[Key]) -> None:
        """A revoked partition is forgotten, paused or not."""
        for key in keys:
            self._paused.pop(key, None)
            self._heard.pop(key, None)

    def heard(self, keys: Iterable[Key]) -> None:
        """Records came from these partitions: an active one's silence starts again."""
        now = self._clock()
        for key in keys:
            if key in self._heard:
                self._heard[key] = now

    def quiet(self) -> list[Key]:
        """The active partitions silent for `quiet_after` seconds or more: to be paused now.
        Looked for once per `watch_interval` (the ingress asks after every poll)."""
        now = self._clock()
        if now < self._next_scan:
            return []
        self._next_scan = now + self._watch_interval
        return sorted(k for k, when in self._heard.items() if now - when >= self._quiet_after)

    def pause(self, read_up_to: Mapping[Key, int]) -> None:
        """These partitions are paused, each read up to its offset (the next it would read)."""
        for key, offset in read_up_to.items():
            if key in self._heard:
                del self._heard[key]
                self._paused[key] = offset

    def to_watch(self) -> list[Key]:
        """Every paused partition, once per `watch_interval`: their end offsets are to be asked
        in one lookup. Empty between two watches, and when none is paused."""
        now = self._clock()
        if not self._paused or now < self._next_watch:
            return []
        self._next_watch = now + self._watch_interval
        return sorted(self._paused)

    def to_resume(self, ends: Mapping[Key, int], positions: Mapping[Key, int]) -> list[Key]:
        """The paused partitions with a record waiting, now active again: their end offset is past
        what was read (the consumer's position, or the offset noted when paused when that is
        further or the position unknown). A partition whose end is unknown is resumed too."""
        waiting = sorted(
            key
            for key, noted in self._paused.items()
            if key not in ends or ends[key] > max(noted, positions.get(key, noted))
        )
        return self.resume(waiting)

    def resume(self, keys: Iterable[Key]) -> list[Key]:
        """These paused partitions are active again; returns those that were paused."""
        now = self._clock()
        resumed = [key for key in keys if self._paused.pop(key, None) is not None]
        self._heard.update(dict.fromkeys(resumed, now))
        return resumed


class PartitionPauser:
    """Pauses the consumer's quiet partitions and resumes those with records waiting. Call it
    from the thread that owns the consumer only."""

    def __init__(
        self,
        consumer: Consumer,
        ends: Callable[[list[Key]], dict[Key, int]],
        quiet: QuietPartitions,
    ) -> None:
        self._consumer = consumer
        self._ends = ends
        self._quiet = quiet
        self.lookups = 0  # end offset lookups so far, each for every paused partition

    @property
    def paused(self) -> frozenset[Key]:
        return self._quiet.paused

    def assigned(self, partitions: list[TopicPartition]) -> None:
        """librdkafka keeps a partition's pause across a revoke and a new assignment (seen with
        librdkafka 2.16): every assigned partition is assigned and resumed here, in `on_assign`."""
        self._consumer.assign(partitions)
        if partitions:
            self._consumer.resume(partitions)
        self._quiet.assigned(_keys(partitions))

    def revoked(self, partitions: list[TopicPartition]) -> None:
        self._quiet.revoked(_keys(partitions))
        metrics.paused_partitions(len(self._quiet.paused))

    def heard(self, batch: list[Message]) -> None:
        self._quiet.heard((m.topic() or "", m.partition() or 0) for m in batch)

    def tick(self) -> None:
        """Pause the partitions gone quiet; once per watch interval, resume those with records."""
        quiet = self._quiet.quiet()
        if quiet:
            self._pause(quiet)
        watched = self._quiet.to_watch()
        if not watched:
            return
        self.lookups += 1
        try:
            ends = self._ends(watched)
        except Exception as exc:  # unknown ends: everything resumes, nothing waits unseen
            log.warning("ingress: no end offsets for its paused partitions, resuming them: %s", exc)
            ends = {}
        resumed = self._quiet.to_resume(ends, self._positions(watched))
        if resumed:
            self._consumer.resume(_partitions(resumed))
            metrics.paused_partitions(len(self._quiet.paused))

    def resume_all(self) -> None:
        """Resume every paused partition (after a rewind: positions went back)."""
        resumed = self._quiet.resume(self._quiet.paused)
        if resumed:
            self._consumer.resume(_partitions(resumed))
            metrics.paused_partitions(len(self._quiet.paused))

    def _pause(self, keys: list[Key]) -> None:
        """Pause `keys`, noting how far each was read: its position, or its committed offset while
        nothing was read since the assignment (the fetch started there), else 0."""
        read_up_to = self._positions(keys)
        unread = [k for k in keys if k not in read_up_to]
        if unread:
            committed = self._consumer.committed(_partitions(unread), timeout=LOOKUP_TIMEOUT)
            read_up_to.update({(tp.topic, tp.partition): max(tp.offset, 0) for tp in committed})
        self._consumer.pause(_partitions(keys))
        self._quiet.pause(read_up_to)
        metrics.paused_partitions(len(self._quiet.paused))
        log.debug("ingress: paused %d quiet partitions", len(keys))

    def _positions(self, keys: list[Key]) -> dict[Key, int]:
        """The consumer's positions of `keys`, those it knows (none before a first record)."""
        positions = self._consumer.position(_partitions(keys))
        return {(tp.topic, tp.partition): tp.offset for tp in positions if tp.offset >= 0}


def latest_offsets(admin: AdminClient, keys: list[Key]) -> dict[Key, int]:
    """The end offsets (of committed records) of `keys`, in one ListOffsets request (one per
    leader broker); a partition whose lookup failed is left out."""
    futures = admin.list_offsets(
        {TopicPartition(t, p): LATEST for t, p in keys},
        isolation_level=IsolationLevel.READ_COMMITTED,
        request_timeout=LOOKUP_TIMEOUT,
    )
    ends: dict[Key, int] = {}
    for tp, future in futures.items():
        try:
            ends[(tp.topic, tp.partition)] = future.result(timeout=LOOKUP_TIMEOUT).offset
        except KafkaException as exc:
            log.debug("ingress: no end offset for %s[%d]: %s", tp.topic, tp.partition, exc)
    return ends


def _keys(partitions: list[TopicPartition]) -> list[Key]:
    return [(tp.topic, tp.partition) for tp in partitions]


def _partitions(keys: Iterable[Key]) -> list[TopicPartition]:
    return [TopicPartition(t, p) for t, p in keys]
