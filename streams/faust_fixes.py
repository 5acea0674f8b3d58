"""Eight fixes to faust-streaming 0.15.3 and its aiokafka, installed with the app.

1. **Commits never pass a message still in flight** (faust-streaming #606; the idea of PR #707).
   `Consumer._new_offset` guards the head of the acked offsets with `min(acked) - committed > 1`.
   It must tolerate a hole of one, because after a seek a transaction marker can sit at the
   committed offset and is never delivered. But a message still being processed can sit there
   too, and Faust commits straight over it. We keep the upstream rule for holes and add a cap:
   the new offset never passes the smallest offset the consumer delivered and nobody acked yet.

2. **Seek before resume** (the race of faust-streaming #596). When recovery ends, Faust resumes
   the stream partitions and only then seeks them to their committed offsets, a broker round
   trip later. Records fetched in between were processed, then fetched again, and a run of them
   was never delivered at all: our test saw 16 commands in a row go unanswered until the next
   restart. Seeking while the partitions are still paused closes the window.

3. **A flush drains the buffer** before offsets are committed. Table writes go to their changelog
   through Faust's `ProducerBuffer` (`send_soon`). Its `flush` waits at most 0.1 s for each next
   message and then returns, buffer drained or not, and a message the sender has taken but not yet
   handed to the Kafka client is not counted at all. On a loaded machine the commit then passes an
   input whose table write is still in the buffer; when a rebalance moves the partition, the new
   owner restores a changelog without it and the write is lost for good. The buffer now counts
   every message until the Kafka client has it (`Queue.task_done`), and `flush` waits for all of
   them (`Queue.join`), saying so in the log while it waits.

4. **Local state never outranks the changelog** (issue 9). Each RocksDB partition persists the
   offset of the last changelog record it holds. When that offset is past the changelog's end
   (the broker was reset, `rm -rf var/kafka`, or the changelog topic was deleted and made again),
   upstream raises `ConsistencyError` in `Recovery._restart_recovery`, on every restart, for ever.
   The changelog is the state's source of truth, as in Kafka Streams, which wipes a task's local
   store when its checkpoint is invalid: we drop that partition's local data and its persisted
   offset, log a warning that names the partition and both offsets, and restore it from the
   changelog. Only active partitions are checked (the app runs without standby replicas).

5. **A topic the producer writes to stays in its metadata** (aiokafka 0.14). aiokafka's client
   asks the broker for the metadata of the topics in its `_topics` set, or of every topic while
   that set is empty, and each answer *replaces* what it knew. `send` adds a topic to the set only
   when the topic is unknown, so the topics learnt from the first all-topics answer are never in
   it. The first send to a new topic (a new tenant's results topic) then shrinks the metadata to
   that topic: a batch still lingering for a known topic (a changelog, `authentic.persons`) has no
   leader any more, and the sender's metadata refreshes never bring it back. The batch waited for
   the next send to its topic, or for ever: `test_bis` saw a new BIS person stored and answered
   but neither its changelog write nor its publication sent. Every topic `send` is asked for now
   joins the set, known or not.

6. **A rebalance commits what was done before it forgets it** (issue 14, rolling restart).
   `Consumer.on_partitions_revoked` drops the revoked partitions' acked offsets, committed offsets,
   read offsets and gaps *first*, and only then lets the app wait for the events in flight and
   commit. That commit finds nothing to commit: every event acked since the last periodic commit
   is processed again by the partition's next owner, often the same worker (a rolling restart
   answered 483 of 645 commands twice). Worse, the events still in flight are acked afterwards
   against a partition with no committed offset, so no hole check holds them: the commit then
   jumps over offsets that were dropped from the agent's queue, never processed. We let the app
   finish and commit first, with the bookkeeping intact, and drop it afterwards.

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

import asyncio
import logging
from typing import Any

from aiokafka.client import AIOKafkaClient
from faust.tables.recovery import Recovery
from faust.transport.consumer import CONSUMER_PARTITIONS_REVOKED, Consumer
from faust.transport.producer import ProducerBuffer
from faust.utils.functional import consecutive_numbers
from mode import Service

log = logging.getLogger(__name__)
FLUSH_PATIENCE = 10.0  # seconds a flush waits before it says, in the log, that it still waits
_upstream_flush = ProducerBuffer.flush
_upstream_build_offsets = Recovery._build_offsets
_upstream_wait_on_metadata = AIOKafkaClient._wait_on_metadata
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
    offset read by more than a marker is sought back and read again (once per start)."""
    records, active = await _upstream_wait_next_records(self, timeout)
    if not records:
        return records, active
    if not hasattr(self, "_checked_jumps"):
        self._checked_jumps = {}
    kept = {}
    for tp, batch in records.items():
        start = _jump_start(self, tp, batch)
        if start is None or (active is not None and tp not in active):
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


async def _seek_paused_streams(recovery: Any) -> bool:
    """Seek the assigned stream partitions to their committed offsets, then resume them."""
    consumer = recovery.app.consumer
    assignment = consumer.assignment()
    if assignment:
        recovery.log.info("Seek stream partitions to committed offsets (still paused).")
        await recovery._wait(
            consumer.perform_seek(), timeout=recovery.app.conf.broker_request_timeout
        )
        consumer.resume_partitions({tp for tp in assignment if not recovery._is_changelog_tp(tp)})
    return bool(assignment)


async def on_recovery_completed(self: Any, generation_id: int = 0) -> None:
    """Upstream `Recovery.on_recovery_completed`, with the seek before the resume."""
    self.log.info("Restore complete!")
    await self.app.on_rebalance_complete.send()
    self._set_recovery_ended()
    await asyncio.gather(
        *(
            table.on_recovery_completed(
                self.actives_for_table[table], self.standbys_for_table[table]
            )
            for table in self.tables.values()
        )
    )
    if self.app.consumer_generation_id != generation_id:
        self.log.warning("Recovery rebalancing again")
        return
    await _seek_paused_streams(self)
    self.completed.set()
    self.app.flow_control.resume()
    self.app.consumer.resume_flow()
    await self.app._fetcher.maybe_start()
    self.tables.on_actives_ready()
    if not self.app.assignor.assigned_standbys():
        self.tables.on_standbys_ready()
    self.app.on_rebalance_end()
    self.log.info("Worker ready")


async def resume_streams(self: Any, generation_id: int = 0) -> None:
    """Upstream `Recovery._resume_streams` (no recovery needed), with the seek before the resume."""
    await self.app.on_rebalance_complete.send()
    if self.app.consumer_generation_id != generation_id:
        self.log.warning("Recovery rebalancing again")
        return
    if not await _seek_paused_streams(self):
        self.log.info("Resuming streams with empty assignment")
    self.completed.set()
    self.log.info("Resuming flow...")
    self.app.flow_control.resume()
    self.app.consumer.resume_flow()
    await self.app._fetcher.maybe_start()
    self.tables.on_actives_ready()
    self.tables.on_standbys_ready()
    self.app.on_rebalance_end()
    self.log.info("Worker ready")


async def send_pending(self: Any, fut: Any) -> None:
    """Upstream `ProducerBuffer._send_pending`; the message counts until the client has it."""
    try:
        await fut.message.channel.publish_message(fut, wait=False)
    finally:
        self.pending.task_done()


async def flush(self: Any) -> None:
    """Return once every message put in the buffer is in the Kafka client's hands."""
    if self.state != "running":
        await _upstream_flush(self)  # stopping: the sender may be gone, upstream's rule applies
        return
    while True:
        try:
            await asyncio.wait_for(asyncio.shield(self.pending.join()), FLUSH_PATIENCE)
            return
        except TimeoutError:
            log.warning("producer buffer: %d messages still waiting to be sent", self.size)


def drop_local_partition(table: Any, partition: int) -> None:
    """Delete every key of a table's local partition, its persisted offset with them."""
    store = table.data
    if not hasattr(store, "_db_for_partition"):
        return  # an in-memory store persists nothing
    db = store._db_for_partition(partition)
    for key in list(store._visible_keys(db)):
        db.delete(key)
    db.delete(store.offset_key)
    store._key_index.clear()


async def build_offsets(
    self: Any, consumer: Any, tps: set[Any], destination: Any, title: str
) -> None:
    """Upstream `Recovery._build_offsets`; an active partition whose local state is ahead of
    its changelog is emptied and restored from the changelog's start."""
    await _upstream_build_offsets(self, consumer, tps, destination, title)
    if title != "active":
        return
    ahead = set()
    for tp in tps:
        persisted, last = destination.get(tp), self.active_highwaters.get(tp)
        if persisted is None or last is None or persisted <= last:
            continue
        log.warning(
            "local state of %s[%d] is ahead of its changelog (persisted offset %d, last offset "
            "in the topic %d): the changelog wins, rebuilding the partition from it",
            tp.topic,
            tp.partition,
            persisted,
            last,
        )
        drop_local_partition(self.tp_to_table[tp], tp.partition)
        destination[tp] = None
        ahead.add(tp)
    if ahead:
        await _upstream_build_offsets(self, consumer, ahead, destination, title)


async def wait_on_metadata(self: Any, topic: str) -> Any:
    """Upstream `AIOKafkaClient._wait_on_metadata`; the topic joins the tracked ones even when
    it is known already, so no later metadata answer leaves it out."""
    self._topics.add(topic)  # a set: no metadata request for a topic it holds
    return await _upstream_wait_on_metadata(self, topic)


def install() -> None:
    """Patch Faust; called once when the app is created."""
    Consumer._new_offset = new_offset  # type: ignore[method-assign]
    Consumer._wait_next_records = wait_next_records  # type: ignore[method-assign]
    Consumer.on_partitions_revoked = Service.transitions_to(CONSUMER_PARTITIONS_REVOKED)(  # type: ignore[method-assign]
        on_partitions_revoked
    )
    Recovery.on_recovery_completed = on_recovery_completed  # type: ignore[method-assign]
    Recovery._resume_streams = resume_streams  # type: ignore[method-assign]
    ProducerBuffer._send_pending = send_pending  # type: ignore[method-assign]
    ProducerBuffer.flush = flush  # type: ignore[method-assign]
    Recovery._build_offsets = build_offsets  # type: ignore[method-assign]
    AIOKafkaClient._wait_on_metadata = wait_on_metadata
