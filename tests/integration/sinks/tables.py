"""Minimal stand-ins for the projection tables, so these tests insert only what they read.

Only the columns the search and the daily files read; `daily_files` and the search's indexes are
the real ones. The real tables are `sinks/tables.py` (tests/integration/test_read_side.py runs on
them, through the migrations).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column, DateTime, MetaData, String, Table, create_engine

from raas.domain.persons import PersonIdentity
from sinks.daily.ledger import daily_files_table
from sinks.search import person_keys, search_indexes


def projection_tables() -> tuple[MetaData, dict[str, Table]]:
    metadata = MetaData()
    persons = Table(
        "persons",
        metadata,
        Column("insz", String(11), primary_key=True),
        Column("last_name", String(200), nullable=False),
        Column("first_names", String(200), nullable=False),
        Column("birth_date", String(10), nullable=False),
        Column("sex", String(1), nullable=False),
        Column("last_name_key", String(40)),
        Column("first_name_key", String(40)),
    )
    search_indexes(persons)
    flows = {
        name: Table(
            name,
            metadata,
            Column("event_id", String(64), primary_key=True),
            Column("tenant", String(10), nullable=False, index=True),
            Column("insz", String(11), nullable=False),
            Column("kind", String(40), nullable=False),
            Column("payload", JSON, nullable=False),
            Column("time", DateTime(timezone=True), nullable=False),
            Column("day", String(10), nullable=False, index=True),
        )
        for name in ("notifications", "dimona_mutations")
    }
    return metadata, {"persons": persons, **flows, "daily_files": daily_files_table(metadata)}


def person_rows(persons: Iterable[PersonIdentity]) -> list[dict[str, Any]]:
    return [
        {
            "insz": p.insz,
            "last_name": p.last_name,
            "first_names": p.first_names,
            "birth_date": str(p.birth_date),
            "sex": p.sex.value,
            **person_keys(p.last_name, p.first_names),
        }
        for p in persons
    ]


def sqlite_projection(database: Path, persons: Iterable[PersonIdentity]) -> str:
    """A SQLite projection at `database` holding `persons`; its URL, for RAAS_DATABASE_URL."""
    url = f"sqlite:///{database}"
    engine = create_engine(url)
    metadata, tables = projection_tables()
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(tables["persons"].insert(), person_rows(persons))
    engine.dispose()
    return url
