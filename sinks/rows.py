"""Records to rows: pure functions, one per record the projection keeps. No I/O here.

Each gives the row (a dict of column -> value) its record becomes in `sinks/tables.py`; a sink
gathers them into a `Changes` per batch (`sinks/batches.py`) and writes that in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from raas.codec import to_json
from raas.codec.picking import BRANCH, KEEP
from raas.domain.dimona import DimonaMutation
from raas.domain.notifications import IdentityChanged, Notification
from raas.domain.persons import PersonIdentity
from raas.domain.register import InszState
from raas.domain.replacing import served_lines
from raas.domain.results import CommandResult
from sinks.search.keys import person_keys

Row = dict[str, Any]
BRUSSELS = ZoneInfo("Europe/Brussels")
EPOCH = datetime(1970, 1, 1)  # naive UTC, how the tables store times
# what audit_row_of reads of a CommandResult (raas.codec.picking): plain Avro values
RESULT_FIELDS: dict[str, Any] = {
    **dict.fromkeys(("event_id", "timestamp", "tenant", "request_id", "reference"), KEEP),
    **dict.fromkeys(("ticket", "insz", "status"), KEEP),
    "command": BRANCH,
    "details": {"code": KEEP},
}


def utc_naive(moment: datetime) -> datetime:
    """The moment as a naive UTC datetime, how the tables store times."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def brussels_day(moment: datetime) -> str:
    """The Europe/Brussels calendar day of `moment` (naive means UTC), as 'YYYY-MM-DD'."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(BRUSSELS).date().isoformat()


def brussels_day_of_millis(millis: int) -> str:
    """The Europe/Brussels day of a UTC timestamp in milliseconds, looked up once an hour.

    Brussels is a whole number of hours from UTC, so its day changes only on a UTC hour."""
    return _brussels_day_of_hour(millis // 3_600_000)


@lru_cache(maxsize=4096)
def _brussels_day_of_hour(hour: int) -> str:
    return brussels_day(EPOCH + timedelta(hours=hour))


def audit_row(result: CommandResult) -> Row:
    """A result as the access trail keeps it: who asked what about whom, and the answer."""
    return {
        "event_id": result.event_id,
        "time": utc_naive(result.timestamp),
        "day": brussels_day(result.timestamp),
        "tenant": result.tenant,
        "request_id": result.request_id,
        "reference": result.reference,
        "ticket": result.ticket,
        "kind": type(result.command).__name__,
        "insz": result.insz,
        "status": result.status.value,
        "codes": [detail.code for detail in result.details],
    }


def audit_row_of(result: dict[str, Any]) -> Row:
    """`audit_row` of a CommandResult read as RESULT_FIELDS, no domain object built: the same row.

    The sink's fast path: picking these fields costs a fifth of decoding the whole result."""
    millis = result["timestamp"]
    return {
        "event_id": result["event_id"],
        "time": EPOCH + timedelta(milliseconds=millis),
        "day": brussels_day_of_millis(millis),
        "tenant": result["tenant"],
        "request_id": result["request_id"],
        "reference": result["reference"],
        "ticket": result["ticket"],
        "kind": result["command"],
        "insz": result["insz"],
        "status": result["status"],
        "codes": [detail["code"] for detail in result["details"]],
    }


def notification_row(notification: Notification) -> Row:
    """A notification as delivered to its tenant; the INSZ is the new one after a replacement."""
    insz = notification.insz if isinstance(notification, IdentityChanged) else notification.new_insz
    return _delivered_row(notification, notification.tenant, insz, type(notification).__name__)


def dimona_row(mutation: DimonaMutation) -> Row:
    """A Dimona mutation as delivered to its tenant, its kind that of the declaration."""
    declaration = mutation.declaration
    return _delivered_row(
        mutation, mutation.tenant, declaration.worker_insz, declaration.kind.value
    )


def _delivered_row(record: Notification | DimonaMutation, tenant: str, insz: str, kind: str) -> Row:
    return {
        "event_id": record.event_id,
        "tenant": tenant,
        "insz": insz,
        "kind": kind,
        "payload": to_json(record),
        "time": utc_naive(record.timestamp),
        "day": brussels_day(record.timestamp),
    }


def person_row(person: PersonIdentity) -> Row:
    """The identity snapshot with the phonetic keys `raas search` looks it up by."""
    return {
        "insz": person.insz,
        "last_name": person.last_name,
        "first_names": person.first_names,
        "birth_date": str(person.birth_date),
        "sex": person.sex.value,
        "birth_place": person.birth_place,
        "address": person.address,
        "nationality": person.nationality,
        "death_date": person.death_date,
        "source": person.source.value,
        "time": utc_naive(person.timestamp),
        "event_id": person.event_id,
        **person_keys(person.last_name, person.first_names),
    }


def line_rows(state: InszState | None) -> list[Row]:
    """The register lines of one INSZ's state, every tenant's; none for a tombstone.

    A replaced INSZ shows none: the lines it kept (for a repeated RETIRE) live on its successor.
    """
    if state is None:
        return []
    return [
        {
            "tenant": line.tenant,
            "insz": line.insz,
            "type_dossier": line.type_dossier,
            "begin": line.period.begin,
            "end": line.period.end,
        }
        for line in served_lines(state)
    ]


@dataclass
class Changes:
    """What one batch changes, deduplicated so a multi-row upsert never meets a key twice.

    `rows[table][key]`: the row to upsert (the later of two with one key; for persons the newer
    snapshot). `lines[insz]`: the INSZ's lines, replacing all it had (an empty list deletes).
    """

    rows: dict[str, dict[tuple[Any, ...], Row]] = field(default_factory=dict)
    lines: dict[str, list[Row]] = field(default_factory=dict)

    def add(self, table: str, key: tuple[Any, ...], row: Row) -> None:
        kept = self.rows.setdefault(table, {})
        if table == "persons" and key in kept and kept[key]["time"] > row["time"]:
            return  # an older snapshot arriving late does not win
        kept[key] = row

    def replace_lines(self, insz: str, rows: list[Row]) -> None:
        self.lines[insz] = rows

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.rows.values()) + len(self.lines)
