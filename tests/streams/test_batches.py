"""Batches: table operations inside a batch use the partition of the event at hand."""

from __future__ import annotations

import contextvars

from faust.streams import current_event

from streams.batches import use


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
