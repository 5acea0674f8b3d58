"""`raas audit`, `raas lines`, `raas usage`: operator queries (sinks.queries)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time
from typing import Any, TypeVar

import typer
from rich.console import Console
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from raas.cli import options
from raas.cli.exits import Exit
from raas.config import Settings
from sinks.database import DatabaseUnavailable, make_engine, upgrade
from sinks.queries import audit_trail, month_usage, tenant_lines
from sinks.rows import BRUSSELS

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True)
T = TypeVar("T")

TENANT = typer.Option(..., "--tenant", help="The tenant's KBO number.", callback=options.kbo)
JSON = typer.Option(False, "--json", help="One JSON object per line (usage: one object).")


@contextmanager
def _database(label: str) -> Iterator[Connection]:
    """A connection to RAAS_DATABASE_URL while a spinner on stderr says what is being done."""
    engine = make_engine(Settings.from_env().database_url)
    try:
        upgrade(engine)
        with err.status(label), engine.connect() as connection:
            yield connection
    except (DatabaseUnavailable, OperationalError) as exc:
        err.print(f"[red]error:[/red] database unavailable: {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc
    finally:
        engine.dispose()


def _since(value: str | None) -> datetime | None:
    """A date (from the start of that Brussels day) or an ISO time (UTC unless it says)."""
    if value is None:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            start = datetime.combine(datetime.fromisoformat(value).date(), time(), BRUSSELS)
        else:
            start = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD or an ISO time") from exc
    aware = start if start.tzinfo else start.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(tzinfo=None)


def _month(value: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise typer.BadParameter(f"{value!r} is not a month YYYY-MM")
    return value


def _print_rows(rows: Iterator[dict[str, Any]], as_json: bool, line: Callable[[Any], str]) -> int:
    count = 0
    for row in rows:
        out.print(json.dumps(row) if as_json else line(row), markup=False)
        count += 1
    return count


def audit(
    tenant: str = TENANT,
    since: str | None = typer.Option(
        None, "--since", help="From this Brussels day YYYY-MM-DD, or this ISO time (UTC if bare)."
    ),
    as_json: bool = JSON,
) -> None:
    """The access trail of a tenant: every result the register gave it, oldest first, with time,
    request id, command kind, INSZ, status and codes. Read from the projection `raas sink` keeps.
    """
    start = _since(since)
    with _database(f"reading the audit trail of {tenant}") as connection:
        count = _print_rows(
            audit_trail(connection, tenant, start),
            as_json,
            lambda r: (
                f"{r['time']}  {r['request_id']}  {r['kind']:<10} {r['insz'] or '-':<11}"
                f"  {r['status']:<7} {','.join(map(str, r['codes'])) or '-'}"
            ),
        )
    err.print(f"{count} results")


def lines(
    tenant: str = TENANT,
    insz: str | None = typer.Option(None, "--insz", help="Only this person's lines."),
    as_json: bool = JSON,
) -> None:
    """A tenant's register lines as the projection holds them (the register table's changelog,
    as far as `raas sink` has read it), by INSZ, TypeDossier and begin; an open end shows as `-`.
    """
    with _database(f"reading the lines of {tenant}") as connection:
        found = tenant_lines(connection, tenant, insz)
    count = _print_rows(
        iter(found),
        as_json,
        lambda r: f"{r['insz']}  {r['type_dossier']:>5}  {r['begin']}  {r['end'] or '-'}",
    )
    err.print(f"{count} lines")


def usage(
    tenant: str = TENANT,
    month: str = typer.Option(..., "--month", help="The month, YYYY-MM.", callback=_month),
    as_json: bool = JSON,
) -> None:
    """What a tenant used in a month, as the cost sharing bills it: commands per kind and per
    Brussels day (from the audit trail), and the notifications and Dimona mutations delivered.
    """
    with _database(f"counting the usage of {tenant} in {month}") as connection:
        found = month_usage(connection, tenant, month)
    if as_json:
        out.print(json.dumps(found.as_json()), markup=False)
        return
    out.print(f"Tenant {tenant}, {month}", markup=False)
    for day, kinds in found.commands.items():
        counts = ", ".join(f"{kind} {n}" for kind, n in kinds.items())
        out.print(f"  {day}  {counts}", markup=False)
    by_kind = ", ".join(f"{k} {n}" for k, n in found.commands_by_kind.items()) or "none"
    out.print(f"Commands: {sum(found.commands_by_kind.values())} ({by_kind})", markup=False)
    out.print(f"Notifications delivered: {found.notifications_delivered}", markup=False)
    out.print(f"Dimona mutations delivered: {found.dimona_mutations_delivered}", markup=False)
