"""A daily file of N notifications: time and peak RSS, against plain lxml in the same run.

    python bench/daily.py [--records 1000000]

Each variant runs in a fresh child process, so its peak RSS (VmHWM) is its own:
- raas: `write_data_file`, records streamed through lxml's incremental writer and hashed as written;
- baseline: the same records and elements written with `etree.xmlfile` straight to the file,
  without the hashing wrapper;
- database: the whole `write_flow_file` from a SQLite `notifications` table of N rows (loaded
  before, not timed): lock, sequence, streamed query, data file, voucher, ledger;
- verify: `verify_directory` on what `database` wrote (both XSDs, count, hash, sequence).
Goal (issue 12): < 10 s and < 100 MB peak RSS for 1M notifications. Results go to
bench/results/daily.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from lxml import etree
from sqlalchemy import create_engine

from sinks import tables
from sinks.daily import FlowRecord, verify_directory
from sinks.daily.datafiles import DATA_NS, write_data_file, write_record
from sinks.daily.writer import table_records, write_flow_file

RESULTS = Path(__file__).parent / "results" / "daily.json"
TENANT, DAY = "0403019261", date(2026, 11, 27)
START = datetime(2026, 11, 26, 23, tzinfo=UTC)


def records(how_many: int) -> Iterator[FlowRecord]:
    for n in range(how_many):
        yield FlowRecord(
            event_id=f"{n:032x}",
            insz="85073003328",
            kind="IdentityChanged",
            time=START + timedelta(milliseconds=n),
            payload={"field": "address", "old": "Wetstraat 16, 1000 Brussel", "new": f"Meir {n}"},
        )


def baseline(path: Path, how_many: int) -> None:
    """The same elements straight into the file: no hashing wrapper, no counting."""
    root = f"{{{DATA_NS}}}DailyFile"
    with (
        path.open("wb") as out,
        etree.xmlfile(out, encoding="UTF-8") as xml,
        xml.element(root, nsmap={None: DATA_NS}),
    ):
        for record in records(how_many):
            write_record(xml, record)


def load(database: Path, how_many: int) -> None:
    engine = create_engine(f"sqlite:///{database}")
    tables.metadata.create_all(engine)
    stream = records(how_many)
    while batch := list(itertools.islice(stream, 20_000)):
        rows = [
            {
                "event_id": r.event_id,
                "tenant": TENANT,
                "insz": r.insz,
                "kind": r.kind,
                "payload": r.payload,
                "time": r.time,
                "day": DAY.isoformat(),
            }
            for r in batch
        ]
        with engine.begin() as connection:
            connection.execute(tables.notifications.insert(), rows)
    engine.dispose()


def _rss_mb() -> float:
    """Peak RSS of this process image (VmHWM): unlike ru_maxrss, it starts afresh at exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child(variant: str, folder: Path, how_many: int) -> dict[str, float]:
    """Time one variant; peak RSS after the imports, and at the end."""
    before = _rss_mb()
    started = time.perf_counter()
    if variant == "raas":
        write_data_file(folder / "raas.xml", TENANT, "notifications", DAY, records(how_many))
    elif variant == "baseline":
        baseline(folder / "baseline.xml", how_many)
    elif variant == "verify":
        problems = verify_directory(folder / "out")
        assert problems == [], problems
    else:
        engine = create_engine(f"sqlite:///{folder / 'daily.db'}")
        source = table_records(tables.notifications)
        out = folder / "out"
        out.mkdir(exist_ok=True)
        write_flow_file(engine, tables.daily_files, source, TENANT, "notifications", DAY, out)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), "rss_after_imports_mb": before, "peak_rss_mb": _rss_mb()}


def run(variant: str, folder: Path, how_many: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", variant, "--folder", str(folder)]
    done = subprocess.run(
        [*command, "--records", str(how_many)], check=True, capture_output=True, text=True
    )
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--child", default="")
    parser.add_argument("--folder", default="")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, Path(args.folder), args.records)))
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        load(folder / "daily.db", args.records)
        report = {
            "records": args.records,
            **{variant: run(variant, folder, args.records) for variant in ("raas", "baseline")},
            "database": run("database", folder, args.records),
            "verify": run("verify", folder, args.records),
            "bytes": (folder / "raas.xml").stat().st_size,
            "goal": "< 10 s and < 100 MB peak RSS for 1M notifications",
            "machine": platform.platform(),
        }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
