"""A stop that always ends: SIGTERM ends a worker or a sink even when its broker went away first.

This module runs a broker of its own (free ports, its own data folder), since it stops it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from raas.config import Settings
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant
from raas.stack import kafka
from raas.stopping import GRACE
from sinks.database import make_engine
from tests.integration.numbers import new_insz, new_kbo
from tests.integration.ports import free_port
from tests.integration.projection import (
    SinkProcess,
    fresh_database,
    send_register_states,
    sink_read_register,
    stop,
    wait_for,
)
from tests.integration.workers import Worker, wait_until_answering

pytestmark = pytest.mark.integration
MARGIN = 30.0  # seconds beyond the grace period: a liveness bound, not a timing assertion


@pytest.fixture
def own_broker(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    port = free_port()
    own = replace(
        settings,
        kafka_port=port,
        controller_port=free_port(),
        bootstrap_servers=f"{settings.kafka_host}:{port}",
        var_dir=tmp_path_factory.mktemp("broker"),
        kafka_heap="384m",
        app_id="raas-it-stop",
    )
    kafka.start(own)
    try:
        yield own
    finally:
        kafka.stop_broker(own)


def test_a_worker_given_sigterm_with_its_broker_up_stops_cleanly_with_code_0(
    worker_settings: Settings, probe_tenant: str
) -> None:
    worker = Worker(worker_settings, "worker-clean-stop").start()
    assert worker.proc is not None
    try:
        wait_until_answering(worker_settings, probe_tenant, new_insz(), [worker])
        os.killpg(worker.proc.pid, signal.SIGTERM)
        code = worker.proc.wait(timeout=GRACE + MARGIN)
    finally:
        worker.kill_if_running()
    assert code == 0, worker.log_tail()
    assert "did not stop within" not in worker.log.read_text(errors="replace")


def test_a_worker_given_sigterm_after_its_broker_stopped_still_exits(own_broker: Settings) -> None:
    tenant = new_kbo()
    add_tenant(own_broker, tenant, "stop", [DossierType(1, "stop")])
    worker = Worker(own_broker, "worker-stop").start()
    assert worker.proc is not None
    try:
        wait_until_answering(own_broker, tenant, new_insz(), [worker])
        kafka.stop_broker(own_broker)
        os.killpg(worker.proc.pid, signal.SIGTERM)
        try:
            code = worker.proc.wait(timeout=GRACE + MARGIN)
        except subprocess.TimeoutExpired:
            pytest.fail(
                f"the worker still runs {GRACE + MARGIN:.0f} s after SIGTERM:\n{worker.log_tail()}"
            )
    finally:
        worker.kill_if_running()
    log = worker.log.read_text(errors="replace")
    if code != 0:  # it gave up on what it could not finish, and says what
        assert "did not stop within" in log, worker.log_tail()
    assert log.count("\n") < 20_000, "the stop flooded the log"


def _sink_reading(settings: Settings, tmp_path: Path, url: str) -> SinkProcess:
    """A real `raas sink` (SQLite in `tmp_path` unless `url`) that has read a few records."""
    send_register_states(settings, 10)
    return sink_read_register(settings, url or f"sqlite:///{tmp_path / 'raas.db'}", tmp_path, 5)


def test_a_sink_given_sigterm_with_its_broker_up_commits_and_exits_0(
    settings: Settings, tmp_path: Path
) -> None:
    sink = _sink_reading(replace(settings, app_id=f"raas-it-stop-{new_kbo()}"), tmp_path, "")
    assert sink.proc is not None
    try:
        os.killpg(sink.proc.pid, signal.SIGTERM)
        code = sink.proc.wait(timeout=GRACE + MARGIN)
    finally:
        stop(sink)
    assert code == 0, sink.tail()
    assert "did not stop within" not in sink.log.read_text(errors="replace")


def test_a_sink_given_sigterm_after_its_broker_stopped_still_exits(
    own_broker: Settings, tmp_path: Path
) -> None:
    sink = _sink_reading(own_broker, tmp_path, "")
    assert sink.proc is not None
    try:
        kafka.stop_broker(own_broker)
        os.killpg(sink.proc.pid, signal.SIGTERM)
        try:
            code = sink.proc.wait(timeout=GRACE + MARGIN)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the sink still runs {GRACE + MARGIN:.0f} s after SIGTERM:\n{sink.tail()}")
    finally:
        if sink.proc.poll() is None:
            os.killpg(sink.proc.pid, signal.SIGKILL)
            sink.proc.wait(timeout=30)
    log = sink.log.read_text(errors="replace")
    if code != 0:  # it gave up on what it could not finish, and says what
        assert "sink did not stop within" in log, sink.tail()
    assert log.count("\n") < 20_000, "the stop flooded the log"


def test_a_sink_whose_batch_the_database_holds_exits_1_after_the_grace_and_names_the_batch(
    settings: Settings, tmp_path: Path
) -> None:
    app = replace(settings, app_id=f"raas-it-stop-{new_kbo()}")
    with fresh_database("postgresql", tmp_path) as url:
        sink = _sink_reading(app, tmp_path, url)
        assert sink.proc is not None
        engine = make_engine(url)
        try:
            with engine.connect() as connection, connection.begin():
                connection.execute(text("LOCK TABLE register_lines IN ACCESS EXCLUSIVE MODE"))
                send_register_states(app, 3)
                wait_for(
                    "the sink waiting on the lock",
                    lambda: _waiting_on_a_lock(connection),
                    sink.tail,
                )
                os.killpg(sink.proc.pid, signal.SIGTERM)
                code = sink.proc.wait(timeout=GRACE + MARGIN)
        finally:
            stop(sink)
            engine.dispose()
    assert code == 1, sink.tail()
    assert "sink did not stop within 30 s" in sink.log.read_text(errors="replace"), sink.tail()
    assert re.search(
        r"not finished: .*sink register: a batch of \d+ changes not committed", sink.tail()
    )


def _waiting_on_a_lock(connection: Connection) -> bool:
    """Whether a session waits for a lock on this schema's register_lines (the sink, on ours)."""
    waiting = connection.execute(
        text("SELECT count(*) FROM pg_locks WHERE relation = 'register_lines'::regclass")
    )
    return bool(waiting.scalar() > 1)  # ours, granted, and one that waits
