"""The read side's database as the CLI opens it: errors become exit code 4 with a clear reason.

Tables are reflected from the database, so the CLI reads whatever the projection created
(`RAAS_DATABASE_URL`, SQLite under var/ by default).
"""

from __future__ import annotations

import typer
from sqlalchemy import Engine, MetaData, Table, create_engine
from sqlalchemy.exc import NoSuchTableError, OperationalError

from raas.cli.exits import Exit
from raas.config import Settings


def unavailable(reason: str) -> typer.Exit:
    typer.echo(f"error: {reason}", err=True)
    return typer.Exit(Exit.UNAVAILABLE)


def open_database(settings: Settings) -> Engine:
    if settings.database_url.startswith("sqlite:///"):
        settings.var_dir.mkdir(parents=True, exist_ok=True)
    return create_engine(settings.database_url)


def reflect(engine: Engine, metadata: MetaData, name: str) -> Table:
    """The projection table `name`, or exit 4 when the database or the table is not there."""
    try:
        return Table(name, metadata, autoload_with=engine)
    except NoSuchTableError as exc:
        raise unavailable(f"the database has no {name} table: is `raas sink` running?") from exc
    except OperationalError as exc:
        raise unavailable(f"the database does not answer: {exc.orig}") from exc
