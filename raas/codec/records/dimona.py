"""Dimona declarations as received, and as routed to a subscribed tenant."""

from __future__ import annotations

from raas.codec.records.record import AvroDict, Record
from raas.domain.dimona import DimonaDeclaration, DimonaKind, DimonaMutation


def declaration_to(declaration: DimonaDeclaration) -> AvroDict:
    return {
        "event_id": declaration.event_id,
        "timestamp": declaration.timestamp,
        "declaration_id": declaration.declaration_id,
        "period_id": declaration.period_id,
        "kind": declaration.kind,
        "employer": declaration.employer,
        "worker_insz": declaration.worker_insz,
        "worker_type": declaration.worker_type,
        "joint_committee": declaration.joint_committee,
        "begin": declaration.begin,
        "end": declaration.end,
    }


def declaration_from(datum: AvroDict) -> DimonaDeclaration:
    return DimonaDeclaration(
        declaration_id=datum["declaration_id"],
        period_id=datum["period_id"],
        kind=DimonaKind(datum["kind"]),
        employer=datum["employer"],
        worker_insz=datum["worker_insz"],
        worker_type=datum["worker_type"],
        joint_committee=datum["joint_committee"],
        begin=datum["begin"],
        end=datum["end"],
        event_id=datum["event_id"],
        timestamp=datum["timestamp"],
    )


def mutation_to(mutation: DimonaMutation) -> AvroDict:
    return {
        "event_id": mutation.event_id,
        "timestamp": mutation.timestamp,
        "tenant": mutation.tenant,
        "declaration": declaration_to(mutation.declaration),
    }


def mutation_from(datum: AvroDict) -> DimonaMutation:
    declaration = declaration_from(datum["declaration"])
    return DimonaMutation(datum["tenant"], declaration, datum["event_id"], datum["timestamp"])


DIMONA_DECLARATION: Record[DimonaDeclaration] = Record(
    "DimonaDeclaration", (DimonaDeclaration,), declaration_to, declaration_from
)
DIMONA_MUTATION: Record[DimonaMutation] = Record(
    "DimonaMutation", (DimonaMutation,), mutation_to, mutation_from
)
