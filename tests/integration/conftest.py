"""The integration tier talks to the broker and PostgreSQL that `raas stack up` started."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest

from raas.clients import make_admin
from raas.config import Settings
from raas.stack import kafka
from tests.integration.numbers import ISSUED_KBOS, new_insz
from tests.integration.tenants import new_tenant
from tests.integration.workers import Worker, wait_until_answering


@pytest.fixture(scope="session")
def settings() -> Settings:
    settings = Settings.from_env()
    if not kafka.answers_metadata(settings.bootstrap_servers, timeout=10):
        pytest.fail(
            f"No Kafka broker answers on {settings.bootstrap_servers}: run `make start` "
            "(or `make test`, which starts it)"
        )
    return settings


def _our_tenant_topics(settings: Settings) -> set[str]:
    """The tenant topics of the KBO numbers this session made (`new_kbo`), and no others: a
    bench or a demo may use the same broker."""
    topics = make_admin(settings).list_topics(timeout=30).topics
    return {t for t in topics if t.startswith("raas.tenant.") and t.split(".")[2] in ISSUED_KBOS}


@pytest.fixture(scope="module", autouse=True)
def tenant_topics_deleted_after_the_module() -> Iterator[None]:
    """The topics of the tenants a module made go when it ends: a later module with an app id of
    its own would otherwise first answer every command they hold, since a new ingress group reads
    every tenant's commands topic from the beginning. That slowed such modules and put other
    modules' answers in their counts. (The tenants' configs stay on raas.admin.tenants.)"""
    settings = Settings.from_env()
    if not kafka.answers_metadata(settings.bootstrap_servers, timeout=5):
        yield  # a module that needs no broker; the `settings` fixture fails those that do
        return
    before = _our_tenant_topics(settings)
    yield
    if not kafka.answers_metadata(settings.bootstrap_servers, timeout=5):
        return  # a module that stopped the broker
    made = sorted(_our_tenant_topics(settings) - before)
    admin = make_admin(settings)  # held until the futures are done: its end would fail them
    for future in admin.delete_topics(made, operation_timeout=60).values() if made else []:
        future.result()


@pytest.fixture
def unique() -> str:
    """A fresh suffix, so each test has its own topics and groups."""
    return uuid.uuid4().hex[:12]


# One app id per test session: a fresh consumer group and fresh internal topics and changelogs.
APP_ID = f"raas-it-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def worker_settings(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of this module's workers: the tier's app id, a var/ folder of their own."""
    return replace(settings, app_id=APP_ID, var_dir=tmp_path_factory.mktemp("var"))


@pytest.fixture(scope="module")
def probe_tenant(worker_settings: Settings) -> str:
    return new_tenant(worker_settings, "probe", "probe")


@pytest.fixture(scope="module")
def worker(worker_settings: Settings, probe_tenant: str) -> Iterator[Worker]:
    """One real `raas worker` process, answering before the module's first test."""
    started = Worker(worker_settings, "worker-a").start()
    try:
        wait_until_answering(worker_settings, probe_tenant, new_insz(), [started])
        yield started
    finally:
        started.stop()
