"""Writing a tenant's daily files: lock, number, stream the data file, write its voucher, record.

A day with no record still gets its two files (an empty data file and a voucher saying 0), so a
receiver can tell "nothing happened" from "a file went missing". Files are written under a
temporary name and renamed, so a reader never sees half a file, and a rerun replaces them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, Table

from sinks.daily.datafiles import FLOWS, write_data_file
from sinks.daily.ledger import record_file, sequence_for, take_writer_lock
from sinks.daily.sources import RecordSource
from sinks.daily.vouchers import Voucher, data_file_name, voucher_bytes, voucher_name

BRUSSELS = ZoneInfo("Europe/Brussels")


@dataclass(frozen=True, slots=True)
class WrittenFile:
    data_file: Path
    voucher_file: Path
    voucher: Voucher


def brussels_yesterday(now: datetime) -> date:
    """The Europe/Brussels calendar day before the one `now` falls on."""
    return now.astimezone(BRUSSELS).date() - timedelta(days=1)


def write_daily_files(
    engine: Engine,
    ledger: Table,
    sources: Mapping[str, RecordSource],
    tenant: str,
    day: date,
    out_dir: Path,
    now: datetime | None = None,
) -> list[WrittenFile]:
    """Write the tenant's files of `day`, one per flow, each in its own locked transaction."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        write_flow_file(engine, ledger, sources[flow], tenant, flow, day, out_dir, now)
        for flow in FLOWS
    ]


def write_flow_file(
    engine: Engine,
    ledger: Table,
    source: RecordSource,
    tenant: str,
    flow: str,
    day: date,
    out_dir: Path,
    now: datetime | None = None,
) -> WrittenFile:
    with engine.begin() as connection:
        take_writer_lock(connection)
        sequence = sequence_for(connection, ledger, tenant, flow, day)
        name = data_file_name(tenant, flow, sequence, day)
        data_path = out_dir / name
        partial = data_path.with_name(f".{name}.partial")
        count, sha256 = write_data_file(partial, tenant, flow, day, source(connection, tenant, day))
        os.replace(partial, data_path)
        voucher = Voucher(
            name, tenant, flow, day, sequence, count, now or datetime.now(UTC), sha256
        )
        voucher_path = out_dir / voucher_name(name)
        partial = voucher_path.with_name(f".{voucher_path.name}.partial")
        partial.write_bytes(voucher_bytes(voucher))
        os.replace(partial, voucher_path)
        record_file(
            connection,
            ledger,
            tenant=tenant,
            flow=flow,
            day=day,
            sequence=sequence,
            data_file=name,
            record_count=count,
            sha256=sha256,
            created_at=voucher.created_at,
        )
    return WrittenFile(data_path, voucher_path, voucher)


def write_yesterday_for_every_tenant(
    engine: Engine,
    ledger: Table,
    sources: Mapping[str, RecordSource],
    tenants: Iterable[str],
    out_dir: Path,
    now: datetime | None = None,
) -> list[WrittenFile]:
    """The leader-only job: yesterday's (Brussels) files of every tenant, each in its folder."""
    moment = now or datetime.now(UTC)
    day = brussels_yesterday(moment)
    written: list[WrittenFile] = []
    for tenant in tenants:
        written += write_daily_files(engine, ledger, sources, tenant, day, out_dir / tenant, moment)
    return written
