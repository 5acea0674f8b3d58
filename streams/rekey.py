"""Source topics re-keyed by INSZ with our own partitioner, into a co-partitioned internal topic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from raas import codec
from raas.deadletters import DeadLetters
from raas.domain.insz import InvalidInsz, parse_insz


async def rekey(
    stream: Any, target: Any, dead: DeadLetters, insz_of: Callable[[bytes], str]
) -> None:
    """Send each event's value, unchanged, to `target` keyed by the INSZ `insz_of` reads in it;
    a value that does not decode or names no valid INSZ goes to the dead letters."""
    async for event in stream.events():
        message = event.message
        try:
            insz = parse_insz(insz_of(message.value)).number
        except (codec.CodecError, InvalidInsz) as exc:
            dead.send(message, exc)
            continue
        await target.send(key=insz.encode(), value=message.value)
