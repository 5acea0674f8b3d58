"""Faust fix 5 (`streams.faust_fixes.wait_on_metadata`) against the real broker.

Faust declares its topics through the producer's client and then refreshes its metadata while
the client tracks no topic yet (its fix of faust-streaming #499): the answer holds every topic.
The producer's first send to a topic made later narrows its metadata requests to the topics it
was asked for, and a batch still lingering for a topic known from the start loses its partition
leader. Without the fix that batch is never sent: this test then fails on its 30-second wait.
"""

from __future__ import annotations

import asyncio
import contextlib

from aiokafka import AIOKafkaProducer

from raas.clients import ensure_topics, make_admin
from raas.config import Settings
from streams import faust_fixes


async def _send_both(settings: Settings, known: str, new: str) -> tuple[int, int]:
    """Send to `known` (lingering), then first to `new`; the partitions both landed in."""
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers, linger_ms=500)
    await producer.start()
    await producer.client.force_metadata_update()  # as Faust does after declaring a topic
    try:
        ensure_topics(make_admin(settings), [new], partitions=1)
        lingering = await producer.send(known, b"value", key=b"key")
        fresh = await producer.send(new, b"value", key=b"key")
        first = await asyncio.wait_for(lingering, 30)
        second = await asyncio.wait_for(fresh, 30)
        return first.partition, second.partition
    finally:
        with contextlib.suppress(TimeoutError):  # a stuck batch would hold stop() for ever
            await asyncio.wait_for(producer.stop(), 10)


def test_a_batch_for_a_known_topic_is_sent_when_a_new_topic_is_first_written(
    settings: Settings, unique: str
) -> None:
    faust_fixes.install()
    known, new = f"it-metadata-known-{unique}", f"it-metadata-new-{unique}"
    ensure_topics(make_admin(settings), [known], partitions=1)

    assert asyncio.run(_send_both(settings, known, new)) == (0, 0)
