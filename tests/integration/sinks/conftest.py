"""One behavioural suite, two back ends: SQLite in a temporary file and the real PostgreSQL.

PostgreSQL tests run in a schema of their own, made for the session and dropped after, so they
never touch the tables of the database that `Settings.from_env().postgres_url` names.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, Table, create_engine, text

from raas.config import Settings
from tests.integration.sinks.tables import projection_tables


def _postgres_engine(schema: str) -> Engine:
    url = Settings.from_env().postgres_url
    admin = create_engine(url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        pytest.fail(f"PostgreSQL at {url} does not answer: {exc} (run `make start`)")
    finally:
        admin.dispose()
    return create_engine(url, connect_args={"options": f"-csearch_path={schema}"})


@contextmanager
def postgres_schema() -> Iterator[Engine]:
    """An engine whose tables live in a fresh schema, dropped with all it holds afterwards."""
    schema = f"raas_test_{uuid.uuid4().hex[:10]}"
    made = _postgres_engine(schema)
    try:
        yield made
    finally:
        made.dispose()
        admin = create_engine(Settings.from_env().postgres_url)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "postgresql":
        with postgres_schema() as made:
            yield made
        return
    made = create_engine(f"sqlite:///{tmp_path / 'raas.db'}")
    yield made
    made.dispose()


@pytest.fixture
def postgres() -> Iterator[Engine]:
    with postgres_schema() as made:
        yield made


@pytest.fixture
def tables(engine: Engine) -> dict[str, Table]:
    metadata, made = projection_tables()
    metadata.create_all(engine)
    return made
