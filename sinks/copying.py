"""PostgreSQL's fast path: a batch's rows COPYed into a staging table, then upserted from it.

    copy_upsert(connection, tables.audit, rows, "ON CONFLICT (event_id) DO NOTHING")

The staging table is temporary (one per session and table, emptied at every commit), and the
COPY runs on the connection of the caller's transaction, so the rows still commit together with
the offsets, or not at all.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: Any) -> str:
    """A value as COPY's text format writes it: \\N for NULL, JSON for lists and dicts."""
    if value is None:
        return "\\N"
    if isinstance(value, list | dict):
        value = json.dumps(value)
    elif isinstance(value, datetime | date):
        value = value.isoformat()
    return str(value).translate(_ESCAPES)


def copy_upsert(
    connection: Connection, table: Table, rows: Sequence[dict[str, Any]], conflict: str
) -> None:
    """Insert `rows` into `table` through COPY, resolving conflicts with `conflict` (SQL)."""
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    staging = f"staging_{table.name}"
    connection.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {staging} ON COMMIT DELETE ROWS AS "
        f'SELECT {names} FROM "{table.name}" WITH NO DATA'
    )
    data = io.StringIO(
        "".join("\t".join(copy_text(row[c]) for c in columns) + "\n" for row in rows)
    )
    cursor = connection.connection.cursor()  # the DBAPI connection of this very transaction
    try:
        cursor.copy_expert(f"COPY {staging} ({names}) FROM STDIN", data)
    finally:
        cursor.close()
    connection.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM {staging} {conflict}'
    )
    connection.exec_driver_sql(f"TRUNCATE {staging}")
