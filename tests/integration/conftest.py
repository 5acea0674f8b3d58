"""The integration tier talks to the broker and PostgreSQL that `raas stack up` started."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest

from raas.config import Settings
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant
from raas.stack import kafka
from tests.integration.numbers import new_insz, new_kbo
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
    kbo = new_kbo()
    add_tenant(worker_settings, kbo, "probe", [DossierType(1, "probe")])
    return kbo


@pytest.fixture(scope="module")
def worker(worker_settings: Settings, probe_tenant: str) -> Iterator[Worker]:
    """One real `raas worker` process, answering before the module's first test."""
    started = Worker(worker_settings, "worker-a").start()
    try:
        wait_until_answering(worker_settings, probe_tenant, new_insz(), [started])
        yield started
    finally:
        started.stop()
