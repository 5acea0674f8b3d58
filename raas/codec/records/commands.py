"""Command (a tenant's, no tenant in it) and TenantCommand (the internal envelope with one)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from raas.codec.envelopes import TenantCommand, command_event_id
from raas.codec.records import common
from raas.codec.records.record import AvroDict, Record, branch
from raas.domain.commands import Command, Consult, CreateBis, Delete, Register, UpdateBisIdentity
from raas.domain.persons import Sex

COMMAND_TYPES = (Register, Delete, Consult, CreateBis, UpdateBisIdentity)


def body_to(command: Command) -> tuple[str, AvroDict]:
    """The command's own fields, as a branch of the command union."""
    match command:
        case Register():
            claim = command.identity
            return branch(
                "Register",
                {
                    "insz": command.insz,
                    "type_dossier": command.type_dossier,
                    "period": common.period_to(command.period),
                    "identity": None if claim is None else common.identity_claim_to(claim),
                },
            )
        case Delete():
            return branch(
                "Delete",
                {
                    "insz": command.insz,
                    "type_dossier": command.type_dossier,
                    "period": common.optional_period_to(command.period),
                },
            )
        case Consult():
            return branch(
                "Consult",
                {
                    "insz": command.insz,
                    "type_dossier": command.type_dossier,
                    "period": common.optional_period_to(command.period),
                },
            )
        case CreateBis():
            return branch(
                "CreateBis",
                {
                    "last_name": command.last_name,
                    "first_names": command.first_names,
                    "birth_date": common.birth_date_to(command.birth_date),
                    "sex": command.sex,
                    "birth_place": command.birth_place,
                    "address": command.address,
                    "confirm_distinct": command.confirm_distinct,
                },
            )
        case UpdateBisIdentity():
            return branch(
                "UpdateBisIdentity",
                {
                    "insz": command.insz,
                    "last_name": command.last_name,
                    "first_names": command.first_names,
                    "birth_date": common.optional_birth_date_to(command.birth_date),
                    "sex": command.sex,
                    "birth_place": command.birth_place,
                    "address": command.address,
                },
            )


def _register(request_id: str, reference: str | None, body: AvroDict) -> Register:
    claim = body["identity"]
    return Register(
        request_id,
        reference,
        body["insz"],
        body["type_dossier"],
        common.period_from(body["period"]),
        None if claim is None else common.identity_claim_from(claim),
    )


def _delete(request_id: str, reference: str | None, body: AvroDict) -> Delete:
    period = common.optional_period_from(body["period"])
    return Delete(request_id, reference, body["insz"], body["type_dossier"], period)


def _consult(request_id: str, reference: str | None, body: AvroDict) -> Consult:
    period = common.optional_period_from(body["period"])
    return Consult(request_id, reference, body["insz"], body["type_dossier"], period)


def _create_bis(request_id: str, reference: str | None, body: AvroDict) -> CreateBis:
    return CreateBis(
        request_id,
        reference,
        body["last_name"],
        body["first_names"],
        common.birth_date_from(body["birth_date"]),
        Sex(body["sex"]),
        body["birth_place"],
        body["address"],
        body["confirm_distinct"],
    )


def _update_bis(request_id: str, reference: str | None, body: AvroDict) -> UpdateBisIdentity:
    return UpdateBisIdentity(
        request_id,
        reference,
        body["insz"],
        body["last_name"],
        body["first_names"],
        common.optional_birth_date_from(body["birth_date"]),
        common.optional_sex_from(body["sex"]),
        body["birth_place"],
        body["address"],
    )


_BODIES: dict[str, Callable[[str, str | None, AvroDict], Command]] = {
    "be.raas.Register": _register,
    "be.raas.Delete": _delete,
    "be.raas.Consult": _consult,
    "be.raas.CreateBis": _create_bis,
    "be.raas.UpdateBisIdentity": _update_bis,
}


def body_from(request_id: str, reference: str | None, body: Any) -> Command:
    """The domain command of a union branch, with the request id and reference beside it."""
    name, fields = body
    return _BODIES[name](request_id, reference, fields)


def command_to(command: Command, timestamp: datetime | None = None) -> AvroDict:
    return {
        "event_id": command_event_id(command.request_id),
        "timestamp": timestamp or datetime.now(UTC),
        "request_id": command.request_id,
        "reference": command.reference,
        "body": body_to(command),
    }


def command_from(datum: AvroDict) -> Command:
    return body_from(datum["request_id"], datum["reference"], datum["body"])


def tenant_command_to(envelope: TenantCommand) -> AvroDict:
    return {
        "event_id": envelope.event_id,
        "timestamp": envelope.timestamp,
        "tenant": envelope.tenant,
        "command": command_to(envelope.command, envelope.timestamp),
    }


def tenant_command_from(datum: AvroDict) -> TenantCommand:
    return TenantCommand(
        tenant=datum["tenant"],
        command=command_from(datum["command"]),
        event_id=datum["event_id"],
        timestamp=datum["timestamp"],
    )


COMMAND: Record[Command] = Record("Command", COMMAND_TYPES, command_to, command_from)
TENANT_COMMAND: Record[TenantCommand] = Record(
    "TenantCommand", (TenantCommand,), tenant_command_to, tenant_command_from
)
