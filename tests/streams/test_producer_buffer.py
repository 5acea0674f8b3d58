"""Fix 3 of `streams.faust_fixes`: a flush returns only when the Kafka client has every message.

Offsets are committed right after the flush, so a changelog write still in the buffer then is a
write a rebalance can lose. The sender here is a fake channel that hands messages over only when
the test lets it, so nothing depends on timing.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from faust.transport.producer import ProducerBuffer

from streams import faust_fixes


class Channel:
    """Stands for the topic: `publish_message` returns once the test opens the gate."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.taken: list[str] = []  # taken from the buffer by its sender
        self.published: list[str] = []  # handed to the Kafka client

    async def publish_message(self, fut: Any, wait: bool = False) -> None:
        self.taken.append(fut.message.value)
        await self.gate.wait()
        self.published.append(fut.message.value)


async def _running_buffer(channel: Channel, values: list[str]) -> ProducerBuffer:
    faust_fixes.install()
    buffer = ProducerBuffer()
    buffer.app = SimpleNamespace(conf=SimpleNamespace(producer_threaded=False))  # type: ignore[assignment]
    await buffer.start()
    for value in values:
        buffer.put(SimpleNamespace(message=SimpleNamespace(channel=channel, value=value)))  # type: ignore[arg-type]
    while not channel.taken:  # the sender holds the first message: the buffer counts one less
        await asyncio.sleep(0)
    return buffer


async def test_a_flush_waits_for_the_message_the_sender_holds() -> None:
    channel = Channel()
    buffer = await _running_buffer(channel, ["only"])
    assert buffer.size == 0, "upstream's flush sees an empty buffer here and returns"
    flush = asyncio.ensure_future(buffer.flush())
    for _ in range(100):
        await asyncio.sleep(0)
    assert not flush.done(), "the flush returned before the message reached the client"
    channel.gate.set()
    await flush
    assert channel.published == ["only"]
    await buffer.stop()


async def test_a_flush_drains_every_message_put_before_it() -> None:
    channel = Channel()
    buffer = await _running_buffer(channel, [f"m{n}" for n in range(5)])
    flush = asyncio.ensure_future(buffer.flush())
    await asyncio.sleep(0.3)  # upstream would have given up after 0.1 s
    assert not flush.done()
    channel.gate.set()
    await flush
    assert channel.published == [f"m{n}" for n in range(5)]
    assert buffer.size == 0
    await buffer.stop()
