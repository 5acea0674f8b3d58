"""Projection throughput into PostgreSQL against a plain COPY of the same rows, in the same run.

    python -m bench.projection_throughput [--rows 100000] [--batch 5000] [--rounds 3]

Uses RAAS_POSTGRES_URL (a fresh schema, dropped at the end). For N CommandResults it times:
- sink: what the audit sink does with the batches its consumer hands over: decode each record
  and map it to its row (`batch_changes`), while its `Committer` writes the batch before (the
  upsert and the offsets in one transaction, `write_batch`) in its own thread, as `SinkLoop` does;
- sink, write only: the same batches' `write_batch`, rows already mapped;
- COPY: psycopg2 `copy_expert` of the same rows, as CSV, into the same table, one transaction.
The ratio is sink rows/s / COPY rows/s (goal: >= 0.50). Kafka is not in the loop: this measures
the database side. The machine is shared, so the three phases run `--rounds` times in turn, each
on truncated tables, and each phase's best round counts; every round's own ratio is kept too.
Results go to bench/results/projection_throughput.json.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import os
import platform
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from raas.codec import default_codec, encode
from sinks import tables
from sinks.batches import batch_changes
from sinks.committing import Committer
from sinks.database import make_engine, upgrade
from sinks.loop import BATCH
from sinks.routes import sink_specs
from sinks.rows import Changes
from sinks.writing import write_batch
from tests.integration.projection import fresh_database
from tests.unit.codec.fakes import FakeMessage, FakeProducer
from tests.unit.sinks.records import result

RESULTS = Path(__file__).parent / "results" / "projection_throughput.json"
TOPIC = "raas.tenant.0403019261.results"


def messages(count: int) -> list[FakeMessage]:
    start = datetime(2025, 3, 1, tzinfo=UTC)
    return [
        FakeMessage(
            encode(result("0403019261", "85073003328", n, start + timedelta(seconds=n))),
            f"req-{n}".encode(),
            TOPIC,
            n % 8,
            n // 8,
        )
        for n in range(count)
    ]


def sink(engine: Engine, batches: list[list[FakeMessage]]) -> float:
    spec = sink_specs("bench")[0]
    codec, producer = default_codec(), FakeProducer()
    committer, stop = Committer(spec.name, engine, producer), threading.Event()
    began = time.perf_counter()
    for batch in batches:
        changes, offsets = batch_changes(spec, codec, producer, batch)
        committer.hand(changes, offsets, {}, stop)
    committer.close()
    return time.perf_counter() - began


def mapped(batches: list[list[FakeMessage]]) -> list[Changes]:
    """The batches' rows, for the phases that start from rows."""
    spec, codec, producer = sink_specs("bench")[0], default_codec(), FakeProducer()
    return [batch_changes(spec, codec, producer, batch)[0] for batch in batches]


def write_only(engine: Engine, batches: list[Changes]) -> float:
    began = time.perf_counter()
    for n, changes in enumerate(batches):
        with engine.begin() as connection:
            write_batch(connection, "audit", changes, {(TOPIC, 0): n})
    return time.perf_counter() - began


def copy(engine: Engine, batches: list[Changes]) -> float:
    columns = [c.name for c in tables.audit.columns if c.name != "id"]
    began = time.perf_counter()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for changes in batches:
        for row in changes.rows["audit"].values():
            writer.writerow([json.dumps(row[c]) if c == "codes" else row[c] for c in columns])
    buffer.seek(0)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.copy_expert(
            f"COPY audit ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)", buffer
        )
        raw.commit()
    finally:
        raw.close()
    return time.perf_counter() - began


def clear(engine: Engine) -> None:
    """Empty tables for the next phase: TRUNCATE, so no dead index entries slow its inserts."""
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE audit, sink_offsets"))


def rounds(engine: Engine, batches: list[list[FakeMessage]], count: int) -> list[Round]:
    """Seconds of each phase per round, each phase on empty tables.

    The records and rows made up front are frozen out of the garbage collector's sight: a sink
    holds one batch at a time, and its collections never walk a 100k-record input."""
    changes = mapped(batches)
    gc.freeze()
    timed = []
    for _ in range(count):
        clear(engine)
        sink_s = sink(engine, batches)
        clear(engine)
        write_s = write_only(engine, changes)
        clear(engine)
        timed.append(Round(sink_s, write_s, copy(engine, changes)))
    return timed


@dataclass(frozen=True)
class Round:
    sink: float
    write: float
    copy: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=BATCH, help="records per transaction")
    parser.add_argument("--rounds", type=int, default=3, help="each phase's best round counts")
    args = parser.parse_args()
    with fresh_database("postgresql", Path()) as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            made = messages(args.rows)
            batches = [made[i : i + args.batch] for i in range(0, len(made), args.batch)]
            timed = rounds(engine, batches, args.rounds)
        finally:
            engine.dispose()
    sink_s, write_s = min(r.sink for r in timed), min(r.write for r in timed)
    copy_s = min(r.copy for r in timed)
    figures: dict[str, Any] = {
        "rows": args.rows,
        "batch": args.batch,
        "rounds": args.rounds,
        "sink_rows_per_s": round(args.rows / sink_s),
        "sink_write_only_rows_per_s": round(args.rows / write_s),
        "copy_rows_per_s": round(args.rows / copy_s),
        "ratio_sink_to_copy": round(copy_s / sink_s, 3),
        "ratio_write_only_to_copy": round(copy_s / write_s, 3),
        "ratio_sink_to_copy_per_round": [round(r.copy / r.sink, 3) for r in timed],
        "machine": platform.platform(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
