"""TEMPORARY debug logging for the rolling-restart hunt (helper F). Remove before the end."""

from __future__ import annotations

import logging
import os
from typing import Any

from faust.transport.consumer import Consumer
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

log = logging.getLogger("hunt")


def _ours(tp: Any) -> bool:
    return str(tp.topic).endswith("tenant-commands")


def install() -> None:
    if not os.environ.get("RAAS_HUNT"):
        return
    up_getmany = Consumer.getmany
    up_perform_seek = Consumer.perform_seek
    up_commit_offsets = Consumer._commit_offsets
    up_ack = Consumer.ack
    up_fetch = AIOKafkaConsumerThread._fetch_records
    up_seek_wait = AIOKafkaConsumerThread._seek_wait

    async def getmany(self: Any, timeout: float) -> Any:
        async for tp, message in up_getmany(self, timeout):
            if _ours(tp):
                log.info(
                    "HUNT yield p%d@%d gen=%s read=%s committed=%s flow=%s",
                    tp.partition,
                    message.offset,
                    self.app.consumer_generation_id,
                    self._read_offset.get(tp),
                    self._committed_offset.get(tp),
                    self.flow_active,
                )
            yield tp, message

    async def perform_seek(self: Any) -> None:
        await up_perform_seek(self)
        log.info(
            "HUNT perform_seek gen=%s read=%s committed=%s",
            self.app.consumer_generation_id,
            {tp.partition: o for tp, o in self._read_offset.items() if _ours(tp)},
            {tp.partition: o for tp, o in self._committed_offset.items() if _ours(tp)},
        )

    async def commit_offsets(self: Any, offsets: Any, start_new_transaction: bool = True) -> bool:
        ours = {tp.partition: o for tp, o in offsets.items() if _ours(tp)}
        did = await up_commit_offsets(self, offsets, start_new_transaction)
        if ours:
            log.info("HUNT commit %s did=%s", ours, did)
        return bool(did)

    def ack(self: Any, message: Any) -> bool:
        counted = bool(up_ack(self, message))
        if _ours(message.tp):
            log.info("HUNT ack p%d@%d counted=%s", message.tp.partition, message.offset, counted)
        return counted

    async def fetch(
        self: Any, consumer: Any, active: Any, timeout: Any = None, max_records: Any = None
    ) -> Any:
        records = await up_fetch(self, consumer, active, timeout=timeout, max_records=max_records)
        for tp, batch in (records or {}).items():
            if _ours(tp) and batch:
                log.info(
                    "HUNT fetched p%d %d..%d (%d) gen=%s pos-after=%s",
                    tp.partition,
                    batch[0].offset,
                    batch[-1].offset,
                    len(batch),
                    consumer._coordinator.generation,
                    consumer._subscription.subscription.assignment.state_value(tp).position
                    if consumer._subscription.subscription
                    and consumer._subscription.subscription.assignment
                    else None,
                )
        return records

    async def seek_wait(self: Any, consumer: Any, partitions: Any) -> None:
        log.info(
            "HUNT seek_wait %s", {tp.partition: o for tp, o in partitions.items() if _ours(tp)}
        )
        await up_seek_wait(self, consumer, partitions)

    Consumer.getmany = getmany  # type: ignore[method-assign,assignment]
    Consumer.perform_seek = perform_seek  # type: ignore[method-assign]
    Consumer._commit_offsets = commit_offsets  # type: ignore[method-assign]
    Consumer.ack = ack  # type: ignore[method-assign]
    AIOKafkaConsumerThread._fetch_records = fetch  # type: ignore[method-assign]
    AIOKafkaConsumerThread._seek_wait = seek_wait  # type: ignore[method-assign]
