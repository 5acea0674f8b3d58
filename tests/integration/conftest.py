"""The integration tier talks to the broker and PostgreSQL that `raas stack up` started."""

from __future__ import annotations

import uuid

import pytest

from raas.config import Settings
from raas.stack import kafka


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
