"""Fixes to faust-streaming 0.15.3 and its aiokafka, installed with the app.

Those of the consumer's offsets (1, 6 and 7) live in `streams.faust_offsets`, fix 8 (what a gap is)
in `streams.faust_fetches`, fix 9 (read only committed records) in `streams.faust_isolation`; the
others:

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
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiokafka.client import AIOKafkaClient
from faust.tables.recovery import Recovery
from faust.transport.producer import ProducerBuffer

from streams import faust_isolation, faust_offsets

log = logging.getLogger(__name__)
FLUSH_PATIENCE = 10.0  # seconds a flush waits before it says, in the log, that it still waits
_upstream_flush = ProducerBuffer.flush
_upstream_build_offsets = Recovery._build_offsets
_upstream_wait_on_metadata = AIOKafkaClient._wait_on_metadata


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
    faust_offsets.install()
    faust_isolation.install()
    Recovery.on_recovery_completed = on_recovery_completed  # type: ignore[method-assign]
    Recovery._resume_streams = resume_streams  # type: ignore[method-assign]
    ProducerBuffer._send_pending = send_pending  # type: ignore[method-assign]
    ProducerBuffer.flush = flush  # type: ignore[method-assign]
    Recovery._build_offsets = build_offsets  # type: ignore[method-assign]
    AIOKafkaClient._wait_on_metadata = wait_on_metadata
