"""The secure tier: a secure broker of its own (SASL/SCRAM, ACLs), started for the session.

It runs on two free ports and a data directory under pytest's tmp, so it never meets the plain
broker of the other tests (contracts.md: plain and secure modes keep separate data directories).
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient  # type: ignore[attr-defined]

from raas.clients import make_admin
from raas.config import SECURE, Settings, client_security
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant
from raas.security import credentials, ensure_service_users, tenant_user
from raas.stack import kafka
from tests.integration.numbers import new_kbo


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def secure_settings_in(var_dir: Path) -> Settings:
    """Settings of a secure broker on free ports, with its data and secrets under `var_dir`."""
    port, controller = _free_ports(2)
    return replace(
        Settings.from_env(),
        kafka_host="127.0.0.1",
        kafka_port=port,
        controller_port=controller,
        bootstrap_servers=f"127.0.0.1:{port}",
        kafka_heap="512m",
        var_dir=var_dir,
        security=SECURE,
        sasl_username="",  # the admin super user
        sasl_password="",
        secrets_file=None,
    )


@pytest.fixture(scope="session")
def secure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The admin's settings on a secure broker this session starts and stops."""
    settings = secure_settings_in(tmp_path_factory.mktemp("secure-var"))
    kafka.start(settings)
    try:
        yield settings
    finally:
        kafka.stop_broker(settings)


def login_as(settings: Settings, username: str, password: str) -> Settings:
    return replace(settings, sasl_username=username, sasl_password=password)


def refused(settings: Settings) -> bool:
    """True when the broker refuses `settings`' login (an authentication error, no metadata)."""
    errors: list[KafkaError] = []
    admin = AdminClient(
        {
            "bootstrap.servers": settings.bootstrap_servers,
            **client_security(settings),
            "error_cb": errors.append,
        }
    )
    try:
        admin.list_topics(timeout=10)
    except KafkaException:
        admin.poll(0)
        return any(e.code() == KafkaError._AUTHENTICATION for e in errors)
    return False


def onboarded(secure: Settings) -> tuple[str, Settings]:
    """A new tenant, added by the admin; (KBO, the tenant's own settings)."""
    kbo = new_kbo()
    add_tenant(secure, kbo, f"tenant {kbo}", [DossierType(1, "probe")])
    login = credentials(secure, make_admin(secure), kbo, rotate=False)
    return kbo, login_as(secure, tenant_user(kbo), login["password"])


@pytest.fixture(scope="module")
def tenant_a(secure: Settings) -> tuple[str, Settings]:
    return onboarded(secure)


@pytest.fixture(scope="module")
def tenant_b(secure: Settings) -> tuple[str, Settings]:
    return onboarded(secure)


@pytest.fixture(scope="module")
def deployment(secure: Settings) -> Settings:
    """The admin's settings for an app id of this module, its service users ready."""
    settings = replace(
        secure, app_id=f"raas-sec-{uuid.uuid4().hex[:8]}", secrets_file=secure.secrets_path
    )
    ensure_service_users(settings, make_admin(settings))
    return settings


@pytest.fixture(scope="module")
def tenant(deployment: Settings) -> tuple[str, Settings]:
    """A tenant of the module's deployment: (KBO, its own settings)."""
    return onboarded(deployment)
