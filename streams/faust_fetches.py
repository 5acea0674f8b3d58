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

import weakref
from typing import Any

from aiokafka.consumer.fetcher import FetchResult
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

_upstream_getall = FetchResult.getall
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


def install() -> None:
    """Patch aiokafka's fetch results and Faust's fetch; `streams.faust_offsets` calls this
    (with `streams.faust_delivery.install`)."""
    FetchResult.getall = getall
    AIOKafkaConsumerThread._fetch_records = fetch_records  # type: ignore[method-assign]
