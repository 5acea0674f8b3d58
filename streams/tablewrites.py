"""A table read and written the short way: its RocksDB store, and its changelog by the Kafka client.

A Faust table write (`table[key] = value`) goes through Faust's user-dict layers, serializers and
sensors to the store, then sends the changelog record by `Topic.send_soon`: a FutureMessage, a
PendingMessage, the producer buffer's task, `publish_message` and a callback that writes the
record's offset into RocksDB, per record. A read takes the same layers down. `FastTable` does
what they end in, for raw bytes keys and values (our tables' serializers are `raw`):
- `get(key)`: the store's read of the current event's partition (`streams.batches.use`);
- `put(event, key, value)`: the store's write to the event's partition, and the changelog record
  to that partition, handed to the Kafka client (as `streams.batches.send_now` does results);
- `end_batch()`: once a batch's writes are handed over, the last record sent to each partition
  writes its offset into the store when the broker has it (Faust's `_on_changelog_sent` does so
  per record; recovery reads the changelog from that offset on).

Offsets stay safe as `streams.batches` says: the flush before each commit waits until the broker
has every record handed to the client, these included.
"""

from __future__ import annotations

import logging
from asyncio import Future
from functools import partial
from typing import Any

from streams.batches import use

log = logging.getLogger(__name__)


class FastTable:
    """Reads and writes of one Faust table with raw bytes keys and values, batch by batch."""

    def __init__(self, app: Any, table: Any) -> None:
        self._app = app
        self._table = table
        self._topic: str = table.changelog_topic.get_topic_name()
        self._last: dict[int, Future[Any]] = {}  # partition -> its last changelog send

    def get(self, key: bytes) -> bytes | None:
        """The value stored under `key` in the current event's partition, or None."""
        value: bytes | None = self._table.data._get(key)
        return value

    async def put(self, event: Any, key: bytes, value: bytes) -> None:
        """Store `value` under `key` in `event`'s partition, and send its changelog record."""
        use(event)
        partition: int = event.message.partition
        self._table.data._set(key, value)
        producer = self._app.producer
        self._last[partition] = await producer.send(self._topic, key, value, partition, None, None)

    def end_batch(self) -> None:
        """Note each partition's changelog offset in the store once its last record is stored."""
        for partition, sent in self._last.items():
            sent.add_done_callback(partial(self._persisted, partition))
        self._last.clear()

    def _persisted(self, partition: int, sent: Future[Any]) -> None:
        if sent.cancelled() or sent.exception() is not None:  # as Faust: no offset noted
            log.error(
                "changelog %s[%d]: a record was not stored: %r",
                self._topic,
                partition,
                None if sent.cancelled() else sent.exception(),
            )
            return
        metadata = sent.result()
        self._table.data.set_persisted_offset(metadata.topic_partition, metadata.offset)
