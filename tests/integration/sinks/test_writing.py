"""A batch into the database: its rows and offsets commit together, each event id once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import psycopg2
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from sinks import tables
from sinks.committing import Committer
from sinks.rows import Changes, Row, audit_row
from sinks.writing import stored_offsets, write_batch
from tests.unit.codec.fakes import FakeProducer
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


def test_a_committer_commits_the_batches_handed_to_it_in_order_and_ends_with_none_in_hand(
    engine: Engine,
) -> None:
    tables.metadata.create_all(engine)
    rows = [audit_row(result(TENANT, MAN, n, T0 + timedelta(seconds=n))) for n in range(6)]
    committer = Committer("audit", engine, FakeProducer())
    for n in range(3):
        batch = rows[2 * n : 2 * n + 2]
        committer.hand(_changes(batch), {(RESULTS, 0): 2 * n + 2}, {}, threading.Event())
    committer.close()
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(tables.audit)).scalar()
        assert (count, stored_offsets(connection, "audit")) == (6, {(RESULTS, 0): 6})
    assert committer.in_hand == 0


def test_a_batch_that_fails_to_write_stops_the_next_hand_over_with_its_error(
    engine: Engine,
) -> None:
    tables.metadata.create_all(engine)
    broken = _changes([{**audit_row(result(TENANT, MAN, 1, T0)), "tenant": None}])  # NOT NULL
    committer = Committer("audit", engine, FakeProducer())
    committer.hand(broken, {(RESULTS, 0): 1}, {}, threading.Event())
    with pytest.raises((IntegrityError, psycopg2.IntegrityError)):  # COPY's cursor raises raw
        committer.hand(_changes([]), {(RESULTS, 0): 2}, {}, threading.Event())
    committer.close()
    with engine.connect() as connection:
        assert stored_offsets(connection, "audit") == {}
