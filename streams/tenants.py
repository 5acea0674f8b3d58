"""Every tenant's config, held in memory by each worker.

A plain confluent-kafka consumer reads the compacted `raas.admin.tenants` topic from the beginning,
with no consumer group (contracts.md: not a Faust GlobalTable, which misses records written from
outside Faust). `get` waits for the reader to catch up with the topic's end before it says a tenant
is unknown, so a command that follows `raas tenant add` at once still finds its tenant.

A record it cannot read (bad bytes, or a config the domain refuses) is dead-lettered, logged with
its partition and offset, and skipped. If the thread stops anyway, `streams.lifelines` stops the
worker: a worker that no longer sees tenant changes must not look healthy.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time

from confluent_kafka import (
    OFFSET_BEGINNING,
    Consumer,
    KafkaError,
    KafkaException,
    Message,
    Producer,
    TopicPartition,
)

from raas import codec
from raas.clients import make_consumer, make_producer
from raas.config import Settings
from raas.deadletters import RawMessage, send_dead_letter
from raas.domain.tenants import TenantConfig
from raas.onboarding import ensure_admin_topic
from raas.topics import ADMIN_TENANTS
from streams.lifelines import Lifeline
from streams.repeats import client_logs

log = logging.getLogger(__name__)


class TenantDirectory:
    """The latest `TenantConfig` per KBO, kept current by a background thread."""

    def __init__(self, settings: Settings, lifeline: Lifeline | None = None) -> None:
        self._settings = settings
        self._configs: dict[str, TenantConfig] = {}
        self._positions: dict[int, int] = {}
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._thread = (lifeline or Lifeline()).thread("tenant-directory", self._run)
        self._consumer: Consumer | None = None
        self._dead: Producer | None = None
        self._partitions: list[int] = []
        self._ends: Consumer | None = None
        self._ends_lock = threading.Lock()

    def start(self) -> None:
        ensure_admin_topic(self._settings)
        self._consumer = make_consumer(
            self._settings, group_id=f"{self._settings.app_id}-tenants-unused", **client_logs()
        )
        metadata = self._consumer.list_topics(ADMIN_TENANTS, timeout=30)
        partitions = sorted(metadata.topics[ADMIN_TENANTS].partitions)
        self._partitions = partitions
        self._consumer.assign(
            [TopicPartition(ADMIN_TENANTS, p, OFFSET_BEGINNING) for p in partitions]
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        if self._consumer is not None:
            self._consumer.close()
        if self._ends is not None:
            self._ends.close()

    def get(self, kbo: str, wait: float = 5.0) -> TenantConfig | None:
        """The tenant's config; when unknown, first catch up with the topic's end (`wait` s)."""
        config = self._configs.get(kbo)
        if config is not None or self._consumer is None or wait <= 0:
            return config
        self.catch_up(wait)
        return self._configs.get(kbo)

    async def get_soon(self, kbo: str) -> TenantConfig | None:
        """`get` for an agent: a tenant not read yet is caught up with off the event loop."""
        config = self.get(kbo, wait=0)
        if config is None:
            config = await asyncio.get_running_loop().run_in_executor(None, self.get, kbo)
        return config

    def all(self) -> list[TenantConfig]:
        return sorted(self._configs.values(), key=lambda c: c.kbo)

    def catch_up(self, wait: float) -> bool:
        """Wait until every record written to the admin topic so far has been read."""
        ends: dict[int, int] = {}
        try:
            with self._ends_lock:  # its own consumer: the reader's is used by its thread only
                if self._ends is None:
                    self._ends = make_consumer(self._settings, group_id="unused")
                for p in self._partitions:
                    _low, high = self._ends.get_watermark_offsets(
                        TopicPartition(ADMIN_TENANTS, p), timeout=wait, cached=False
                    )
                    ends[p] = high
        except KafkaException as exc:
            log.warning("admin topic: cannot read its end offsets: %s", exc)
            return False
        deadline = time.monotonic() + wait
        with self._changed:
            while any(self._positions.get(p, 0) < end for p, end in ends.items()):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def _run(self) -> None:
        assert self._consumer is not None
        while not self._stop.is_set():
            for msg in self._consumer.consume(num_messages=500, timeout=0.2):
                error = msg.error()
                if error is not None:
                    if error.code() != KafkaError._PARTITION_EOF:
                        log.warning("admin topic: %s", error)
                    continue
                self._apply(msg)
                partition, offset = msg.partition(), msg.offset()
                if partition is None or offset is None:
                    continue
                with self._changed:
                    self._positions[partition] = offset + 1
                    self._changed.notify_all()

    def _apply(self, msg: Message) -> None:
        value, key = msg.value(), msg.key()
        if value is None:  # a tombstone removes the tenant
            if key is not None:
                self._configs.pop(key.decode(), None)
            return
        try:
            config = codec.decode(value, codec.TENANT_CONFIG)
        except Exception as exc:  # bad bytes or a config the domain refuses: skip it
            # Every worker reads this topic: the dead letter's event id (topic, partition,
            # offset) is the same from each, so the operator can drop the copies.
            if self._dead is None:
                self._dead = make_producer(self._settings)
            raw = RawMessage.of(msg)
            log.warning(
                "admin topic: skipping record at partition %d offset %d", raw.partition, raw.offset
            )
            send_dead_letter(self._dead, raw, exc, consumer="tenant-directory")
            self._dead.flush(10)
            return
        self._configs[config.kbo] = config
