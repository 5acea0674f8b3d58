"""What the clock and the meters see: results as they arrive, CPU seconds per process."""

from __future__ import annotations

import os
import resource
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from confluent_kafka import Consumer

from raas.clients import end_offset, make_consumer
from raas.config import Settings
from raas.stack import kafka

# A short wait per fetch: librdkafka returns a batch only when it is full or this has passed, so
# at a paced rate the wait would otherwise be added to every latency.
FETCH_WAIT = 0.01


_PERF_MINUS_WALL = time.perf_counter() - time.time()


def wall_to_perf(timestamp_ms: int) -> float:
    """A record's timestamp (milliseconds of the wall clock) on the bench's perf_counter clock."""
    return timestamp_ms / 1000 + _PERF_MINUS_WALL


@dataclass(frozen=True)
class Broker:
    """The broker under measurement: its process, for its CPU seconds (None when it is not one
    our launcher started: then its CPU is not measured), and its log, for its request counts."""

    pid: int | None
    log: Path

    @classmethod
    def of(cls, settings: Settings) -> Broker:
        """The broker our launcher started for `settings` (its pid file and log)."""
        return cls(kafka.running_pid(settings), kafka.BrokerPaths.of(settings).log)


def consumer_at_ends(settings: Settings, topics: list[str], group: str) -> Consumer:
    """A consumer assigned every partition of `topics` at its end now: it sees what comes next,
    uncommitted records too (the clock stops when a record is written, not committed)."""
    consumer = make_consumer(
        settings,
        group_id=group,
        **{
            "client.id": "bench-collector",
            "enable.partition.eof": False,
            "isolation.level": "read_uncommitted",
        },
    )
    assignment = []
    for topic in topics:
        metadata = consumer.list_topics(topic, timeout=30).topics[topic]
        assignment += [end_offset(consumer, topic, p) for p in metadata.partitions]
    consumer.assign(assignment)
    return consumer


class Collector(threading.Thread):
    """Reads the given topics from their end offsets; notes each wanted key's first arrival."""

    def __init__(self, settings: Settings, topics: list[str], rids: list[bytes]) -> None:
        super().__init__(name="collector", daemon=True)
        self.index = {rid: i for i, rid in enumerate(rids)}
        self.arrived: list[float] = [0.0] * len(rids)
        self.written: list[float] = [0.0] * len(rids)  # the result's timestamp (its writer's clock)
        self.values: list[bytes | None] = [None] * len(rids)
        self.count = 0
        self.duplicates = 0
        self.strangers = 0
        self.last = 0.0
        self._halt = threading.Event()
        self._consumer = consumer_at_ends(settings, topics, f"{settings.app_id}-collector")

    def run(self) -> None:
        consumer, index, arrived, values = self._consumer, self.index, self.arrived, self.values
        written = self.written
        while not self._halt.is_set() and self.count < len(arrived):
            batch = consumer.consume(num_messages=1000, timeout=FETCH_WAIT)
            now = time.perf_counter()
            for msg in batch:
                if msg.error() is not None:
                    continue
                i = index.get(msg.key())
                if i is None:
                    self.strangers += 1  # a probe's, or a message of nobody we know
                elif arrived[i]:
                    self.duplicates += 1
                else:
                    arrived[i], values[i] = now, msg.value()
                    written[i] = wall_to_perf(msg.timestamp()[1])
                    self.count += 1
                    self.last = now
        consumer.close()

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)


class CpuMeter:
    """CPU seconds of a few processes and of the whole machine, between start() and stop()."""

    def __init__(self, pids: dict[str, int | None]) -> None:
        self.pids = {k: v for k, v in pids.items() if v}
        self._start: dict[str, float] = {}

    @staticmethod
    def _proc(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return 0.0

    @staticmethod
    def _machine() -> float:
        try:
            values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
            return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")  # not idle
        except (OSError, ValueError):
            return 0.0

    def _sample(self) -> dict[str, float]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        sample = {name: self._proc(pid) for name, pid in self.pids.items()}
        sample["bench"] = usage.ru_utime + usage.ru_stime
        sample["machine_busy"] = self._machine()
        return sample

    def start(self) -> None:
        self._start = self._sample()

    def stop(self) -> dict[str, float]:
        end = self._sample()
        spent = {k: round(end[k] - self._start[k], 2) for k in end}
        known = sum(v for k, v in spent.items() if k != "machine_busy")
        spent["others"] = round(max(0.0, spent["machine_busy"] - known), 2)
        return spent
