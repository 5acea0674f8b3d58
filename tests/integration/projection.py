"""The projection's test harness: a fresh database per test (a SQLite file, or a PostgreSQL
schema dropped at the end), sinks run in-process or as a real `raas sink`, and waits on what the
database shows."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from confluent_kafka import TopicPartition
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url

from raas import codec
from raas.clients import ensure_topics, make_admin, make_consumer, make_producer
from raas.config import Settings
from sinks import tables
from sinks.database import make_engine, upgrade
from sinks.loop import run_sinks
from sinks.routes import register_changelog, sink_specs
from sinks.writing import stored_offsets
from tests.integration.numbers import new_insz, new_kbo
from tests.unit.sinks.records import state


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database of `backend`, removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'projection-{uuid.uuid4().hex[:8]}.db'}"
        return
    base = Settings.from_env().postgres_url
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def sinks_running(settings: Settings, url: str) -> Iterator[Engine]:
    """Every sink in threads of this process, writing to `url`, until the block ends."""
    engine = make_engine(url)
    upgrade(engine)
    stop = threading.Event()
    runner = threading.Thread(
        target=run_sinks, args=(sink_specs(settings.app_id), settings, engine, stop)
    )
    runner.start()
    try:
        yield engine
    finally:
        stop.set()
        runner.join(timeout=60)
        engine.dispose()


@dataclass
class SinkProcess:
    """A real `raas sink` process, its log in `folder`."""

    settings: Settings
    url: str
    folder: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        return self.folder / "sink.log"

    def start(self, batch: int) -> SinkProcess:
        env = {
            **os.environ,
            "RAAS_DATABASE_URL": self.url,
            "RAAS_APP_ID": self.settings.app_id,
            "RAAS_BOOTSTRAP_SERVERS": self.settings.bootstrap_servers,
        }
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "raas.cli", "sink", "--batch", str(batch), "--no-daily"],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        return self

    def signal(self, signum: int) -> int:
        assert self.proc is not None
        os.killpg(self.proc.pid, signum)
        return self.proc.wait(timeout=60)

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])


def send_register_states(settings: Settings, per_partition: int, timestamp: int = 0) -> str:
    """`per_partition` register states on each of the two partitions of the register changelog of
    `settings.app_id` (made when missing), with `timestamp` (ms) when not 0; the changelog."""
    changelog = register_changelog(settings.app_id)
    ensure_topics(make_admin(settings), [changelog], partitions=2)
    producer = make_producer(settings)
    for partition in (0, 1):
        for _ in range(per_partition):
            insz = new_insz()
            value = codec.encode(state(insz, (new_kbo(),), 1))
            producer.produce(
                changelog, key=insz.encode(), value=value, partition=partition, timestamp=timestamp
            )
    assert producer.flush(30) == 0
    return changelog


def sink_read_register(settings: Settings, url: str, folder: Path, batch: int) -> SinkProcess:
    """A real `raas sink` writing to `url` (migrated first) that has read the register changelog
    of `settings.app_id` to its end; stopped when it does not get there."""
    engine = make_engine(url)
    upgrade(engine)
    sink = SinkProcess(settings, url, folder).start(batch=batch)
    ends = end_offsets(settings, [register_changelog(settings.app_id)])
    try:
        wait_for(
            "the register sink reading", lambda: caught_up(engine, "register", ends), sink.tail
        )
    except BaseException:
        stop(sink)
        raise
    finally:
        engine.dispose()
    return sink


def end_offsets(settings: Settings, topics: Iterable[str]) -> dict[tuple[str, int], int]:
    """Each partition's high watermark: where a sink that read everything stands."""
    consumer = make_consumer(settings, group_id=f"probe-{uuid.uuid4().hex[:8]}")
    try:
        found = {}
        for topic in topics:
            metadata = consumer.list_topics(topic, timeout=30).topics[topic]
            for partition in metadata.partitions:
                _, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), 30)
                found[(topic, partition)] = high
        return found
    finally:
        consumer.close()


def caught_up(engine: Engine, consumer: str, ends: dict[tuple[str, int], int]) -> bool:
    with engine.connect() as connection:
        stored = stored_offsets(connection, consumer)
    return all(stored.get(where, 0) >= end for where, end in ends.items() if end > 0)


def wait_for(
    what: str, done: Callable[[], bool], log: Callable[[], str], limit: float = 180
) -> None:
    """Poll `done` until it holds; fail naming `what` (a safety net, not a timed assertion)."""
    deadline = time.monotonic() + limit
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} never happened\n{log()}")
        time.sleep(0.1)


def count(engine: Engine, table: str, **where: Any) -> int:
    chosen = tables.metadata.tables[table]
    query = select(chosen)
    for column, value in where.items():
        query = query.where(chosen.c[column].in_(value))
    with engine.connect() as connection:
        return len(connection.execute(query).all())


def snapshot(engine: Engine, tenants: set[str], inszs: set[str]) -> dict[str, list[str]]:
    """The rows of these tenants and persons in every projected table, as sorted JSON lines."""
    filters = {
        "audit": ("tenant", tenants),
        "notifications": ("tenant", tenants),
        "dimona_mutations": ("tenant", tenants),
        "persons": ("insz", inszs),
        "register_lines": ("insz", inszs),
    }
    found = {}
    with engine.connect() as connection:
        for name, (column, values) in filters.items():
            table = tables.metadata.tables[name]
            columns = [c for c in table.columns if c.name != "id"]
            rows = connection.execute(select(*columns).where(table.c[column].in_(values)))
            found[name] = sorted(json.dumps(dict(r._mapping), default=str) for r in rows)
    return found


def stop(process: SinkProcess) -> None:
    if process.proc is not None and process.proc.poll() is None:
        process.signal(signal.SIGTERM)
