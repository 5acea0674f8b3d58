"""The simulator's only contact with a broker: publish generated records at a rate."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from raas.config import Settings
from raas.outside.feeds import Publisher
from raas.simulator.pacing import paced


def publish_paced(
    settings: Settings,
    records: Iterable[object],
    rate: float,
    on_sent: Callable[[object], None] = lambda record: None,
) -> int:
    """Send each record on its schedule, wait for the broker's acknowledgements; the count sent."""
    sent = 0
    with Publisher(settings) as feed:
        for record in paced(records, rate):
            feed.send(record)
            on_sent(record)
            sent += 1
    return sent
