"""The consumer's offsets: fixes 1, 6, 7 and 8 to faust-streaming 0.15.3 (`streams.faust_fixes`
holds the others and installs these with them).

1. **Commits never pass a message still in flight** (faust-streaming #606; the idea of PR #707).
   `Consumer._new_offset` guards the head of the acked offsets with `min(acked) - committed > 1`.
   It must tolerate a hole of one, because after a seek a transaction marker can sit at the
   committed offset and is never delivered. But a message still being processed can sit there
   too, and Faust commits straight over it. We keep the upstream rule for holes and add a cap:
   the new offset never passes the smallest offset the consumer delivered and nobody acked yet.
   (Faust leaves an acked message in its unacked set when it did not count the ack, a repeat of
   an offset it counted already; such a message is done and holds nothing.)

6. **A rebalance commits what was done before it forgets it** (issue 14, rolling restart).
   `Consumer.on_partitions_revoked` drops the revoked partitions' acked offsets, committed offsets,
   read offsets and gaps *first*, and only then lets the app wait for the events in flight and
   commit. That commit finds nothing to commit: every event acked since the last periodic commit
   is processed again by the partition's next owner, often the same worker (a rolling restart
   answered 483 of 645 commands twice, each a repeat that got its stored answer again). We let
   the app finish and commit first, with the bookkeeping intact, and drop it afterwards.

7. **A gap counts its offsets once.** Faust's gap between two records runs up to *and with* the
   later record, which is acked too. The duplicate cut each consecutive run short, so every
   commit passed only one transaction marker (the ingress writes one per partition and batch):
   the committed offset fell hundreds of records behind the processed ones, and the next
   rebalance processed all of those again.

8. **Records that start far past the last offset read are read again** (issue 14). After a
   rebalance a worker sought a partition to its committed offset 118, and the first record it
   got was 479 (as 315/348 and 804/868 before): records fetched at the position the partition
   had before the rebalance. Faust counts the offsets between as a gap, meant for transaction
   markers, and commits over them: 466..478 were never processed and never answered. A batch
   that starts more than a marker past the last offset read is dropped and the partition is
   sought back; if the records still start there, the gap is real (an aborted transaction) and
   is accepted.
"""

from __future__ import annotations

import logging
from typing import Any

from faust.transport.consumer import CONSUMER_PARTITIONS_REVOKED, Consumer
from faust.utils.functional import consecutive_numbers
from mode import Service

log = logging.getLogger(__name__)
_upstream_wait_next_records = Consumer._wait_next_records


def new_offset(self: Any, tp: Any) -> int | None:
    """The offset to commit for `tp`, or None when nothing new can be committed."""
    acked: list[int] = self._acked[tp]
    if not acked:
        return None
    gaps = self._gap[tp]
    if gaps:  # offsets that hold no message (compaction, markers) count as acked, as upstream
        last = max(acked)
        filled = [
            o
            for g in sorted(gaps.overlap(0, last), key=lambda g: g.begin)
            for o in range(g.begin, g.end)
        ]
        if filled:
            acked.extend(filled)
            gaps.chop(0, max(filled[-1], last + 1))
    acked[:] = sorted(set(acked))  # a gap holds its record's own offset: once, not twice
    committed = self._committed_offset[tp]
    if committed and acked[0] - committed > 1:
        return None  # a hole at the head: wait for it
    in_flight = min(
        (m.offset for m in self._unacked_messages if m.tp == tp and not m.acked), default=None
    )  # an acked message can stay in the set: one Faust did not count (a repeat) is not removed
    batch = next(consecutive_numbers(acked))
    if in_flight is not None and in_flight < batch[0]:
        return None  # the message at the head is still being processed
    acked[: len(batch)] = []
    self._acked_index[tp].difference_update(batch)
    return int(batch[-1]) + 1


def forget_partitions(consumer: Any, revoked: set[Any]) -> None:
    """Drop the consumer's bookkeeping of the revoked partitions (acks, offsets, gaps)."""
    for tp in revoked:
        consumer._gap.pop(tp, None)
        consumer._acked.pop(tp, None)
        consumer._acked_index.pop(tp, None)
        consumer._read_offset.pop(tp, None)
        consumer._committed_offset.pop(tp, None)


async def on_partitions_revoked(self: Any, revoked: set[Any]) -> None:
    """Upstream `Consumer.on_partitions_revoked`, with the bookkeeping of the revoked partitions
    dropped only after the app has waited for the events in flight and committed them."""
    if self._active_partitions is not None:
        self._active_partitions.difference_update(revoked)
    self._paused_partitions.difference_update(revoked)
    try:
        await self._on_partitions_revoked(revoked)  # waits for events in flight, commits
    finally:
        forget_partitions(self, revoked)


MARKER_GAP = 2  # a record two offsets after the last one read: one transaction marker between


def _jump_start(consumer: Any, tp: Any, records: list[Any]) -> int | None:
    """Where `tp` must be read from again when `records` start further past the last offset
    read than a transaction marker explains, and that start was not checked yet; else None."""
    read = consumer._read_offset[tp]
    if read is None or not records or records[0].offset - read <= MARKER_GAP:
        return None
    if consumer._checked_jumps.get(tp) == read:
        return None  # read again from there and the records still start here: a real gap
    # `read` is the next offset to read right after a seek to the committed offset, else the
    # offset of the last record processed
    return int(read) if read == consumer._committed_offset[tp] else int(read) + 1


async def wait_next_records(self: Any, timeout: float) -> tuple[Any, Any]:
    """Upstream `Consumer._wait_next_records`; a partition whose records start past the last
    offset read by more than a marker is sought back and read again (once per start). Only
    topics whose gaps Faust counts as done: a changelog (compacted, full of holes) is not one."""
    records, active = await _upstream_wait_next_records(self, timeout)
    if not records:
        return records, active
    if not hasattr(self, "_checked_jumps"):
        self._checked_jumps = {}
    kept = {}
    for tp, batch in records.items():
        start = _jump_start(self, tp, batch)
        counted = self.app.topics.acks_enabled_for(tp.topic)  # Faust keeps gaps only of these
        if start is None or not counted or (active is not None and tp not in active):
            kept[tp] = batch
            continue
        log.warning(
            "%s[%d]: records start at offset %d, the last offset read is %s: reading again "
            "from %d instead of counting the offsets between as done",
            tp.topic,
            tp.partition,
            batch[0].offset,
            self._read_offset[tp],
            start,
        )
        self._checked_jumps[tp] = start  # the seek makes it the offset last read
        await self.seek_wait({tp: start})
    return kept, active


def install() -> None:
    """Patch Faust's consumer; `streams.faust_fixes.install` calls this."""
    Consumer._new_offset = new_offset  # type: ignore[method-assign]
    Consumer._wait_next_records = wait_next_records  # type: ignore[method-assign]
    Consumer.on_partitions_revoked = Service.transitions_to(  # type: ignore[method-assign]
        CONSUMER_PARTITIONS_REVOKED
    )(on_partitions_revoked)
