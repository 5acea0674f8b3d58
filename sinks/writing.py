"""One batch into the database: multi-row upserts of its Changes and its offsets, one transaction.

Audit, notifications and Dimona mutations keep the first row of an event id (a copy adds
nothing); a person's row is replaced only by a snapshot at least as new; an INSZ's register lines
are replaced whole. On PostgreSQL the event tables' rows go through COPY and a staging table
(`sinks/copying.py`), elsewhere multi-row `INSERT ... ON CONFLICT`. The offsets are upserted in
the same transaction, so rows and offsets commit together or not at all: that is what makes the
projection exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, delete, select

from sinks import tables
from sinks.copying import copy_upsert
from sinks.database import upsert
from sinks.rows import Changes, Row

BY_EVENT = ("audit", "notifications", "dimona_mutations")
COPY_CONFLICT = "ON CONFLICT (event_id) DO NOTHING"


def write_batch(
    connection: Connection,
    consumer: str,
    changes: Changes,
    offsets: Mapping[tuple[str, int], int],
) -> None:
    """Write `changes` and the next offsets of `consumer`, inside the caller's transaction."""
    dialect = connection.dialect.name
    for name in BY_EVENT:
        rows = list(changes.rows.get(name, {}).values())
        if rows and dialect == "postgresql":
            copy_upsert(connection, tables.metadata.tables[name], rows, COPY_CONFLICT)
        elif rows:
            statement = upsert(dialect, tables.metadata.tables[name])
            _many(connection, statement.on_conflict_do_nothing(index_elements=["event_id"]), rows)
    _write_persons(connection, list(changes.rows.get("persons", {}).values()))
    _replace_lines(connection, changes.lines)
    store_offsets(connection, consumer, offsets)


def _many(connection: Connection, statement: Any, rows: Sequence[Row]) -> None:
    """One upsert of many rows, sent as multi-row VALUES pages.

    SQLAlchemy 2.1 pages an executemany into multi-row `INSERT ... VALUES (...), (...)` only
    when the statement returns something once it has `ON CONFLICT` (sqlalchemy #13130); without
    it psycopg2 sends one row per round trip (a third of the speed, bench/projection_throughput).
    """
    first_key = next(iter(statement.table.primary_key.columns))
    connection.execute(statement.returning(first_key), rows).close()


def _write_persons(connection: Connection, rows: list[Row]) -> None:
    if not rows:
        return
    table = tables.persons
    statement = upsert(connection.dialect.name, table)
    newer = {c.name: statement.excluded[c.name] for c in table.columns if c.name != "insz"}
    _many(
        connection,
        statement.on_conflict_do_update(
            index_elements=["insz"], set_=newer, where=table.c.time <= statement.excluded.time
        ),
        rows,
    )


def _replace_lines(connection: Connection, lines: Mapping[str, list[Row]]) -> None:
    table = tables.register_lines
    inszs = list(lines)
    for start in range(0, len(inszs), 1000):
        connection.execute(delete(table).where(table.c.insz.in_(inszs[start : start + 1000])))
    rows = [row for rows in lines.values() for row in rows]
    if rows:
        connection.execute(table.insert(), rows)


def store_offsets(
    connection: Connection, consumer: str, offsets: Mapping[tuple[str, int], int]
) -> None:
    table = tables.sink_offsets
    rows: list[dict[str, Any]] = [
        {"consumer": consumer, "topic": topic, "partition": partition, "next_offset": offset}
        for (topic, partition), offset in offsets.items()
    ]
    if not rows:
        return
    statement = upsert(connection.dialect.name, table)
    _many(
        connection,
        statement.on_conflict_do_update(
            index_elements=["consumer", "topic", "partition"],
            set_={"next_offset": statement.excluded.next_offset},
        ),
        rows,
    )


def stored_offsets(connection: Connection, consumer: str) -> dict[tuple[str, int], int]:
    """Where `consumer` goes on: (topic, partition) -> the first offset not yet written."""
    table = tables.sink_offsets
    found = connection.execute(
        select(table.c.topic, table.c.partition, table.c.next_offset).where(
            table.c.consumer == consumer
        )
    )
    return {(topic, partition): offset for topic, partition, offset in found}
