"""The projection on both back ends: records on the real broker become rows exactly once."""

from __future__ import annotations

import json
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, delete
from typer.testing import CliRunner

from raas import codec
from raas.cli import app
from raas.clients import ensure_topics, make_admin, make_consumer, make_producer
from raas.config import Settings
from raas.domain.notifications import IdentityChanged
from raas.topics import AUTHENTIC_PERSONS, DLQ, tenant_topic
from sinks import tables
from sinks.database import make_engine, upgrade
from sinks.routes import register_changelog
from tests.integration.numbers import new_insz, new_kbo
from tests.integration.projection import (
    SinkProcess,
    caught_up,
    count,
    end_offsets,
    fresh_database,
    sinks_running,
    snapshot,
    stop,
    wait_for,
)
from tests.unit.sinks.records import identity_changed, mutation, result, state
from tests.unit.sinks.records import snapshot as person

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    """A fresh app id: its own register changelog and its own sink groups."""
    return replace(settings, app_id=f"raas-proj-{uuid.uuid4().hex[:8]}", partitions=2)


class Flow:
    """Records of two fresh tenants and three fresh persons, produced to the real broker."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.a, self.b = new_kbo(), new_kbo()
        self.man, self.woman, self.child = new_insz(), new_insz(), new_insz()
        self.changelog = register_changelog(settings.app_id)
        self.topics = {
            "audit": [tenant_topic(self.a, "results"), tenant_topic(self.b, "results")],
            "deliveries": [tenant_topic(self.a, "notifications"), tenant_topic(self.a, "dimona")],
            "persons": [AUTHENTIC_PERSONS],
            "register": [self.changelog],
        }
        ensure_topics(
            make_admin(settings), [t for ts in self.topics.values() for t in ts], partitions=2
        )
        self.producer = make_producer(settings)

    def send(self, topic: str, key: str, value: object | None) -> None:
        raw = None if value is None else codec.encode(value)
        self.producer.produce(topic, value=raw, key=key.encode())

    def send_raw(self, topic: str, key: str, value: bytes) -> None:
        self.producer.produce(topic, value=value, key=key.encode())

    def flush(self) -> None:
        assert self.producer.flush(30) == 0

    def wait_until_read(self, engine: Engine, log: Callable[[], str] = lambda: "") -> None:
        for consumer, topics in self.topics.items():
            ends = end_offsets(self.settings, topics)
            wait_for(
                f"sink {consumer} reading {topics}",
                partial(caught_up, engine, consumer, ends),
                log,
            )

    def snapshot(self, engine: Engine) -> dict[str, list[str]]:
        return snapshot(engine, {self.a, self.b}, {self.man, self.woman, self.child})


def hostile(flow: Flow) -> IdentityChanged:
    """A notification whose text COPY and JSON must both carry unharmed."""
    return identity_changed(flow.a, flow.man, 2, T0, new='Ça\tva \\N "ok"\nœ')


def produce_a_bit_of_everything(flow: Flow) -> None:
    for n in range(5):
        at = T0 + timedelta(seconds=n)  # the trail is in time order
        flow.send(tenant_topic(flow.a, "results"), f"req-{n}", result(flow.a, flow.man, n, at))
    for n in range(3):
        flow.send(tenant_topic(flow.b, "results"), f"req-{n}", result(flow.b, flow.woman, n))
    flow.send_raw(tenant_topic(flow.a, "results"), "garbage", b"\x00not a record")
    first = identity_changed(flow.a, flow.man, 1)
    for notification in (first, hostile(flow), first):  # a copy
        flow.send(tenant_topic(flow.a, "notifications"), flow.man, notification)
    for n in range(2):
        flow.send(tenant_topic(flow.a, "dimona"), flow.man, mutation(flow.a, flow.man, n))
    flow.send(AUTHENTIC_PERSONS, flow.man, person(flow.man, "Newer", T0 + timedelta(days=1)))
    flow.send(AUTHENTIC_PERSONS, flow.man, person(flow.man, "Older", T0))  # late, loses
    flow.send(flow.changelog, flow.man, state(flow.man, (flow.a, flow.b), 2))
    flow.send(flow.changelog, flow.woman, state(flow.woman, (flow.a,), 3))
    flow.send(flow.changelog, flow.woman, None)  # tombstone
    flow.send(flow.changelog, flow.child, state(flow.child, (flow.b,), 3))
    flow.send(flow.changelog, flow.child, state(flow.child, (flow.b,), 1))
    flow.flush()


def test_records_on_the_broker_end_up_as_rows_and_a_bad_one_as_a_dead_letter(
    app_settings: Settings, database: str
) -> None:
    flow = Flow(app_settings)
    produce_a_bit_of_everything(flow)
    with sinks_running(app_settings, database) as engine:
        flow.wait_until_read(engine)
        rows = flow.snapshot(engine)
    assert count_of(rows, "audit", flow.a) == 5 and count_of(rows, "audit", flow.b) == 3
    assert len(rows["notifications"]) == 2  # the copy is one row
    assert len(rows["dimona_mutations"]) == 2
    assert json.dumps(codec.to_json(hostile(flow))) in {
        json.dumps(json.loads(r)["payload"]) for r in rows["notifications"]
    }
    assert len(rows["persons"]) == 1 and '"last_name": "Newer"' in rows["persons"][0]
    lines = rows["register_lines"]
    assert sum(flow.man in r for r in lines) == 4
    assert not any(flow.woman in r for r in lines)  # tombstoned
    assert sum(flow.child in r for r in lines) == 1  # the last state replaced the first
    assert dead_letter_of(app_settings, tenant_topic(flow.a, "results")).consumer == "sink-audit"


def test_reading_everything_again_doubles_nothing(app_settings: Settings, database: str) -> None:
    flow = Flow(app_settings)
    produce_a_bit_of_everything(flow)
    with sinks_running(app_settings, database) as engine:
        flow.wait_until_read(engine)
        first = flow.snapshot(engine)
    with engine.begin() as connection:  # as if no batch had ever been committed
        connection.execute(delete(tables.sink_offsets))
    with sinks_running(app_settings, database) as engine:
        flow.wait_until_read(engine)
        again = flow.snapshot(engine)
    assert again == first
    assert sum(len(rows) for rows in first.values()) == 8 + 2 + 2 + 1 + 5


def test_a_sink_killed_mid_stream_and_restarted_writes_exactly_the_rows_of_a_clean_run(
    app_settings: Settings, tmp_path: Path
) -> None:
    flow = Flow(app_settings)
    inszs = [new_insz() for _ in range(100)]

    def produce(part: int) -> None:
        """Half the stream: 1,000 results, 200 notifications, 300 register states."""
        for n in range(part * 1000, part * 1000 + 1000):
            tenant = flow.a if n % 3 else flow.b
            flow.send(tenant_topic(tenant, "results"), f"r{n}", result(tenant, inszs[n % 100], n))
        for n in range(part * 200, part * 200 + 200):
            flow.send(
                tenant_topic(flow.a, "notifications"),
                inszs[n % 100],
                identity_changed(flow.a, inszs[n % 100], n),
            )
        for n in range(part * 300, part * 300 + 300):
            insz = inszs[n % 100]
            last = part == 1 and n % 100 < 10 and n >= 500  # ten persons end tombstoned
            flow.send(
                flow.changelog, insz, None if last else state(insz, (flow.a, flow.b), 1 + n % 4)
            )
        flow.flush()

    with fresh_database("postgresql", tmp_path) as url:
        watched = make_engine(url)
        upgrade(watched)  # so the progress can be watched from the first moment
        sink = SinkProcess(app_settings, url, tmp_path).start(batch=50)
        try:
            produce(0)
            wait_for(
                "a third of the first half",
                lambda: count(watched, "audit", tenant=[flow.a, flow.b]) >= 300,
                sink.tail,
            )
            assert sink.signal(signal.SIGKILL) == -signal.SIGKILL
            produce(1)
            sink.start(batch=50)
            flow.wait_until_read(watched, sink.tail)
            killed = snapshot(watched, {flow.a, flow.b}, set(inszs))
            assert sink.signal(signal.SIGTERM) == 0, sink.tail()  # a clean stop exits 0
        finally:
            stop(sink)
            watched.dispose()
    with fresh_database("postgresql", tmp_path) as url, sinks_running(app_settings, url) as engine:
        flow.wait_until_read(engine)
        clean = snapshot(engine, {flow.a, flow.b}, set(inszs))
    assert len(killed["audit"]) == 2000 and len(killed["notifications"]) == 400
    assert killed["register_lines"] and not any(inszs[0] in r for r in killed["register_lines"])
    assert killed == clean


def count_of(rows: dict[str, list[str]], table: str, tenant: str) -> int:
    return sum(f'"tenant": "{tenant}"' in r for r in rows[table])


def dead_letter_of(settings: Settings, topic: str) -> codec.DeadLetter:
    """The dead letter of a record of `topic` on raas.dlq."""
    consumer = make_consumer(settings, group_id=f"dlq-{uuid.uuid4().hex[:8]}")
    consumer.subscribe([DLQ])
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            message = consumer.poll(1.0)
            if message is None or message.error():
                continue
            letter = codec.decode(message.value(), codec.DEAD_LETTER)
            if letter.topic == topic:
                return letter
        raise AssertionError(f"no dead letter of {topic} on {DLQ}")
    finally:
        consumer.close()


def test_the_migrations_create_exactly_the_tables_the_code_defines(database: str) -> None:
    engine = make_engine(database)
    try:
        upgrade(engine)
        upgrade(engine)  # a second run leaves an up-to-date database as it is
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert compare_metadata(context, tables.metadata) == []
    finally:
        engine.dispose()


def test_the_operator_queries_read_the_trail_the_lines_and_the_months_usage(
    app_settings: Settings, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    flow = Flow(app_settings)
    produce_a_bit_of_everything(flow)
    with sinks_running(app_settings, database) as engine:
        flow.wait_until_read(engine)
    monkeypatch.setenv("RAAS_DATABASE_URL", database)
    runner = CliRunner()

    trail = runner.invoke(app, ["audit", "--tenant", flow.a, "--since", "2025-03-01", "--json"])
    assert trail.exit_code == 0, trail.output
    entries = [json.loads(line) for line in trail.stdout.splitlines()]
    assert [e["request_id"] for e in entries] == [f"req-{n}" for n in range(5)]
    assert {(e["kind"], e["status"], tuple(e["codes"])) for e in entries} == {
        ("Register", "OK", (100,))
    }
    later = runner.invoke(app, ["audit", "--tenant", flow.a, "--since", "2025-03-02", "--json"])
    assert later.exit_code == 0 and later.stdout == ""

    lines = runner.invoke(app, ["lines", "--tenant", flow.b, "--insz", flow.child, "--json"])
    assert [json.loads(x) for x in lines.stdout.splitlines()] == [
        {
            "tenant": flow.b,
            "insz": flow.child,
            "type_dossier": 1,
            "begin": "2024-01-01",
            "end": "2024-01-31",
        }
    ]

    usage = runner.invoke(app, ["usage", "--tenant", flow.a, "--month", "2025-03", "--json"])
    assert json.loads(usage.stdout) == {
        "tenant": flow.a,
        "month": "2025-03",
        "commands_by_day": {"2025-03-01": {"Register": 5}},
        "commands_by_kind": {"Register": 5},
        "commands": 5,
        "notifications_delivered": 2,
        "dimona_mutations_delivered": 2,
    }
    bad = runner.invoke(app, ["usage", "--tenant", flow.a, "--month", "2025-13"])
    assert bad.exit_code == 2
