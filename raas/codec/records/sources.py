"""What the authentic sources send: person snapshots and INSZ replacements, and the internal
steps a replacement takes between partitions."""

from __future__ import annotations

from raas.codec.records import common
from raas.codec.records.record import AvroDict, Record
from raas.domain.insz import InszKind
from raas.domain.persons import PersonIdentity, Sex
from raas.domain.replacement import InszReplacement
from raas.domain.replacing import ReplacementStep, StepKind


def person_to(person: PersonIdentity) -> AvroDict:
    return {
        "event_id": person.event_id,
        "timestamp": person.timestamp,
        "insz": person.insz,
        "last_name": person.last_name,
        "first_names": person.first_names,
        "birth_date": common.birth_date_to(person.birth_date),
        "sex": person.sex,
        "birth_place": person.birth_place,
        "nationality": person.nationality,
        "address": person.address,
        "civil_state": person.civil_state,
        "death_date": person.death_date,
        "source": person.source,
    }


def person_from(datum: AvroDict) -> PersonIdentity:
    return PersonIdentity(
        insz=datum["insz"],
        last_name=datum["last_name"],
        first_names=datum["first_names"],
        birth_date=common.birth_date_from(datum["birth_date"]),
        sex=Sex(datum["sex"]),
        birth_place=datum["birth_place"],
        nationality=datum["nationality"],
        address=datum["address"],
        civil_state=datum["civil_state"],
        death_date=datum["death_date"],
        source=InszKind(datum["source"]),
        event_id=datum["event_id"],
        timestamp=datum["timestamp"],
    )


def replacement_to(replacement: InszReplacement) -> AvroDict:
    return {
        "event_id": replacement.event_id,
        "timestamp": replacement.timestamp,
        "old_insz": replacement.old_insz,
        "new_insz": replacement.new_insz,
    }


def replacement_from(datum: AvroDict) -> InszReplacement:
    return InszReplacement(
        datum["old_insz"], datum["new_insz"], datum["event_id"], datum["timestamp"]
    )


PERSON_IDENTITY: Record[PersonIdentity] = Record(
    "PersonIdentity", (PersonIdentity,), person_to, person_from
)
INSZ_REPLACEMENT: Record[InszReplacement] = Record(
    "InszReplacement", (InszReplacement,), replacement_to, replacement_from
)


def step_to(step: ReplacementStep) -> AvroDict:
    return {
        "event_id": step.replacement.event_id,
        "timestamp": step.replacement.timestamp,
        "kind": step.kind.value,
        "old_insz": step.replacement.old_insz,
        "new_insz": step.replacement.new_insz,
        "at": step.at,
        "target": step.target,
        "via": list(step.via),
        "lines": [common.line_to(line) for line in step.lines],
    }


def step_from(datum: AvroDict) -> ReplacementStep:
    return ReplacementStep(
        StepKind(datum["kind"]),
        replacement_from(datum),
        at=datum["at"],
        target=datum["target"],
        via=tuple(datum["via"]),
        lines=tuple(common.line_from(line) for line in datum["lines"]),
    )


REPLACEMENT_STEP: Record[ReplacementStep] = Record(
    "ReplacementStep", (ReplacementStep,), step_to, step_from
)
