"""PostgreSQL's fast path: a batch COPYed straight into its table, or through a staging table.

    copy_upsert(connection, tables.audit, rows, "ON CONFLICT (event_id) DO NOTHING")

A batch is first COPYed straight into its table under a savepoint: nearly always none of its
rows is there yet, and the server then does the work of a plain COPY. When one is (a batch read
again after a crash), the savepoint undoes that COPY and the rows go the staging way: COPY into
a temporary table (one per session and table, emptied at every commit), then one
`INSERT ... SELECT ... ON CONFLICT` and the emptying in one round trip. Either way the COPY runs on
the connection of the caller's transaction, so the rows still commit together with the offsets,
or not at all. The text COPY reads is built with one search of all the batch's texts for a
character to escape; most batches have none, and their texts are written as they are
(bench/projection_throughput)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from psycopg2.errors import UniqueViolation
from sqlalchemy import Connection, Table

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = ("\\", "\t", "\n", "\r")  # what COPY's text format escapes


def _text(value: str) -> str:
    return value if value.isprintable() and "\\" not in value else value.translate(_ESCAPES)


def _json(value: Any) -> str:
    return _text(json.dumps(value))


def _list(value: list[Any]) -> str:
    """A list as JSON; a list of ints (a result's codes) without the json module's overhead."""
    if all(item.__class__ is int for item in value):
        return f"[{', '.join(map(str, value))}]"
    return _json(value)


_BY_TYPE: dict[type, Callable[[Any], str]] = {
    str: _text,
    int: str,
    datetime: datetime.isoformat,
    date: date.isoformat,
    list: _list,
    dict: _json,
    type(None): lambda _: "\\N",
}


def copy_text(value: Any) -> str:
    """A value as COPY's text format writes it: \\N for NULL, JSON for lists and dicts."""
    write = _BY_TYPE.get(type(value))
    if write is not None:
        return write(value)
    if isinstance(value, list | dict):
        return _json(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return _text(str(value))


def copy_lines(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """The rows as COPY's text format: a line each, the columns' values tab-separated.

    When no text of the batch holds a character COPY escapes (one search over them all), a text
    is written as it is, without a call; the other values go through `copy_text`."""
    values = [[row[c] for c in columns] for row in rows]
    texts = "".join([v for line in values for v in line if v.__class__ is str])
    if any(special in texts for special in _SPECIAL):
        return "".join(["\t".join([copy_text(v) for v in line]) + "\n" for line in values])
    return "".join(
        [
            "\t".join([v if v.__class__ is str else copy_text(v) for v in line]) + "\n"
            for line in values
        ]
    )


def copy_upsert(
    connection: Connection, table: Table, rows: Sequence[dict[str, Any]], conflict: str
) -> None:
    """Insert `rows` into `table` through COPY, resolving conflicts with `conflict` (SQL)."""
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    lines = copy_lines(rows, columns)
    cursor = connection.connection.cursor()  # the DBAPI connection of this very transaction
    try:
        if not _copy_straight(cursor, table.name, names, lines):
            _copy_staged(cursor, table.name, names, lines, conflict)
    finally:
        cursor.close()


def _copy_straight(cursor: Any, table: str, names: str, lines: str) -> bool:
    """COPY straight into the table, under a savepoint; False when a row was there already.

    What a batch meets only when it is read again after a crash (or from a second sink process):
    the savepoint undoes the whole COPY, and the staging table resolves the conflicts."""
    cursor.execute("SAVEPOINT straight_copy")
    try:
        cursor.copy_expert(f'COPY "{table}" ({names}) FROM STDIN', io.StringIO(lines))
    except UniqueViolation:
        cursor.execute("ROLLBACK TO SAVEPOINT straight_copy")
        return False
    cursor.execute("RELEASE SAVEPOINT straight_copy")
    return True


def _copy_staged(cursor: Any, table: str, names: str, lines: str, conflict: str) -> None:
    staging = f"staging_{table}"
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {staging} ON COMMIT DELETE ROWS AS "
        f'SELECT {names} FROM "{table}" WITH NO DATA'
    )
    cursor.copy_expert(f"COPY {staging} ({names}) FROM STDIN", io.StringIO(lines))
    cursor.execute(
        f'INSERT INTO "{table}" ({names}) SELECT {names} FROM {staging} {conflict}; '
        f"TRUNCATE {staging}"
    )
