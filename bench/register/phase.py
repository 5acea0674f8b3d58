"""One timed phase: produce a workload (open loop or paced), wait for every result, the figures.

Open loop: every message is produced as fast as one confluent-kafka producer takes it; the
throughput is results / (last result - first produce). Paced: message i is due at i / rate
seconds after the start, and its latency is counted from when it was *due*, so a sender or a
service that falls behind shows in the latency instead of hiding in a slower offered rate.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from confluent_kafka import Producer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bench.register.measure import Collector, CpuMeter
from bench.register.stages import ForwardWatch, percentiles_ms, stage_figures
from bench.register.workload import Workload
from raas.clients import make_producer
from raas.config import Settings

console = Console(stderr=True)


class PhaseMeter(Protocol):
    """Something measured over a phase's timed part: its figures for `commands` commands."""

    def start(self) -> None: ...

    def stop(self, commands: int) -> dict[str, Any]: ...


@dataclass
class Target:
    """The process under test, as a phase sees it."""

    label: str
    result_topics: list[str]
    meter: CpuMeter
    alive: Callable[[], bool]
    warm: Callable[[Producer], int]  # sends probes, returns how many answers to expect


def progress_bars() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def produce_all(
    producer: Producer, w: Workload, rate: float, bars: Progress, task: Any
) -> tuple[list[float], float]:
    """Produce every message, open loop (`rate` 0) or on a schedule of `rate` per second.

    Returns the time each message counts from (produced, or due when paced) and the largest
    lag of the sender behind its schedule.
    """
    sent = [0.0] * len(w)
    produce, topics, keys, values = producer.produce, w.topics, w.keys, w.values
    begin, lag, i = time.perf_counter(), 0.0, 0
    while i < len(values):
        now = time.perf_counter()
        due = len(values) if rate <= 0 else min(len(values), int((now - begin) * rate) + 1)
        if i >= due:
            time.sleep(min(0.001, begin + i / rate - now))
            continue
        while i < due:
            at = time.perf_counter()
            if rate > 0:
                sent[i] = begin + i / rate
                lag = max(lag, at - sent[i])
            else:
                sent[i] = at
            while True:
                try:
                    produce(topics[i], key=keys[i], value=values[i])
                    break
                except BufferError:  # the local queue is full: let librdkafka send some
                    producer.poll(0.01)
            i += 1
            if i % 1000 == 0:
                producer.poll(0)
                bars.update(task, completed=i)
        producer.poll(0)
    bars.update(task, completed=len(values))
    if producer.flush(120) != 0:
        raise RuntimeError("the broker did not acknowledge every message")
    return sent, lag


def run_phase(
    settings: Settings,
    w: Workload,
    target: Target,
    rate: float,
    idle_timeout: float,
    meters: Mapping[str, PhaseMeter] | None = None,
    stages: bool = False,
) -> dict[str, Any]:
    """Produce `w`, wait for every result on the target's topics; the figures.

    Before the clock starts, the target's probes go out with the same producer (topic metadata,
    leader connections) and the collector must have seen their answers (its fetch is running).
    Each of `meters` runs over the timed part too, and its figures are the result's entry of
    its name (`broker_requests`: the CPU figures then include the broker's logging of them;
    `broker_profile`). With `stages`, each command's latency is split at
    the ingress's write of it to the internal topic (`bench.register.stages`).
    """
    label = target.label
    collector = Collector(settings, target.result_topics, w.rids)
    collector.start()
    forwards = ForwardWatch(settings, w.rids) if stages else None
    if forwards:
        forwards.start()
    producer = make_producer(settings, **{"client.id": "bench-producer"})
    wait_for(
        f"{label}: warming up", lambda: _warmed(producer, collector, target.warm), 180, target.alive
    )
    n = len(w)
    for meter in (meters or {}).values():
        meter.start()
    target.meter.start()
    sent: list[float] = []
    lag: list[float] = []
    failed: list[BaseException] = []
    with progress_bars() as bars:
        produced = bars.add_task(f"{label}: produce", total=n)
        answered = bars.add_task(f"{label}: results", total=n)

        def send_all() -> None:
            try:
                times, behind = produce_all(producer, w, rate, bars, produced)
                sent.extend(times)
                lag.append(behind)
            except BaseException as exc:
                failed.append(exc)

        sender = threading.Thread(target=send_all, name="producer")
        sender.start()
        last_count, last_change = 0, time.monotonic()
        while collector.count < n and not failed:
            time.sleep(0.25)
            bars.update(answered, completed=collector.count)
            if collector.count != last_count:
                last_count, last_change = collector.count, time.monotonic()
            elif time.monotonic() - last_change > idle_timeout and not sender.is_alive():
                console.print(f"[red]{label}: no result for {idle_timeout:.0f} s, giving up")
                break
            if not target.alive():
                console.print(f"[red]{label}: the process under test exited")
                break
        bars.update(answered, completed=collector.count)
        sender.join()
    if forwards:
        forwards.stop()
    if failed or not target.alive():
        collector.stop()
        reason = "producing failed" if failed else "the process under test exited"
        raise RuntimeError(f"{label}: {reason}") from (failed[0] if failed else None)
    cpu = target.meter.stop()
    measured = {name: meter.stop(n) for name, meter in (meters or {}).items()}
    collector.stop()
    result = figures(sent, collector, cpu)
    result |= measured
    if forwards:
        result["stages_ms"] = stage_figures(
            sent, forwards.forwarded, collector.written, collector.arrived
        )
    result["offered_per_s"] = rate or "open loop"
    if rate:
        result["sender_max_lag_ms"] = round(lag[0] * 1000, 1)
    result["_values"] = collector.values  # decoded after the timing, then dropped
    return result


def _warmed(producer: Producer, collector: Collector, warm: Callable[[Producer], int]) -> bool:
    """Send probes; True once the collector has seen an answer to each of them."""
    before = collector.strangers
    expected = warm(producer)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if collector.strangers - before >= expected:
            time.sleep(1)  # let late answers to earlier probes pass, out of the timing
            return True
        time.sleep(0.05)
    return False


def figures(sent: list[float], c: Collector, cpu: dict[str, float]) -> dict[str, Any]:
    n = len(sent)
    latencies = [c.arrived[i] - sent[i] for i in range(n) if c.arrived[i]]
    first, last_sent = sent[0], sent[-1]
    arrivals = sorted(t for t in c.arrived if t)
    seconds = (c.last - first) if c.count else float("nan")
    steady = float("nan")
    if len(arrivals) >= 100:  # 10th to 90th percentile of arrivals: no ramp-up, no tail
        lo, hi = arrivals[len(arrivals) // 10], arrivals[len(arrivals) * 9 // 10]
        steady = (len(arrivals) * 8 // 10) / (hi - lo) if hi > lo else float("nan")

    return {
        "sent": n,
        "answered": c.count,
        "missing": n - c.count,
        "duplicates": c.duplicates,
        "foreign_messages": c.strangers,
        "produce_seconds": round(last_sent - first, 3),
        "produce_per_s": round(n / (last_sent - first), 1) if last_sent > first else None,
        "seconds": round(seconds, 3),
        "per_s": round(c.count / seconds, 1) if c.count else 0.0,
        "steady_per_s": round(steady, 1),
        "latency_ms": percentiles_ms(latencies, {"p50": 0.5, "p90": 0.9, "p99": 0.99, "max": 1.0})
        if latencies
        else None,
        "cpu_seconds": cpu,
        "cpu_us_per_command": {
            k: round(v / n * 1e6, 1)
            for k, v in cpu.items()
            if k in ("process_under_test", "broker")
        },
    }


def wait_for(
    what: str, check: Callable[[], bool], timeout: float, alive: Callable[[], bool]
) -> None:
    deadline = time.monotonic() + timeout
    with console.status(what):
        while not check():
            if not alive():
                raise RuntimeError(f"the process under test exited while waiting: {what}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out after {timeout:.0f} s: {what}")
            time.sleep(0.5)
