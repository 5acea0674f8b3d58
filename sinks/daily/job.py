"""The leader-only daily job inside `raas sink`: once per Brussels day, every tenant's due files.

    stop = threading.Event()
    run_daily_job(engine, tenants, out_dir, stop)   # until stop is set

After each Brussels midnight (checked every minute) the job writes, for every tenant, each day
from the one after its last written day up to yesterday (yesterday alone for a tenant with none),
into `out_dir/<tenant>/`. A missed night is caught up, a day already written is left alone. Only
one process writes at a time: each file is written under the writer lock of `sinks.daily.ledger`
(a PostgreSQL advisory lock, SQLite's single writer).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, Table, func, select

from sinks import tables
from sinks.daily.sources import RecordSource, table_records
from sinks.daily.writer import WrittenFile, brussels_yesterday, write_daily_files

log = logging.getLogger(__name__)
CHECK_SECONDS = 60.0


def projection_sources() -> dict[str, RecordSource]:
    """Each flow's records, read from its projection table."""
    return {
        "notifications": table_records(tables.notifications),
        "dimona": table_records(tables.dimona_mutations),
    }


def due_day(now: datetime, last_written: date | None) -> date | None:
    """The next day whose files are due at `now`: the one after the last written, at most
    yesterday (Brussels); yesterday when none was ever written; None when yesterday is written."""
    yesterday = brussels_yesterday(now)
    if last_written is None:
        return yesterday
    if last_written >= yesterday:
        return None
    return last_written + timedelta(days=1)


def last_written_day(engine: Engine, ledger: Table, tenant: str) -> date | None:
    """The latest day the ledger has a file of `tenant` for."""
    with engine.connect() as connection:
        found = connection.execute(
            select(func.max(ledger.c.day)).where(ledger.c.tenant == tenant)
        ).scalar_one()
    return None if found is None else date.fromisoformat(found)


def write_due_days(
    engine: Engine,
    ledger: Table,
    sources: Mapping[str, RecordSource],
    tenants: Iterable[str],
    out_dir: Path,
    now: datetime,
) -> list[WrittenFile]:
    """Every tenant's due days, oldest first, each tenant in its own folder."""
    written: list[WrittenFile] = []
    for tenant in tenants:
        while (day := due_day(now, last_written_day(engine, ledger, tenant))) is not None:
            written += write_daily_files(
                engine, ledger, sources, tenant, day, out_dir / tenant, now
            )
    return written


def run_daily_job(
    engine: Engine,
    tenants: Callable[[], Iterable[str]],
    out_dir: Path,
    stop: threading.Event,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    check_seconds: float = CHECK_SECONDS,
) -> None:
    """Write the due files after each Brussels midnight until `stop` is set; on a failure (the
    database or the broker away) log it and try again at the next check."""
    done_for: date | None = None
    while not stop.is_set():
        now = clock()
        if brussels_yesterday(now) != done_for:
            try:
                going = (tenant for tenant in tenants() if not stop.is_set())
                written = write_due_days(
                    engine, tables.daily_files, projection_sources(), going, out_dir, now
                )
                done_for = None if stop.is_set() else brussels_yesterday(now)
                log.info("daily job: %d files written up to %s", len(written), done_for)
            except Exception as exc:  # the service goes on; the next check tries again
                log.warning("daily job: not done, trying again in %g s: %s", check_seconds, exc)
        stop.wait(check_seconds)
