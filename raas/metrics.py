"""Prometheus metrics of a worker or a sink, through prometheus_client (issue 14).

    metrics.serve(settings)          # RAAS_METRICS_PORT; 0 (the default) serves nothing

The process serves them on `RAAS_METRICS_HOST:RAAS_METRICS_PORT/metrics` (127.0.0.1 unless told;
`raas worker --metrics-port` and `raas sink --metrics-port` override the port). The agents and the
sink loop make one call per event or batch; the gauges of lag and table size are sampled by a
timer (`watch_faust`), so a scrape never touches the consumer or the tables. Until `serve` runs
(port 0), every call returns at once: metrics off cost nothing. The README lists every metric.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any

from prometheus_client import Counter, Gauge, Histogram, start_http_server

log = logging.getLogger(__name__)
SAMPLE_SECONDS = 10.0
_serving = threading.Event()  # set by serve(): until then nothing is counted
_ROCKSDB_KEYS = "rocksdb.estimate-num-keys"

COMMANDS = Counter(
    "raas_commands",
    "Commands answered by the register, by kind and result status",
    ["kind", "status"],
)
LATENCY = Histogram(
    "raas_command_latency_seconds",
    "From a command's record on the internal topic to its answer, by the register agent",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
DEAD_LETTERS = Counter("raas_dead_letters", "Records sent to raas.dlq, by reason", ["reason"])
NOTIFICATIONS = Counter("raas_notifications", "Notifications sent, by tenant", ["tenant"])
LAG = Gauge(
    "raas_consumer_lag",
    "Offsets between a partition's end (last seen) and this process's committed offset",
    ["topic", "partition"],
)
PAUSED = Gauge(
    "raas_ingress_paused_partitions", "Tenant partitions the ingress paused while they are quiet"
)
TABLE_KEYS = Gauge("raas_table_keys", "Keys in a table's local partitions (estimated)", ["table"])
SINK_CHANGES = Counter("raas_sink_changes", "Changes a sink wrote to the database", ["sink"])
SINK_BATCH = Histogram(
    "raas_sink_batch_seconds", "Time to write one sink batch and its offsets", ["sink"]
)


def serve(port: int, host: str = "127.0.0.1") -> bool:
    """Serve /metrics on `host:port` in a daemon thread; port 0 serves nothing."""
    if not port:
        return False
    start_http_server(port, addr=host)
    _serving.set()
    log.info("metrics on http://%s:%d/metrics", host, port)
    return True


def answered(kind: str, status: str, since: float | None) -> None:
    """A command of `kind` answered with `status`; `since` is its record's epoch seconds."""
    if not _serving.is_set():
        return
    COMMANDS.labels(kind, status).inc()
    if since is not None:
        LATENCY.observe(max(time.time() - since, 0.0))


def dead_lettered(reason: str) -> None:
    if not _serving.is_set():
        return
    DEAD_LETTERS.labels(reason).inc()


def paused_partitions(count: int) -> None:
    """The ingress holds `count` quiet tenant partitions paused now."""
    if not _serving.is_set():
        return
    PAUSED.set(count)


def notified(tenant: str) -> None:
    if not _serving.is_set():
        return
    NOTIFICATIONS.labels(tenant).inc()


def sink_batch(
    sink: str, changes: int, seconds: float, lags: Mapping[tuple[str, int], int]
) -> None:
    """A sink wrote a batch of `changes` in `seconds`; `lags` per (topic, partition)."""
    if not _serving.is_set():
        return
    SINK_CHANGES.labels(sink).inc(changes)
    SINK_BATCH.labels(sink).observe(seconds)
    set_lags(lags)


def set_lags(lags: Mapping[tuple[str, int], int]) -> None:
    for (topic, partition), lag in lags.items():
        LAG.labels(topic, str(partition)).set(lag)


def faust_lags(consumer: Any) -> dict[tuple[str, int], int]:
    """End (as last fetched) minus committed offset of each partition the Faust consumer holds."""
    lags: dict[tuple[str, int], int] = {}
    for tp in consumer.assignment():
        end, committed = consumer.highwater(tp), consumer._committed_offset.get(tp)
        if end is not None and end >= 0 and committed is not None:
            lags[(tp.topic, tp.partition)] = max(end - committed, 0)
    return lags


def table_keys(table: Any) -> int:
    """A table's keys in this worker: RocksDB's own estimate, or the count of a memory table."""
    store = table.data
    dbs = getattr(store, "_dbs", None)
    if dbs is None:
        return len(store)
    return sum(int(db.property_int_value(_ROCKSDB_KEYS) or 0) for db in list(dbs.values()))


def watch_faust(app: Any, tables: Iterable[Any]) -> None:
    """Sample the consumer's lag and the tables' sizes every SAMPLE_SECONDS, on `app`'s loop."""
    watched = list(tables)

    async def sample() -> None:
        if not _serving.is_set():
            return
        try:
            set_lags(faust_lags(app.consumer))
            for table in watched:
                TABLE_KEYS.labels(table.name).set(table_keys(table))
        except Exception:  # metrics must never be what stops the worker
            log.exception("metrics sample failed; trying again in %s s", SAMPLE_SECONDS)

    app.timer(interval=SAMPLE_SECONDS)(sample)
