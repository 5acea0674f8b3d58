"""A stalled-partition watchdog: a partition with work left and no progress is sought again.

Faust has open reports of assigned partitions that are never fetched after a rebalance
(faust-streaming #471, #166) and of runs of messages never delivered after recovery (#596). Our
integration tests met both: a worker took over partitions and answered none of their commands
until it was restarted. Whatever the cause, the way out is the one a restart takes: seek the
partition back to its committed offset. Everything after it is processed again, which is safe:
a command seen before gets its stored answer again, with the same event id.

The rule is a pure function of two samples taken a few seconds apart, so it is unit-tested;
the timer that takes the samples and seeks is thin.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)
INTERVAL = 15.0  # seconds between samples; a commit happens every second when there is work


@dataclass(frozen=True, slots=True)
class Progress:
    """What the consumer knows of one partition at one moment."""

    read: int | None  # the last offset delivered to the agents
    committed: int | None  # the next offset to read after a restart
    end: int  # the partition's end offset on the broker
    in_flight: int  # delivered and not yet acked
    acked: int  # acked and not yet committed
    start: int = 0  # the partition's first offset: where a partition never committed begins

    @property
    def origin(self) -> int:
        """Where a restart would read from: the committed offset, or the first one."""
        return self.committed if self.committed is not None else self.start


def stalled(before: Progress, now: Progress) -> bool:
    """True when nothing moved between the two samples although there is work only a seek frees.

    Either offsets wait beyond the last one delivered (two or more, since the last offset of a
    partition written in transactions is often a commit marker that is never delivered), or
    acked offsets wait behind a hole at the committed offset that nothing in flight will fill.
    A partition never committed and never delivered from is stalled as soon as it holds a record:
    our CI saw one whose only record, at offset 0, was never delivered to either worker.
    """
    if now.in_flight:
        return False  # the agent is busy
    if (now.read, now.committed, now.acked) != (before.read, before.committed, before.acked):
        return False
    if now.committed is None and now.read is None:
        return now.end > now.start
    last_delivered = now.read if now.read is not None else now.origin - 1
    unread = now.end - (max(last_delivered, now.origin - 1) + 1)
    return unread >= 2 or now.acked > 0


def stalled_partitions(before: Mapping[Any, Progress], now: Mapping[Any, Progress]) -> list[Any]:
    """The partitions stalled between the two samples, in a stable order."""
    return sorted((tp for tp, p in now.items() if tp in before and stalled(before[tp], p)), key=str)


def install(app: Any, topics: Iterable[str]) -> None:
    """Run the watchdog on `app` for the stream partitions of `topics`."""
    watched = set(topics)
    last: dict[Any, Progress] = {}

    async def watch_partitions() -> None:
        consumer = app.consumer
        if app.rebalancing or app.in_recovery:
            last.clear()
            return
        tps = [tp for tp in consumer.assignment() if tp.topic in watched]
        if not tps:
            return
        ends = await consumer.highwaters(*tps)
        never_committed = [tp for tp in tps if consumer._committed_offset.get(tp) is None]
        starts = await consumer.earliest_offsets(*never_committed) if never_committed else {}
        in_flight: dict[Any, int] = {}
        for message in list(consumer._unacked_messages):
            in_flight[message.tp] = in_flight.get(message.tp, 0) + 1
        now = {
            tp: Progress(
                read=consumer._read_offset.get(tp),
                committed=consumer._committed_offset.get(tp),
                end=ends.get(tp, 0),
                in_flight=in_flight.get(tp, 0),
                acked=len(consumer._acked.get(tp, ())),
                start=starts.get(tp, 0),
            )
            for tp in tps
        }
        for tp in stalled_partitions(last, now):
            offset = now[tp].origin
            log.warning(
                "partition %s made no progress (%s): seeking to where a restart would read, %s",
                tp,
                now[tp],
                offset,
            )
            consumer._acked.pop(tp, None)
            consumer._acked_index.pop(tp, None)
            consumer._gap.pop(tp, None)
            await consumer.seek(tp, offset)
            consumer.resume_partitions({tp})
            now.pop(tp)
        last.clear()
        last.update(now)

    async def watch() -> None:
        try:
            await watch_partitions()
        except Exception:  # a watchdog must never be what stops the worker
            log.exception("partition watchdog failed; trying again in %s s", INTERVAL)

    app.timer(interval=INTERVAL)(watch)
