"""At-least-once offset commits: never commit past a message that was not processed.

faust-streaming's `Consumer._new_offset` (0.15.3) guards the head of the acked offsets with
`min(acked) - committed > 1`. The committed offset is Kafka's "next offset to read", so when the
acked run starts exactly one past it, the message at the committed offset was never acked, and
Faust commits straight over it (faust-streaming #606, fix proposed in PR #707). Our kill -9 test
lost commands that way. This module replaces the method with one that keeps the invariant: the
committable run must start at the committed offset, or at a gap Faust registered (compaction,
transaction markers).
"""

from __future__ import annotations

from typing import Any

from faust.transport.consumer import Consumer
from faust.utils.functional import consecutive_numbers


def _new_offset(self: Any, tp: Any) -> int | None:
    acked: list[int] = self._acked[tp]
    if not acked:
        return None
    gaps = self._gap[tp]
    if gaps:  # offsets that hold no message count as acked, as upstream does
        filled = [
            o
            for g in sorted(gaps.overlap(0, max(acked)), key=lambda g: g.begin)
            for o in range(g.begin, g.end)
        ]
        if filled:
            acked.extend(filled)
            gaps.chop(0, max(filled[-1], max(acked) + 1))
    acked.sort()
    committed = self._committed_offset[tp]
    if committed is not None and acked[0] > committed:
        return None  # the message at the committed offset is not processed yet
    batch = next(consecutive_numbers(acked))
    acked[: len(batch)] = []
    self._acked_index[tp].difference_update(batch)
    return int(batch[-1]) + 1


def install() -> None:
    """Patch Faust's consumer; called once when the app is created."""
    Consumer._new_offset = _new_offset  # type: ignore[method-assign]
