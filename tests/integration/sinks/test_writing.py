"""A batch into the database: its rows and offsets commit together, each event id once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from sinks import tables
from sinks.rows import Changes, Row, audit_row
from sinks.writing import stored_offsets, write_batch
from tests.unit.sinks.records import result

TENANT = "0403019261"
MAN = "85073003328"
RESULTS = f"raas.tenant.{TENANT}.results"
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _changes(rows: list[Row]) -> Changes:
    changes = Changes()
    for row in rows:
        changes.add("audit", (row["event_id"],), row)
    return changes


def test_a_batch_read_again_with_rows_already_written_adds_only_the_new_ones(
    engine: Engine,
) -> None:
    tables.metadata.create_all(engine)
    rows = [audit_row(result(TENANT, MAN, n, T0 + timedelta(seconds=n))) for n in range(5)]
    with engine.begin() as connection:
        write_batch(connection, "audit", _changes(rows[:2]), {(RESULTS, 0): 2})
    with engine.begin() as connection:  # read again from offset 0, as after a crash
        write_batch(connection, "audit", _changes(rows), {(RESULTS, 0): 5})
    with engine.connect() as connection:
        written = connection.execute(select(tables.audit.c.event_id)).scalars().all()
        offsets = stored_offsets(connection, "audit")
    assert sorted(written) == sorted(row["event_id"] for row in rows)
    assert offsets == {(RESULTS, 0): 5}


def test_a_batch_whose_transaction_fails_leaves_neither_its_rows_nor_its_offsets(
    engine: Engine,
) -> None:
    tables.metadata.create_all(engine)
    rows = [audit_row(result(TENANT, MAN, n, T0 + timedelta(seconds=n))) for n in range(3)]
    with pytest.raises(RuntimeError), engine.begin() as connection:
        write_batch(connection, "audit", _changes(rows), {(RESULTS, 0): 3})
        raise RuntimeError("the process dies before the commit")
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(tables.audit)).scalar()
        assert (count, stored_offsets(connection, "audit")) == (0, {})
