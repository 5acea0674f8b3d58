"""The `daily_files` ledger: which sequence number each (tenant, flow, day) got, and what it held.

Only one process writes daily files (contracts.md, Daily files): on PostgreSQL the writer holds a
transaction-level advisory lock, on SQLite it opens its transaction with `BEGIN IMMEDIATE`, SQLite's
single writer. The sequence runs per (tenant, flow), one more than the highest so far; rerunning a
day keeps the number that day already has.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
    func,
    select,
    text,
)

WRITER_LOCK = 7_203_466_821  # the advisory lock key of the daily-file writer (any constant)


def daily_files_table(metadata: MetaData, name: str = "daily_files") -> Table:
    """The ledger table, added to `metadata` (the projection's, at merge)."""
    return Table(
        name,
        metadata,
        Column("tenant", String(10), nullable=False),
        Column("flow", String(20), nullable=False),
        Column("day", String(10), nullable=False),
        Column("sequence", Integer, nullable=False),
        Column("data_file", String(80), nullable=False),
        Column("record_count", Integer, nullable=False),
        Column("sha256", String(64), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("tenant", "flow", "day"),
        UniqueConstraint("tenant", "flow", "sequence", name=f"{name}_sequence"),
    )


def take_writer_lock(connection: Connection) -> None:
    """Become the only daily-file writer until this transaction ends."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def sequence_for(connection: Connection, ledger: Table, tenant: str, flow: str, day: date) -> int:
    """The day's number if it has one, else one more than the (tenant, flow)'s highest."""
    c = ledger.c
    mine = (c.tenant == tenant) & (c.flow == flow)
    known = connection.execute(
        select(c.sequence).where(mine & (c.day == day.isoformat()))
    ).scalar_one_or_none()
    if known is not None:
        return int(known)
    highest = connection.execute(select(func.max(c.sequence)).where(mine)).scalar_one()
    return int(highest or 0) + 1


def record_file(
    connection: Connection,
    ledger: Table,
    *,
    tenant: str,
    flow: str,
    day: date,
    sequence: int,
    data_file: str,
    record_count: int,
    sha256: str,
    created_at: datetime,
) -> None:
    """Store (or, for a rerun, replace) the ledger row of one daily file."""
    key = (ledger.c.tenant == tenant) & (ledger.c.flow == flow) & (ledger.c.day == day.isoformat())
    connection.execute(ledger.delete().where(key))
    connection.execute(
        ledger.insert().values(
            tenant=tenant,
            flow=flow,
            day=day.isoformat(),
            sequence=sequence,
            data_file=data_file,
            record_count=record_count,
            sha256=sha256,
            created_at=created_at,
        )
    )
