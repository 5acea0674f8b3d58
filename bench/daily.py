"""A daily file of N notifications: time and peak RSS, against lxml's writer in the same run.

    python -m bench.daily [--records 1000000] [--no-postgres]

Each variant runs in a fresh child process, so its peak RSS (VmHWM) is its own; `seconds` is wall
time, `cpu_seconds` the child's own CPU (on a shared machine the wall time also holds the waits for
a core; PostgreSQL's server CPU is not in it):
- making: making the N records in memory, nothing else (the part of `raas` and `baseline` that
  is not the writer's);
- raas: `write_data_file` on those N records: the writer alone;
- baseline: the same records written the way the first version did, one element per record through
  lxml's incremental writer (`etree.xmlfile`), without hashing;
- sqlite, postgresql: the whole `write_flow_file` from a `notifications` table of N rows (loaded
  before, not timed; PostgreSQL in a schema of its own at RAAS_POSTGRES_URL, dropped after): lock,
  sequence, streamed query, data file, voucher, ledger. These are issue 12's figure;
- verify: `verify_directory` on what `sqlite` wrote (both XSDs, count, hash, sequence).
Goal (issue 12): < 10 s and < 100 MB peak RSS for 1M notifications. Results go to
bench/results/daily.json.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import create_engine

from sinks import tables
from sinks.daily import FlowRecord, verify_directory
from sinks.daily.datafiles import DATA_NS, write_data_file
from sinks.daily.sources import table_records
from sinks.daily.writer import write_flow_file

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "daily.json"
TENANT, DAY = "0403019261", date(2026, 11, 27)
START = datetime(2026, 11, 26, 23)  # naive UTC, as the tables keep times
COLUMNS = ("event_id", "tenant", "insz", "kind", "payload", "time", "day")


def records(how_many: int) -> Iterator[FlowRecord]:
    """N records, one millisecond apart, with the time as SQLite stores it (a space, not a T)."""
    for n in range(how_many):
        payload = {"field": "address", "old": "Wetstraat 16, 1000 Brussel", "new": f"Meir {n}"}
        yield FlowRecord(
            f"{n:032x}",
            "85073003328",
            "IdentityChanged",
            (START + timedelta(milliseconds=n)).strftime("%Y-%m-%d %H:%M:%S.%f"),
            json.dumps(payload),
        )


def xml_records(how_many: int) -> Iterator[FlowRecord]:
    """The same records with the time as the database hands it to the writer."""
    for record in records(how_many):
        yield record._replace(time=record.time.replace(" ", "T"))


def baseline(path: Path, how_many: int) -> None:
    """The first version's writer: one lxml element per record, payload dumped, no hashing."""
    with (
        path.open("wb") as out,
        etree.xmlfile(out, encoding="UTF-8") as xml,
        xml.element(f"{{{DATA_NS}}}DailyFile", nsmap={None: DATA_NS}),
    ):
        for record in xml_records(how_many):
            attributes = {
                "eventId": record.event_id,
                "insz": record.insz,
                "kind": record.kind,
                "time": record.time,
            }
            payload = json.loads(record.payload)
            with (
                xml.element(f"{{{DATA_NS}}}Record", attributes),
                xml.element(f"{{{DATA_NS}}}Payload"),
            ):
                xml.write(json.dumps(payload, sort_keys=True, ensure_ascii=False))


def rows(how_many: int) -> Iterator[tuple[str, ...]]:
    for r in records(how_many):
        yield (r.event_id, TENANT, r.insz, r.kind, r.payload, r.time, DAY.isoformat())


def load_sqlite(database: Path, how_many: int) -> None:
    engine = create_engine(f"sqlite:///{database}")
    tables.notifications.create(engine)
    tables.daily_files.create(engine)
    engine.dispose()
    connection = sqlite3.connect(database)
    names = ", ".join(f'"{c}"' for c in COLUMNS)
    marks = ", ".join("?" for _ in COLUMNS)
    stream = rows(how_many)
    while batch := list(itertools.islice(stream, 50_000)):
        connection.executemany(f"INSERT INTO notifications ({names}) VALUES ({marks})", batch)
    connection.commit()
    connection.close()


def load_postgres(url: str, how_many: int) -> None:
    engine = create_engine(url)
    tables.notifications.create(engine)
    tables.daily_files.create(engine)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        stream = rows(how_many)
        while batch := list(itertools.islice(stream, 100_000)):
            data = io.StringIO("".join("\t".join(row) + "\n" for row in batch))
            cursor.copy_expert(f"COPY notifications ({', '.join(COLUMNS)}) FROM STDIN", data)
        cursor.execute("ANALYZE notifications")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def _rss_mb() -> float:
    """Peak RSS of this process image (VmHWM): unlike ru_maxrss, it starts afresh at exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child(variant: str, folder: Path, how_many: int, database: str) -> dict[str, Any]:
    """Time one variant; peak RSS after the imports, and at the end."""
    before = _rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    count = how_many
    if variant == "raas":
        write_data_file(folder / "raas.xml", TENANT, "notifications", DAY, xml_records(how_many))
    elif variant == "making":
        for _ in xml_records(how_many):
            pass
    elif variant == "baseline":
        baseline(folder / "baseline.xml", how_many)
    elif variant == "verify":
        problems = verify_directory(folder / "sqlite")
        assert problems == [], problems
    else:
        engine = create_engine(database)
        out = folder / variant
        out.mkdir(exist_ok=True)
        source = table_records(tables.notifications)
        written = write_flow_file(
            engine, tables.daily_files, source, TENANT, "notifications", DAY, out
        )
        count = written.voucher.record_count
        engine.dispose()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "records": count,
        "rss_after_imports_mb": before,
        "peak_rss_mb": _rss_mb(),
    }


def run(variant: str, folder: Path, how_many: int, database: str = "") -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.daily", "--child", variant, "--folder", str(folder)]
    command += ["--records", str(how_many), "--database", database]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    figures: dict[str, Any] = json.loads(done.stdout)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--folder", default="", help=argparse.SUPPRESS)
    parser.add_argument("--database", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        figures = child(args.child, Path(args.folder), args.records, args.database)
        print(json.dumps(figures))
        return
    report: dict[str, Any] = {"records": args.records}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for variant in ("making", "raas", "baseline"):
            report[variant] = run(variant, folder, args.records)
        report["bytes"] = (folder / "raas.xml").stat().st_size
        load_sqlite(folder / "daily.db", args.records)
        report["sqlite"] = run("sqlite", folder, args.records, f"sqlite:///{folder / 'daily.db'}")
        (folder / "daily.db").unlink()
        report["verify"] = run("verify", folder, args.records)
        if not args.no_postgres:
            # here only: the tests' harness imports the Kafka client, which the children need not
            from tests.integration.projection import fresh_database

            with fresh_database("postgresql", Path()) as url:
                load_postgres(url, args.records)
                report["postgresql"] = run("postgresql", folder, args.records, url)
    report["goal"] = "< 10 s and < 100 MB peak RSS for 1M notifications (sqlite, postgresql)"
    report["machine"] = platform.platform()
    report["when"] = datetime.now(UTC).isoformat(timespec="seconds")
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
