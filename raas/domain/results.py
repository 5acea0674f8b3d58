"""The reply to a command: status, details and the lines it concerns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from raas.domain.codes import ResultCode, Severity
from raas.domain.commands import Command
from raas.domain.identifiers import event_id_for, ticket_for
from raas.domain.periods import Period


class Status(StrEnum):
    OK = "OK"
    WARNING = "WARNING"
    ERROR = "ERROR"


@dataclass(frozen=True, slots=True)
class Detail:
    severity: Severity
    code: int
    message: str
    field: str | None


@dataclass(frozen=True, slots=True, order=True)
class RegisterLine:
    tenant: str
    insz: str
    type_dossier: int
    period: Period


@dataclass(frozen=True, slots=True)
class CommandResult:
    """`insz` is the number acted on: the current one after a replacement."""

    tenant: str
    request_id: str
    reference: str | None
    ticket: str
    command: Command
    insz: str | None
    status: Status
    details: tuple[Detail, ...]
    lines: tuple[RegisterLine, ...]
    event_id: str
    timestamp: datetime


def detail(code: ResultCode, extra: str | None = None, field: str | None = None) -> Detail:
    """A detail for `code`; `extra` is appended to its message, `field` overrides its field."""
    message = code.message if extra is None else f"{code.message} {extra}"
    return Detail(code.severity, code.code, message, field if field is not None else code.field)


def status_of(details: Iterable[Detail]) -> Status:
    """The worst severity decides: error, else warning, else OK."""
    worst = max((d.severity for d in details), default=Severity.INFO)
    return {Severity.INFO: Status.OK, Severity.WARNING: Status.WARNING}.get(worst, Status.ERROR)


def result_for(
    command: Command,
    tenant: str,
    insz: str | None,
    details: tuple[Detail, ...],
    lines: tuple[RegisterLine, ...],
    now: datetime,
) -> CommandResult:
    """The result of `command`: ticket and event id derived from (tenant, request_id)."""
    status = status_of(details)
    return CommandResult(
        tenant=tenant,
        request_id=command.request_id,
        reference=command.reference,
        ticket=ticket_for(tenant, command.request_id),
        command=command,
        insz=insz,
        status=status,
        details=details,
        lines=lines if status is not Status.ERROR else (),
        event_id=event_id_for(tenant, command.request_id, "result"),
        timestamp=now,
    )
