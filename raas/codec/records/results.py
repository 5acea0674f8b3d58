"""CommandResult: the answer to a command, echoing it."""

from __future__ import annotations

from raas.codec.records import common
from raas.codec.records.commands import body_from, body_to
from raas.codec.records.record import AvroDict, Record
from raas.domain.results import CommandResult, Status


def result_to(result: CommandResult) -> AvroDict:
    return {
        "event_id": result.event_id,
        "timestamp": result.timestamp,
        "tenant": result.tenant,
        "request_id": result.request_id,
        "reference": result.reference,
        "ticket": result.ticket,
        "command": body_to(result.command),
        "insz": result.insz,
        "status": result.status,
        "details": [common.detail_to(d) for d in result.details],
        "lines": [common.line_to(line) for line in result.lines],
    }


def result_from(datum: AvroDict) -> CommandResult:
    return CommandResult(
        tenant=datum["tenant"],
        request_id=datum["request_id"],
        reference=datum["reference"],
        ticket=datum["ticket"],
        command=body_from(datum["request_id"], datum["reference"], datum["command"]),
        insz=datum["insz"],
        status=Status(datum["status"]),
        details=tuple(common.detail_from(d) for d in datum["details"]),
        lines=tuple(common.line_from(line) for line in datum["lines"]),
        event_id=datum["event_id"],
        timestamp=datum["timestamp"],
    )


COMMAND_RESULT: Record[CommandResult] = Record(
    "CommandResult", (CommandResult,), result_to, result_from
)
