"""Batches: table operations inside a batch use the partition of the event at hand, and results
go straight to the Kafka client."""

from __future__ import annotations

import asyncio
import contextvars
from types import SimpleNamespace

from faust.streams import current_event

from streams.batches import send_now, use


class Event:
    """Stands for a Faust event: `use` only needs something it can refer to weakly."""


def _current_after_use(event: Event) -> object:
    use(event)
    return current_event()


def test_use_makes_the_event_faust_s_current_event() -> None:
    first, second = Event(), Event()
    context = contextvars.copy_context()  # leaves the other tests' context alone
    assert context.run(_current_after_use, first) is first
    assert context.run(_current_after_use, second) is second


class Producer:
    """Stands for Faust's producer: notes what it is handed, as the Kafka client would take it."""

    def __init__(self) -> None:
        self.handed: list[tuple[object, ...]] = []

    async def send(self, *message: object) -> None:
        self.handed.append(message)


def test_send_now_hands_the_message_to_the_client_partitioned_by_its_key() -> None:
    app = SimpleNamespace(producer=Producer())
    asyncio.run(send_now(app, "raas.tenant.0403019261.results", b"req-1", b"answer"))
    # no partition, timestamp or headers of our own: the client's partitioner picks by key
    assert app.producer.handed == [
        ("raas.tenant.0403019261.results", b"req-1", b"answer", None, None, None)
    ]
