"""Operator queries on the projection: the access trail, a tenant's lines, a month's usage.

Each takes a Connection and returns plain data (dicts of JSON-ready values), so the CLI only
prints. Days are Europe/Brussels days, times UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from sinks import tables

Row = dict[str, Any]


def _json_ready(row: Any) -> Row:
    return {
        key: value.isoformat() if isinstance(value, date | datetime) else value
        for key, value in row._mapping.items()
    }


def audit_trail(
    connection: Connection, tenant: str, since: datetime | None = None
) -> Iterator[Row]:
    """The tenant's results, oldest first, from `since` (naive UTC) on; streamed, not loaded."""
    table = tables.audit
    query = select(*[c for c in table.columns if c.name != "id"]).where(table.c.tenant == tenant)
    if since is not None:
        query = query.where(table.c.time >= since)
    found = connection.execution_options(stream_results=True, yield_per=1000).execute(
        query.order_by(table.c.time, table.c.id)
    )
    for row in found:
        yield _json_ready(row)


def tenant_lines(connection: Connection, tenant: str, insz: str | None = None) -> list[Row]:
    """The tenant's register lines (of one INSZ when given), by INSZ, type and begin."""
    table = tables.register_lines
    query = select(table).where(table.c.tenant == tenant)
    if insz is not None:
        query = query.where(table.c.insz == insz)
    ordered = query.order_by(table.c.insz, table.c.type_dossier, table.c.begin)
    return [_json_ready(row) for row in connection.execute(ordered)]


@dataclass
class Usage:
    """What the cost sharing bills a tenant for one month."""

    tenant: str
    month: str  # YYYY-MM
    commands: dict[str, dict[str, int]] = field(default_factory=dict)  # day -> kind -> count
    commands_by_kind: dict[str, int] = field(default_factory=dict)
    notifications_delivered: int = 0
    dimona_mutations_delivered: int = 0

    def as_json(self) -> Row:
        return {
            "tenant": self.tenant,
            "month": self.month,
            "commands_by_day": self.commands,
            "commands_by_kind": self.commands_by_kind,
            "commands": sum(self.commands_by_kind.values()),
            "notifications_delivered": self.notifications_delivered,
            "dimona_mutations_delivered": self.dimona_mutations_delivered,
        }


def month_usage(connection: Connection, tenant: str, month: str) -> Usage:
    """Commands per kind and per Brussels day, and records delivered, in `month` (YYYY-MM)."""
    usage = Usage(tenant, month)
    days = f"{month}-%"
    audit = tables.audit
    per_day = connection.execute(
        select(audit.c.day, audit.c.kind, func.count())
        .where(audit.c.tenant == tenant, audit.c.day.like(days))
        .group_by(audit.c.day, audit.c.kind)
        .order_by(audit.c.day, audit.c.kind)
    )
    for day, kind, count in per_day:
        usage.commands.setdefault(day, {})[kind] = count
        usage.commands_by_kind[kind] = usage.commands_by_kind.get(kind, 0) + count
    usage.notifications_delivered = _delivered(connection, tables.notifications, tenant, days)
    usage.dimona_mutations_delivered = _delivered(connection, tables.dimona_mutations, tenant, days)
    return usage


def _delivered(connection: Connection, table: Any, tenant: str, days: str) -> int:
    query = select(func.count()).where(table.c.tenant == tenant, table.c.day.like(days))
    return int(connection.execute(query).scalar_one())
