"""Where the broker's CPU goes during a phase: a Java Flight Recorder recording of the broker
process (`jcmd <pid> JFR.start`, the JDK's `profile` settings), summed up by thread and by what
the sampled code was doing.

Only Java code is sampled (not the JIT compiler, the garbage collector or the kernel); the shares
are of the samples, so they say where the broker's Java time goes, not how much there is (the
CPU meter says that). Needs the JDK's `jcmd` and `jfr` (a JRE has neither).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

# What a sample was doing, by the first of these patterns found in its frames (outermost last):
# the order matters, the more specific first.
BUCKETS: list[tuple[str, str]] = [
    ("request metrics (yammer histograms)", r"updateRequestMetrics|com\.yammer\.metrics"),
    ("other metrics", r"org\.apache\.kafka\.common\.metrics\.|BrokerTopic(Metrics|Stats)"),
    (
        "purgatory (waiting requests woken by writes)",
        r"DelayedOperationPurgatory|addCompletePurgatoryAction|DelayedFetch|DelayedProduce",
    ),
    (
        "fetch",
        r"handleFetchRequest|ReplicaManager\.(fetchMessages|readFromLog|read\$)|FetchResponse"
        r"|FileRecords",
    ),
    (
        "produce",
        r"handleProduceRequest|appendRecords|appendToLocalLog|ProducerState|LogValidator"
        r"|UnifiedLog\.append",
    ),
    (
        "transactions",
        r"Transaction(Coordinator|StateManager|MarkerChannelManager)|AddPartitionsToTxn"
        r"|handleEndTxn|handleWriteTxnMarkers|handleAddOffsetsToTxn|handleTxnOffsetCommit",
    ),
    ("groups and offsets", r"coordinator\.group|GroupCoordinator|handleOffsetCommit|Heartbeat"),
    ("network (socket, request parsing, responses)", r"kafka\.network\.|common\.network\."),
    ("metadata (KRaft, the metadata image)", r"metadata|raft|controller|pcollections"),
]
THREAD_DIGITS = re.compile(r"\d+")


def tool(name: str) -> str:
    """The JDK tool `name` (jcmd, jfr): beside the `java` on PATH, else on PATH."""
    java = shutil.which("java")
    beside = Path(java).resolve().with_name(name) if java else None
    found = str(beside) if beside and beside.exists() else shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed: the broker profile needs a JDK, not a JRE")
    return found


def summary(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Shares (%) of the samples by thread kind, by bucket, and the top frames where they ran."""
    threads: Counter[str] = Counter()
    buckets: Counter[str] = Counter()
    tops: Counter[str] = Counter()
    for sample in samples:
        values = sample["values"]
        thread = (values.get("sampledThread") or {}).get("javaName") or "?"
        threads[THREAD_DIGITS.sub("N", thread)] += 1
        frames = [_frame(f) for f in (values.get("stackTrace") or {}).get("frames") or []]
        if frames:
            tops[frames[0]] += 1
        buckets[_bucket(frames)] += 1
    n = len(samples) or 1

    def shares(counter: Counter[str], k: int) -> dict[str, float]:
        return {key: round(v * 100 / n, 1) for key, v in counter.most_common(k)}

    return {
        "samples": len(samples),
        "by_thread_pct": shares(threads, 8),
        "by_work_pct": shares(buckets, len(BUCKETS) + 1),
        "top_frames_pct": shares(tops, 10),
    }


def _frame(frame: dict[str, Any]) -> str:
    method = frame.get("method") or {}
    owner = ((method.get("type") or {}).get("name") or "?").replace("/", ".")
    return f"{owner}.{method.get('name', '?')}"


def _bucket(frames: list[str]) -> str:
    stack = "\n".join(frames)
    for name, pattern in BUCKETS:
        if re.search(pattern, stack):
            return name
    return "other"


class BrokerProfile:
    """Records the broker between start() and stop() into `path`; stop() sums it up."""

    def __init__(self, pid: int, path: Path) -> None:
        self.pid = pid
        self.path = path
        self.name = f"bench-{path.stem}"

    def start(self) -> None:
        self._jcmd("JFR.start", f"name={self.name}", "settings=profile")

    def stop(self, commands: int) -> dict[str, Any]:
        self._jcmd("JFR.stop", f"name={self.name}", f"filename={self.path}")
        printed = subprocess.run(
            [tool("jfr"), "print", "--json", "--events", "jdk.ExecutionSample", str(self.path)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        events = json.loads(printed.stdout)["recording"]["events"]
        return summary(events) | {"recording": str(self.path), "commands": commands}

    def _jcmd(self, *command: str) -> None:
        subprocess.run([tool("jcmd"), str(self.pid), *command], check=True, capture_output=True)
