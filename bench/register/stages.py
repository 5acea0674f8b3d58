"""Where a paced command's latency goes: when the ingress forwarded it, and when its result was
written, from the timestamps of the records themselves (their writers' clocks, this machine's).

- *to ingress*: from when the command was due to the ingress's write of it to the internal topic
  (the bench's producer, the broker, the ingress's fetch);
- *ingress to result*: from that write to the worker's write of its result (the wait for the
  ingress's transaction to commit, the worker's fetch, its queue and its work);
- *result to bench*: from the result's write to its arrival at the bench's collector.

The internal topic is read uncommitted, so a forward is seen when written, not when committed.
"""

from __future__ import annotations

import threading
from typing import Any

from bench.register.measure import consumer_at_ends, wall_to_perf
from raas import codec
from raas.config import Settings
from raas.topics import internal_commands_topic


class ForwardWatch(threading.Thread):
    """Reads the internal commands topic from its end; notes when each wanted request id was
    written there (first copy only)."""

    def __init__(self, settings: Settings, rids: list[bytes]) -> None:
        super().__init__(name="forward-watch", daemon=True)
        self.index = {rid.decode(): i for i, rid in enumerate(rids)}
        self.forwarded: list[float] = [0.0] * len(rids)
        self._halt = threading.Event()
        topic = internal_commands_topic(settings.app_id)
        self._consumer = consumer_at_ends(settings, [topic], f"{settings.app_id}-forward-watch")

    def run(self) -> None:
        index, forwarded = self.index, self.forwarded
        while not self._halt.is_set():
            for msg in self._consumer.consume(num_messages=1000, timeout=0.1):
                value = msg.value()
                if msg.error() is not None or value is None:
                    continue
                try:
                    request_id = codec.decode(value, codec.TENANT_COMMAND).command.request_id
                except Exception:  # a probe's or anything else's: not ours to time
                    continue
                i = index.get(request_id)
                if i is not None and not forwarded[i]:
                    forwarded[i] = wall_to_perf(msg.timestamp()[1])
        self._consumer.close()

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)


def stage_figures(
    sent: list[float], forwarded: list[float], written: list[float], arrived: list[float]
) -> dict[str, Any]:
    """p50, p99 and max of each stage, in milliseconds, over the commands seen at every stage."""
    seen = [i for i in range(len(sent)) if forwarded[i] and written[i] and arrived[i]]
    stages = {
        "to_ingress": [forwarded[i] - sent[i] for i in seen],
        "ingress_to_result": [written[i] - forwarded[i] for i in seen],
        "result_to_bench": [arrived[i] - written[i] for i in seen],
    }
    return {"commands": len(seen)} | {
        name: percentiles_ms(v, {"p50": 0.5, "p99": 0.99, "max": 1.0})
        for name, v in stages.items()
        if v
    }


def percentiles_ms(seconds: list[float], points: dict[str, float]) -> dict[str, float]:
    """The named percentiles (shares, 1.0 for the largest) of durations in seconds, in ms."""
    ordered = sorted(seconds)
    last = len(ordered) - 1
    return {
        name: round(ordered[min(last, int(p * len(ordered)))] * 1000, 1)
        for name, p in points.items()
    }
