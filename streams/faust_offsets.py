"""The consumer's offsets: fixes 1, 6, 7 and 10 to faust-streaming 0.15.3 (`streams.faust_fixes`
holds the others and installs these with them; fix 8, what counts as a gap, is
`streams.faust_fetches` and `streams.faust_delivery`, installed from here).

1. **Commits never pass a message still in flight** (faust-streaming #606; the idea of PR #707).
   Upstream's `Consumer._new_offset` commits over a hole of one offset at the head of the acked
   offsets (for a transaction marker at the committed offset, which is never delivered), and a
   message still being processed, or never delivered at all, can sit there too. The head must
   now be the committed offset itself: acked, or a gap that fix 8 verified. And the new offset
   never passes the smallest offset the consumer delivered and nobody acked yet. (Faust leaves
   an acked message in its unacked set when it did not count the ack, a repeat of an offset it
   counted already; such a message is done and holds nothing.)

6. **A rebalance commits what was done before it forgets it** (issue 14, rolling restart).
   `Consumer.on_partitions_revoked` drops the revoked partitions' acked offsets, committed offsets,
   read offsets and gaps *first*, and only then lets the app wait for the events in flight and
   commit. That commit finds nothing to commit: every event acked since the last periodic commit
   is processed again by the partition's next owner, often the same worker (a rolling restart
   answered 483 of 645 commands twice, each a repeat that got its stored answer again). We let
   the app finish and commit first, with the bookkeeping intact, and drop it afterwards.

7. **A gap counts its offsets once.** Faust's gap between two records ran up to *and with* the
   later record, which is acked too. The duplicate cut each consecutive run short, so every
   commit passed only one transaction marker: the committed offset fell hundreds of records
   behind the processed ones, and the next rebalance processed all of those again.

10. **The last commit is never skipped.** At a stop, and at a revoke once the events in flight
   are done, Faust commits with `commit_and_end_transactions`. Its `commit` returns at once,
   committing nothing, when another commit is under way (the timer's, every second, which can
   be waiting for the producer's flush): the offsets acked since that one began stayed
   uncommitted, the worker left the group, and the partitions' next owner processed them again.
   Three rolling restarts at 50 commands/s answered 799 of 6,719 commands twice, each command
   once on the internal topic. The last commit now waits for the one under way and then commits.
"""

from __future__ import annotations

from typing import Any

from faust.transport.consumer import CONSUMER_PARTITIONS_REVOKED, Consumer
from faust.utils.functional import consecutive_numbers
from mode import Service

from streams import faust_delivery, faust_fetches


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
    if committed is not None:
        acked[:] = [o for o in acked if o >= committed]
        if not acked or acked[0] != committed:
            return None  # the offset at the head is not accounted for yet: wait for it
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
        faust_delivery.expected_offsets(consumer).pop(tp, None)


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


async def commit_and_end_transactions(self: Any) -> None:
    """Upstream's, after waiting for any commit under way: this one then commits what was acked
    since that one began."""
    while await self.maybe_wait_for_commit_to_finish():
        pass  # another may have begun meanwhile: wait for it too
    await self.commit(start_new_transaction=False)


def install() -> None:
    """Patch Faust's consumer; `streams.faust_fixes.install` calls this."""
    Consumer._new_offset = new_offset  # type: ignore[method-assign]
    Consumer.commit_and_end_transactions = commit_and_end_transactions  # type: ignore[method-assign]
    faust_fetches.install()
    faust_delivery.install()
    Consumer.on_partitions_revoked = Service.transitions_to(  # type: ignore[method-assign]
        CONSUMER_PARTITIONS_REVOKED
    )(on_partitions_revoked)
