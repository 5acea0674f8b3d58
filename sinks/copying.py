"""PostgreSQL's fast path: a batch's rows COPYed into a staging table, then upserted from it.

    copy_upsert(connection, tables.audit, rows, "ON CONFLICT (event_id) DO NOTHING")

The staging table is temporary (one per session and table, emptied at every commit), and the
COPY runs on the connection of the caller's transaction, so the rows still commit together with
the offsets, or not at all. A batch costs three round trips: create the staging table if this
session has none, COPY, then the upsert and the emptying in one. The text COPY reads is built with
one dispatch on each value's type; a text is escaped only when it holds a tab, a line break, a
backslash or another unprintable character, which most never do (bench/projection_throughput).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

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
    staging = f"staging_{table.name}"
    cursor = connection.connection.cursor()  # the DBAPI connection of this very transaction
    try:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {staging} ON COMMIT DELETE ROWS AS "
            f'SELECT {names} FROM "{table.name}" WITH NO DATA'
        )
        cursor.copy_expert(
            f"COPY {staging} ({names}) FROM STDIN", io.StringIO(copy_lines(rows, columns))
        )
        cursor.execute(
            f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM {staging} {conflict}; '
            f"TRUNCATE {staging}"
        )
    finally:
        cursor.close()
