"""The register scenario in secure mode: a worker as `svc-worker`, feeds as `svc-tools`, tenants
with their own logins; each tenant sees only its own lines."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from raas.config import Settings, as_user, client_credentials
from raas.domain.commands import Consult, Register
from raas.domain.periods import Period
from raas.domain.results import Status
from raas.service_users import SINK, TOOLS, WORKER
from raas.sources import person, publish_persons
from sinks import tables
from tests.integration.numbers import new_insz
from tests.integration.projection import sinks_running, wait_for
from tests.integration.secure.conftest import onboarded
from tests.integration.workers import Worker, send, wait_until_answering, wait_until_known

Tenant = tuple[str, Settings]


@pytest.fixture(scope="module")
def other(deployment: Settings) -> Tenant:
    return onboarded(deployment)


@pytest.fixture(scope="module")
def worker(
    deployment: Settings, tenant: Tenant, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Worker]:
    as_worker = replace(as_user(deployment, WORKER), var_dir=tmp_path_factory.mktemp("worker"))
    started = Worker(as_worker, "worker-secure").start()
    try:
        kbo, login = tenant
        wait_until_answering(login, kbo, new_insz(), [started])
        yield started
    finally:
        started.stop()


def _id() -> str:
    return str(uuid.uuid4())


def test_a_tenant_registers_and_consults_through_service_users(
    deployment: Settings, tenant: Tenant, other: Tenant, worker: Worker
) -> None:
    (kbo, login), (other_kbo, other_login) = tenant, other
    insz = new_insz()
    publish_persons(as_user(deployment, TOOLS), [person(insz, "Peeters", "Jan")])
    wait_until_known(login, kbo, [insz], [worker])
    period = Period(date(2024, 1, 1), date(2024, 6, 30))
    registered = send(login, kbo, Register(_id(), "r1", insz, 1, period))
    assert registered.status is Status.OK, registered.details
    assert registered.tenant == kbo  # the audit's tenant: the topic, which only kbo may write
    consulted = send(login, kbo, Consult(_id(), "c1", insz))
    assert [(ln.type_dossier, ln.period) for ln in consulted.lines] == [(1, period)]
    assert send(other_login, other_kbo, Consult(_id(), "c2", insz)).lines == ()


def test_the_worker_log_holds_no_password(deployment: Settings, worker: Worker) -> None:
    _user, password = client_credentials(worker.settings)
    assert password not in worker.log.read_text(errors="replace")


def audited_tenant(engine: Engine, event_id: str) -> str | None:
    with engine.connect() as connection:
        row = connection.execute(
            select(tables.audit.c.tenant).where(tables.audit.c.event_id == event_id)
        ).first()
    return None if row is None else str(row.tenant)


def test_the_sinks_project_the_audit_running_as_svc_sink(
    deployment: Settings, tenant: Tenant, worker: Worker, tmp_path: Path
) -> None:
    kbo, login = tenant
    result = send(login, kbo, Consult(_id(), "audited", new_insz()))
    url = f"sqlite:///{tmp_path / 'secure.db'}"
    with sinks_running(as_user(deployment, SINK), url) as engine:
        wait_for(
            "the audit row of the consult",
            lambda: audited_tenant(engine, result.event_id) is not None,
            lambda: f"no audit row for {result.event_id}",
        )
        assert audited_tenant(engine, result.event_id) == kbo
