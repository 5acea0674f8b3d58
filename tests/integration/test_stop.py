"""A stop that always ends: SIGTERM ends a worker even when its broker went away first.

This module runs a broker of its own (free ports, its own data folder), since it stops it.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import replace

import pytest

from raas.config import Settings
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant
from raas.stack import kafka
from streams.stopping import GRACE
from tests.integration.numbers import new_insz, new_kbo
from tests.integration.ports import free_port
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
