"""The read side's database: an engine from a URL, the migrations, and dialect-neutral upserts.

SQLite under var/ is the default (`RAAS_DATABASE_URL` unset); PostgreSQL when the URL names it.
Both take `INSERT ... ON CONFLICT`, which `upsert` builds for the engine's dialect.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, Table, create_engine, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseUnavailable(Exception):
    """The database cannot be reached or opened (exit code 4)."""


def make_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file's folder is created, and the file waits for its writer."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the sink's writes
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def upgrade(engine: Engine) -> None:
    """Bring the tables to the newest migration (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        raise DatabaseUnavailable(str(exc.orig).strip()) from exc


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def upsert(engine_or_dialect: Engine | str, table: Table) -> Any:
    """`INSERT INTO table` of the dialect, with its `on_conflict_do_nothing/do_update`."""
    name = engine_or_dialect if isinstance(engine_or_dialect, str) else engine_or_dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise DatabaseUnavailable(f"no upsert for the {name} dialect: use SQLite or PostgreSQL")
