"""A Dimona declaration as the Dimona feed publishes it, checked as the feed would check it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from raas.domain.dimona import DimonaDeclaration, DimonaKind
from raas.domain.identifiers import event_id_for
from raas.domain.insz import parse_insz
from raas.domain.kbo import parse_kbo

WORKER_TYPE = re.compile(r"^[A-Z0-9]{1,10}$")
JOINT_COMMITTEE = re.compile(r"^[0-9]{3}(\.[0-9]{1,2})*$")


class InvalidDeclaration(ValueError):
    """A declaration the Dimona feed would not send; the message says which field and why."""


def declaration(
    *,
    insz: str,
    kind: DimonaKind,
    period_id: str,
    employer: str,
    worker_type: str,
    joint_committee: str | None,
    begin: date,
    end: date | None,
    declaration_id: str | None = None,
    now: datetime | None = None,
) -> DimonaDeclaration:
    """Numbers checked (InvalidInsz, InvalidKbo), the rest InvalidDeclaration; an OUT needs an end.

    Without a `declaration_id`, one is derived from the period id, kind and dates, so sending the
    same declaration again is the same event.
    """
    worker, company = parse_insz(insz).number, parse_kbo(employer)
    if not period_id.isdigit():
        raise InvalidDeclaration(f"period id {period_id!r} is not a number")
    if not WORKER_TYPE.match(worker_type):
        raise InvalidDeclaration(f"worker type {worker_type!r} is not a code such as STU or FLX")
    if joint_committee is not None and not JOINT_COMMITTEE.match(joint_committee):
        raise InvalidDeclaration(f"joint committee {joint_committee!r} is not a number like 302")
    if end is not None and end < begin:
        raise InvalidDeclaration(f"the end {end} is before the begin {begin}")
    if kind is DimonaKind.OUT and end is None:
        raise InvalidDeclaration("an OUT declares the end of the employment: give its end")
    cause = (period_id, kind.value, worker, begin.isoformat(), str(end))
    event_id = event_id_for("dimona", *cause)
    return DimonaDeclaration(
        declaration_id=declaration_id or event_id,
        period_id=period_id,
        kind=kind,
        employer=company,
        worker_insz=worker,
        worker_type=worker_type,
        joint_committee=joint_committee,
        begin=begin,
        end=end,
        event_id=event_id,
        timestamp=now or datetime.now(UTC),
    )
