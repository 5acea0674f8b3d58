"""Where a daily file's records come from: a projection table, read as plain text rows.

    source = table_records(tables.notifications)
    for event_id, insz, kind, time, payload in source(connection, tenant, day): ...

The database hands over every field as the text the data file writes: the payload as the JSON it
stored (cast to text, neither parsed nor dumped again in Python) and the time already formatted as
`xs:dateTime` (`xml_datetime`). Rows are fetched `FETCH_ROWS` at a time, through a server-side
cursor on PostgreSQL, so memory stays constant whatever the number of records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Date,
    DateTime,
    Table,
    Text,
    cast,
    func,
    select,
)

from sinks.daily.datafiles import RecordFields

FETCH_ROWS = 10_000
_POSTGRES_DATETIME = 'YYYY-MM-DD"T"HH24:MI:SS.US'

RecordSource = Callable[[Connection, str, date], Iterable[RecordFields]]
"""The records of one flow for (tenant, Brussels day), in the order they were delivered."""


def xml_datetime(column: Column[Any], dialect: str) -> ColumnElement[str]:
    """A UTC `DateTime` column as `xs:dateTime` text, formatted by the database (microseconds,
    no zone): PostgreSQL's `to_char` (a zoned column converted to UTC first); SQLite stores
    `YYYY-MM-DD HH:MM:SS.ffffff`, which needs only its `T`."""
    if dialect == "postgresql":
        zoned = isinstance(column.type, DateTime) and column.type.timezone
        utc = func.timezone("UTC", column) if zoned else column
        return func.to_char(utc, _POSTGRES_DATETIME)
    return func.replace(column, " ", "T")


def table_records(table: Table, day_column: str = "day") -> RecordSource:
    """Read a flow from a projection table with tenant, insz, event_id, kind, payload, time."""

    def records(connection: Connection, tenant: str, day: date) -> Iterator[RecordFields]:
        c = table.c
        column = c[day_column]
        wanted = day if isinstance(column.type, Date) else day.isoformat()
        time = xml_datetime(c.time, connection.dialect.name)
        query = (
            select(c.event_id, c.insz, c.kind, time, cast(c.payload, Text))
            .where((c.tenant == tenant) & (column == wanted))
            .order_by(c.time, c.event_id)
            .execution_options(stream_results=True, yield_per=FETCH_ROWS)
        )
        for rows in connection.execute(query).partitions():
            yield from rows

    return records
