"""The read side's tables, in one place (SQLAlchemy Core). The sinks write them, queries read them.

Times are naive UTC datetimes (the same on SQLite and PostgreSQL); `day` is the Europe/Brussels
calendar day of `time` as 'YYYY-MM-DD', what daily files and usage count by. Birth dates are the
'YYYY-MM-DD' string in which MM and DD may be 00. The Alembic migrations in `sinks/migrations/`
create exactly these; an integration test holds the two equal. The search's indexes on `persons`
come from `sinks.search`, the `daily_files` ledger from `sinks.daily`.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

from sinks.daily.ledger import daily_files_table
from sinks.search.query import search_indexes

metadata = MetaData()
_ID = BigInteger().with_variant(Integer, "sqlite")  # SQLite numbers only INTEGER keys

register_lines = Table(
    "register_lines",
    metadata,
    Column("tenant", String(10), primary_key=True),
    Column("insz", String(32), primary_key=True),
    Column("type_dossier", BigInteger, primary_key=True),
    Column("begin", Date, primary_key=True),
    Column("end", Date, nullable=True),  # None: open-ended
    Index("ix_register_lines_insz", "insz"),
)

persons = Table(
    "persons",
    metadata,
    Column("insz", String(32), primary_key=True),
    Column("last_name", String(120), nullable=False),
    Column("first_names", String(120), nullable=False),
    Column("birth_date", String(10), nullable=False),  # 'YYYY-MM-DD', MM and DD may be '00'
    Column("sex", String(1), nullable=False),  # M, F or U
    Column("birth_place", String(100)),
    Column("address", String(250)),
    Column("nationality", String(100)),
    Column("death_date", Date),
    Column("source", String(8), nullable=False),  # RN or BIS
    Column("time", DateTime, nullable=False),  # the snapshot's timestamp: the newest one wins
    Column("event_id", String(64), nullable=False),
    Column("last_name_key", String(64)),  # sinks.search.person_keys of the two names
    Column("first_name_key", String(64)),
)
search_indexes(persons)

audit = Table(
    "audit",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False),  # a result written twice is one row
    Column("time", DateTime, nullable=False),
    Column("day", String(10), nullable=False),  # Brussels day of `time`
    Column("tenant", String(10), nullable=False),
    Column("request_id", String(64), nullable=False),
    Column("reference", String(100)),
    Column("ticket", String(64), nullable=False),
    Column("kind", String(32), nullable=False),  # Register, Delete, Consult, CreateBis, ...
    Column("insz", String(32)),
    Column("status", String(8), nullable=False),  # OK, WARNING or ERROR
    Column("codes", JSON, nullable=False),  # the details' result codes, in order
    UniqueConstraint("event_id", name="uq_audit_event_id"),
    Index("ix_audit_tenant_time", "tenant", "time"),
    Index("ix_audit_tenant_day", "tenant", "day"),
)


def _delivered(name: str) -> Table:
    """A flow as delivered to tenants: one row per record, a copy (same event id) dropped."""
    return Table(
        name,
        metadata,
        Column("id", _ID, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False),
        Column("tenant", String(10), nullable=False),
        Column("insz", String(32), nullable=False),
        Column("kind", String(32), nullable=False),
        Column("payload", JSON, nullable=False),  # the record as JSON, Avro field names
        Column("time", DateTime, nullable=False),
        Column("day", String(10), nullable=False),  # Brussels day of `time`
        UniqueConstraint("event_id", name=f"uq_{name}_event_id"),
        # a day's records in the order its daily file lists them: read without a sort
        Index(f"ix_{name}_tenant_day", "tenant", "day", "time", "event_id"),
    )


notifications = _delivered("notifications")
dimona_mutations = _delivered("dimona_mutations")

sink_offsets = Table(
    "sink_offsets",
    metadata,
    Column("consumer", String(64), primary_key=True),
    Column("topic", String(255), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("next_offset", BigInteger, nullable=False),  # the first offset not yet in the tables
)

daily_files = daily_files_table(metadata)  # which sequence number each daily file got
