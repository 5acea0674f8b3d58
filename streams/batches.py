"""Events in batches, so an agent pays Faust's per-event costs once per batch where it can.

`batches(stream)` is Faust's `take_events`: up to BATCH events, or what arrived within WITHIN
seconds. An agent processes the whole batch, hands its results to the Kafka client as it goes
(`send_now`: the aiokafka producer's own batching, without awaiting each delivery) and writes
each table key once, at the end.

`send_now` skips Faust's per-message path (`Topic.send_soon`: a FutureMessage and a
PendingMessage per message, its producer buffer, a task switch, `publish_message` with its
sensors and callbacks), about a tenth of the worker's CPU per command; it awaits only the
hand-over to the client, which is where the client pushes back when its buffer is full.

**Why an offset is still committed only after its event's table write and result send.**
- `take_events` turns the stream's own acking off and acks the batch's events only after the
  agent's loop body has finished with the batch (when the agent asks for the next one). So an
  event is acked after its table write was handed to Faust's producer buffer and its result to
  the Kafka client.
- Events fetched but not yet acked (the rest of the batch, the next batch being filled) are
  unacked messages; our fix of faust-streaming #606 (`streams.faust_offsets.new_offset`) never
  commits past the smallest of them, so a commit cannot pass an event still in a batch. The
  agent stays at concurrency 1: one batch at a time per partition.
- Before Faust commits offsets it flushes its producer: our draining flush (the third fix in
  `streams.faust_fixes`) waits until every buffered message (table changelog writes) is in the
  Kafka client, and the client's flush until the broker has every message it was handed (the
  changelog's and the `send_now` results alike). So a committed offset means its changelog
  record and result are on the broker; a crash before the commit replays the batch (at least
  once, as before), and a replayed command finds its remembered answer.
- `take_events` also acks the batch when the agent's loop body raises out of it (its `finally`).
  So the register agent catches every per-event error inside the loop (a dead letter, as before),
  and only encoding and writing the batch's states, which bad input cannot reach, stand outside.

Table reads and writes take the partition from Faust's *current event*, which `take_events` does
not set for the agent's task; `use(event)` sets it before each table operation.
"""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Sequence
from typing import Any

from faust.streams import _current_event

BATCH = 500  # events at most per batch
WITHIN = 0.005  # seconds to wait for a batch to fill: the latency a lone command pays at most


def batches(stream: Any) -> AsyncIterator[Sequence[Any]]:
    """The stream's events in batches; each batch is acked when the next one is asked for."""
    iterator: AsyncIterator[Sequence[Any]] = stream.take_events(BATCH, within=WITHIN)
    return iterator


def use(event: Any) -> None:
    """Make `event` Faust's current event: table operations then use its partition."""
    _current_event.set(weakref.ref(event))


async def send_now(app: Any, topic: str, key: bytes, value: bytes) -> None:
    """Hand one message to the app's Kafka client (its accumulator, partitioned by `key`); the
    flush before each offset commit waits until the broker has it."""
    await app.producer.send(topic, key, value, None, None, None)
