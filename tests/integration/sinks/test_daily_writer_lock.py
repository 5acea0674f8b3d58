"""Only one process writes daily files: on PostgreSQL a second writer waits for the lock."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, text

from sinks.daily import table_records, write_daily_files
from sinks.daily.ledger import WRITER_LOCK, record_file, take_writer_lock
from tests.integration.sinks.tables import projection_tables

TENANT = "0403019261"
WAITING = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
    "AND objid = (:key & 4294967295)"
)


def _wait_for_a_waiting_writer(engine: Engine, deadline: float) -> None:
    """Poll pg_locks (an observable event) until a writer waits for the lock, or fail."""
    with engine.connect() as observer:
        while observer.execute(WAITING, {"key": WRITER_LOCK}).scalar_one() == 0:
            assert time.monotonic() < deadline, "no second writer ever waited for the lock"
            observer.rollback()
            time.sleep(0.05)


def test_a_second_writer_waits_and_numbers_after_the_first(
    postgres: Engine, tmp_path: Path
) -> None:
    metadata, tables = projection_tables()
    metadata.create_all(postgres)
    ledger = tables["daily_files"]
    sources = {
        "notifications": table_records(tables["notifications"]),
        "dimona": table_records(tables["dimona_mutations"]),
    }
    with postgres.connect() as first, ThreadPoolExecutor(1) as pool:
        first.begin()
        take_writer_lock(first)
        second = pool.submit(
            write_daily_files, postgres, ledger, sources, TENANT, date(2026, 11, 28), tmp_path
        )
        _wait_for_a_waiting_writer(postgres, time.monotonic() + 60)
        for flow in ("notifications", "dimona"):
            record_file(
                first,
                ledger,
                tenant=TENANT,
                flow=flow,
                day=date(2026, 11, 27),
                sequence=1,
                data_file="earlier.xml",
                record_count=0,
                sha256="0" * 64,
                created_at=datetime.now(UTC),
            )
        first.commit()
        written = second.result(timeout=60)
    assert [w.voucher.sequence for w in written] == [2, 2]
