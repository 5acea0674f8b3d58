"""Fix 8 to faust-streaming 0.15.3 and its aiokafka: records reach the agents in order, none
left out, and only offsets known to hold no record count as gaps (issue 14, rolling restart).

aiokafka moves a partition's position past the records it hands out (`FetchResult.getall`), and
Faust may then drop them unseen: `Consumer.getmany` skips the records of a partition that is not
active (paused), and stops at a new generation or a stopped flow. The set of active partitions it
hands to aiokafka is the live one, so it can turn empty while aiokafka waits, which aiokafka reads
as *every* partition: at each recovery the records of the still-paused stream partitions were
taken and dropped (`tenant-commands[1]` sought to 759, records 760..765 taken during the seek and
dropped, the next batch 768). The next batch then starts past records nobody processed. Upstream
counts the offsets between as a gap, meant for transaction markers, and commits over them: a
rolling restart lost two commands so (469 and 471). Our first answer, reading again when a batch
started more than two offsets past the last one read, missed shorter jumps; and every seek left a
hole at the offset sought to, which the commit could pass only one a time (`new_offset`): a worker
stopping under load committed 45 offsets short and the next owner answered 22 commands twice.

So nothing is guessed any more. Each batch carries the offsets it covers: aiokafka's position
before and after it, which steps over control batches (commit markers) and aborted records; a
fetch of those alone yields no records, and its span joins the next batch's. Each partition has an
expected offset, the first one not yet accounted for, set by every seek (the committed offset, the
first offset of a partition never committed, or wherever a seek goes). A record is delivered only
when its batch starts at the expected offset, or when it follows the record delivered before it
in its batch; the offsets its span covers without a record are gaps, and only those. Records not
delivered (not contiguous, or dropped by Faust) are read again from the expected offset at once.
Only topics whose acks Faust counts are checked: a changelog is read by the recovery's own rules.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import AsyncIterator, Mapping
from typing import Any

from aiokafka.consumer.fetcher import FetchResult
from faust.transport.consumer import Consumer, ThreadDelegateConsumer, ensure_TP
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

log = logging.getLogger(__name__)
_upstream_getall = FetchResult.getall
_upstream_getmany = Consumer.getmany
_upstream_wait_next_records = Consumer._wait_next_records
_upstream_seek = Consumer.seek
_upstream_seek_wait = ThreadDelegateConsumer.seek_wait
_upstream_fetch_records = AIOKafkaConsumerThread._fetch_records
# per aiokafka partition state (one per assignment): offsets stepped over without a record,
# waiting for the next batch; touched only in the consumer's thread
_stepped_over: weakref.WeakKeyDictionary[Any, tuple[int, int]] = weakref.WeakKeyDictionary()


class Fetched(list[Any]):
    """The records of one partition from one fetch, and the offsets [start, end) they cover."""

    def __init__(self, records: list[Any], start: int, end: int) -> None:
        super().__init__(records)
        self.start = start
        self.end = end


def getall(self: Any, max_records: int | None = None) -> list[Any]:
    """Upstream `FetchResult.getall`; the records come as `Fetched`, with the offsets they cover."""
    partition = self._partition_records
    if partition is None:
        return list(_upstream_getall(self, max_records))
    start: int = partition.next_fetch_offset
    records = list(_upstream_getall(self, max_records))
    end: int = partition.next_fetch_offset
    if end == start:
        return records  # nothing taken: the partition was paused, sought or revoked meanwhile
    state = self._assignment.state_value(self._topic_partition)
    before = _stepped_over.pop(state, None)
    if before is not None and before[1] == start:
        start = before[0]
    if not records:  # commit markers or aborted records only: their span joins the next batch
        _stepped_over[state] = (start, end)
        return records
    return Fetched(records, start, end)


async def fetch_records(
    self: Any,
    consumer: Any,
    active_partitions: set[Any] | None,
    timeout: float | None = None,
    max_records: int | None = None,
) -> Any:
    """Upstream `_fetch_records` (in the consumer's thread), from the partitions active when
    it starts. Faust hands over its live set, which a pause can empty while aiokafka waits, and
    aiokafka takes an empty set for every partition: the paused ones' records were taken then."""
    if active_partitions is None:  # a client-only app reads all it has
        return await _upstream_fetch_records(self, consumer, set(), timeout, max_records)
    active = set(active_partitions)
    if not active:
        return {}
    return await _upstream_fetch_records(self, consumer, active, timeout, max_records)


def expected_offsets(consumer: Any) -> dict[Any, int]:
    """Per partition, the first offset not yet accounted for (delivered, or known empty)."""
    expected: dict[Any, int] | None = getattr(consumer, "_expected_offset", None)
    if expected is None:
        expected = consumer._expected_offset = {}
    return expected


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
    checked = self.app.topics.acks_enabled_for
    looked: dict[Any, int] = {}  # per partition, how far into its batch the records came
    async for tp, message in _upstream_getmany(self, timeout):
        batch = self._fetched_now[0].get(tp)
        if not isinstance(batch, Fetched) or not checked(tp.topic):
            yield tp, message
            continue
        index = index_of(batch, message.offset, looked.get(tp, 0))
        if index is not None:
            looked[tp] = index + 1
            if accept(self, tp, batch, index):
                yield tp, message
    await read_again(self, *self._fetched_now)


async def read_again(self: Any, fetched: Mapping[Any, Any], generation: Any) -> None:
    """Seek each partition whose fetched records were not all delivered back to its expected
    offset, unless a rebalance (which seeks every partition) or a stop came meanwhile."""
    if self.should_stop or not self.flow_active or generation != self.app.consumer_generation_id:
        return
    expected, assigned = expected_offsets(self), self.assignment()
    behind = {
        tp: expected[tp]
        for tp, batch in fetched.items()
        if isinstance(batch, Fetched)
        and self.app.topics.acks_enabled_for(tp.topic)
        and tp in assigned
        and expected.get(tp) is not None
        and expected[tp] != batch.end
    }
    for tp, offset in behind.items():
        log.info(
            "%s[%d]: records %d..%d were taken but not delivered in order: reading again from %d",
            tp.topic,
            tp.partition,
            fetched[tp][0].offset,
            fetched[tp][-1].offset,
            offset,
        )
    if behind:
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
    consumer's `auto_offset_reset=earliest` starts it), so that where it starts is known too."""
    committed = await self.seek_to_committed()
    self._read_offset.update(
        {tp: o if o is not None and o >= 0 else None for tp, o in committed.items()}
    )
    self._committed_offset.update(
        {ensure_TP(tp): o if o else None for tp, o in committed.items() if o is not None}
    )
    expected_offsets(self).update({ensure_TP(tp): o for tp, o in committed.items() if o and o > 0})
    fresh = [
        tp
        for tp, o in committed.items()
        if not (o and o > 0) and self.app.topics.acks_enabled_for(tp.topic)
    ]
    if fresh:
        await self.seek_wait(await self.earliest_offsets(*fresh))


async def no_gap(self: Any, tp: Any, offset_from: int, offset_to: int) -> None:
    """Replaces `Consumer._add_gap`: a gap between two records read is no proof of anything;
    `accept` registers the verified ones."""


def install() -> None:
    """Patch Faust's consumer and aiokafka's fetch results; `streams.faust_offsets` calls this."""
    FetchResult.getall = getall
    AIOKafkaConsumerThread._fetch_records = fetch_records  # type: ignore[method-assign]
    Consumer._wait_next_records = wait_next_records  # type: ignore[method-assign]
    Consumer.getmany = getmany  # type: ignore[method-assign]
    Consumer.seek = seek  # type: ignore[method-assign]
    ThreadDelegateConsumer.seek_wait = seek_wait  # type: ignore[method-assign]
    Consumer.perform_seek = perform_seek  # type: ignore[method-assign]
    Consumer._add_gap = no_gap  # type: ignore[method-assign]
