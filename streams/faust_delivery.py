"""Fix 8, the Faust side (`streams.faust_fetches` tells the whole story): each partition's
expected offset, the first one not yet accounted for, set by every seek; a record is delivered
only when everything before it is accounted for, the offsets its batch covers without a record
become gaps, and records taken but not delivered are read again."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, TypeVar

from faust.transport.consumer import Consumer, ThreadDelegateConsumer, ensure_TP

from streams.faust_fetches import Fetched

log = logging.getLogger(__name__)
T = TypeVar("T")
_upstream_getmany = Consumer.getmany
_upstream_wait_next_records = Consumer._wait_next_records
_upstream_seek = Consumer.seek
_upstream_seek_wait = ThreadDelegateConsumer.seek_wait


def kept(consumer: Any, name: str, make: Callable[[], T]) -> T:
    """What this module keeps on Faust's consumer under `name`, made at first use."""
    value: T | None = getattr(consumer, name, None)
    if value is None:
        value = make()
        setattr(consumer, name, value)
    return value


def expected_offsets(consumer: Any) -> dict[Any, int]:
    """Per partition, the first offset not yet accounted for (delivered, or known empty)."""
    return kept(consumer, "_expected_offset", dict)


def unplaced_partitions(consumer: Any) -> set[Any]:
    """Partitions whose records were taken and not delivered while their expected offset was
    not known: the seek that sets it must be done again."""
    return kept(consumer, "_unplaced_partitions", set)


def tracked(consumer: Any, fetched: Mapping[Any, Any]) -> dict[Any, Fetched]:
    """The fetched batches this fix accounts for: those that carry their span, of topics whose
    offsets are acked (a topic's status looked up once per partition and fetch)."""
    acks = consumer.app.topics.acks_enabled_for
    return {tp: b for tp, b in fetched.items() if isinstance(b, Fetched) and acks(tp.topic)}


def accept(consumer: Any, tp: Any, batch: Fetched, index: int) -> bool:
    """Whether `batch[index]` may be delivered: everything before it is accounted for (its batch
    starts at the expected offset, or the record before it in the batch was delivered). If so,
    the offsets its span covers without a record become gaps (counted as processed), and the
    expected offset moves past it, or past the batch after its last record."""
    expected = expected_offsets(consumer)
    offset: int = batch[index].offset
    low = batch.start if index == 0 else batch[index - 1].offset + 1
    known = expected.get(tp)
    if known is not None and known != low:
        return False
    gaps = consumer._gap[tp]
    if known is not None and offset > low:
        gaps.addi(low, offset)
    last = index == len(batch) - 1
    if last and batch.end > offset + 1:
        gaps.addi(offset + 1, batch.end)
    expected[tp] = batch.end if last else offset + 1
    return True


def index_of(batch: Fetched, offset: int, start: int) -> int | None:
    """Where the record at `offset` is in `batch`, looking from `start` on (records come in
    order, some perhaps skipped)."""
    i = start
    while i < len(batch) and batch[i].offset < offset:
        i += 1
    return i if i < len(batch) and batch[i].offset == offset else None


async def wait_next_records(self: Any, timeout: float) -> tuple[Any, Any]:
    """Upstream `Consumer._wait_next_records`; the batches and the generation they were taken
    in are kept for `getmany`."""
    records, active = await _upstream_wait_next_records(self, timeout)
    self._fetched_now = (records or {}, self.app.consumer_generation_id)
    return records, active


async def getmany(self: Any, timeout: float) -> AsyncIterator[tuple[Any, Any]]:
    """Upstream `Consumer.getmany`, delivering a record only when everything before it is
    accounted for; then the partitions whose records were not all delivered are read again."""
    self._fetched_now = ({}, None)
    batches: dict[Any, Fetched] | None = None  # set once the fetch is in
    looked: dict[Any, int] = {}  # per partition, how far into its batch the records came
    async for tp, message in _upstream_getmany(self, timeout):
        if batches is None:
            batches = tracked(self, self._fetched_now[0])
        batch = batches.get(tp)
        if batch is None:
            yield tp, message
            continue
        index = index_of(batch, message.offset, looked.get(tp, 0))
        if index is not None:
            looked[tp] = index + 1
            if accept(self, tp, batch, index):
                yield tp, message
    fetched, generation = self._fetched_now
    await read_again(self, tracked(self, fetched) if batches is None else batches, generation)


async def read_again(self: Any, fetched: Mapping[Any, Fetched], generation: Any) -> None:
    """Seek each partition whose fetched records were not all delivered back to its expected
    offset, unless a rebalance (which seeks every partition) or a stop came meanwhile. One whose
    expected offset is not known yet (taken during the seek of a rebalance, before it ended) is
    sought again when that seek ends (`perform_seek`)."""
    if self.should_stop or generation != self.app.consumer_generation_id:
        return
    expected, assigned = expected_offsets(self), self.assignment()
    undelivered = [
        tp for tp, batch in fetched.items() if tp in assigned and expected.get(tp) != batch.end
    ]
    unplaced_partitions(self).update(tp for tp in undelivered if expected.get(tp) is None)
    behind = {tp: expected[tp] for tp in undelivered if expected.get(tp) is not None}
    if not behind or not self.flow_active:
        return
    for tp, offset in behind.items():
        log.info(
            "%s[%d]: records %d..%d were taken but not delivered in order: reading again from %d",
            tp.topic,
            tp.partition,
            fetched[tp][0].offset,
            fetched[tp][-1].offset,
            offset,
        )
    await self.seek_wait(behind)


async def seek(self: Any, partition: Any, offset: int) -> None:
    """Upstream `Consumer.seek`; the partition is expected to go on at `offset`."""
    expected_offsets(self)[ensure_TP(partition)] = offset
    await _upstream_seek(self, partition, offset)


async def seek_wait(self: Any, partitions: Mapping[Any, int]) -> None:
    """Upstream `seek_wait`; each partition is expected to go on where it is sought to."""
    expected_offsets(self).update({ensure_TP(tp): o for tp, o in partitions.items()})
    await _upstream_seek_wait(self, partitions)


async def perform_seek(self: Any) -> None:
    """Upstream `Consumer.perform_seek` (every partition to its committed offset), with the
    expected offsets set; a partition never committed is sought to its first offset (where the
    consumer's `auto_offset_reset=earliest` starts it), so that where it starts is known too;
    and a partition whose records were taken during the seek and not delivered is sought again."""
    committed = await self.seek_to_committed()
    self._read_offset.update(
        {tp: o if o is not None and o >= 0 else None for tp, o in committed.items()}
    )
    self._committed_offset.update(
        {ensure_TP(tp): o if o else None for tp, o in committed.items() if o is not None}
    )
    expected = expected_offsets(self)
    expected.update({ensure_TP(tp): o for tp, o in committed.items() if o and o > 0})
    unplaced = unplaced_partitions(self)
    again = {tp: expected[tp] for tp in unplaced if expected.get(tp) is not None}
    unplaced.clear()
    fresh = [
        tp
        for tp, o in committed.items()
        if not (o and o > 0) and self.app.topics.acks_enabled_for(tp.topic)
    ]
    if fresh:
        again.update(await self.earliest_offsets(*fresh))
    if again:
        await self.seek_wait(again)


async def no_gap(self: Any, tp: Any, offset_from: int, offset_to: int) -> None:
    """Replaces `Consumer._add_gap`: a gap between two records read is no proof of anything;
    `accept` registers the verified ones."""


def install() -> None:
    """Patch Faust's consumer; `streams.faust_offsets.install` calls this."""
    Consumer._wait_next_records = wait_next_records  # type: ignore[method-assign]
    Consumer.getmany = getmany  # type: ignore[method-assign]
    Consumer.seek = seek  # type: ignore[method-assign]
    ThreadDelegateConsumer.seek_wait = seek_wait  # type: ignore[method-assign]
    Consumer.perform_seek = perform_seek  # type: ignore[method-assign]
    Consumer._add_gap = no_gap  # type: ignore[method-assign]
