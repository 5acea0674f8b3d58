"""The BIS register: creating a BIS person and updating a BIS person's identity.

CreateBis runs in the partition of its birth date (`bis_key`), against a `BisDay`: the BIS
persons created for that birth date and the requests answered there. UpdateBisIdentity runs in
the partition of its INSZ, against the person and that INSZ's `InszState` (for its answers).

The phonetic search for likely matches is a read-side query run by the CLI and the gateway
before they send CreateBis (contracts.md); `BIS_LIKELY_DUPLICATE` is the code they answer with.
Here only an exact duplicate of a BIS person created before is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from raas.domain import codes
from raas.domain.answers import Answer, answer_again, answer_for, recall, remember
from raas.domain.bis import BisSerialsExhausted, allocate_bis
from raas.domain.checks import check_insz, check_known, check_replaced
from raas.domain.commands import CreateBis, UpdateBisIdentity
from raas.domain.identifiers import event_id_for
from raas.domain.insz import InszKind, parse_insz
from raas.domain.persons import PersonIdentity, normalise_name
from raas.domain.register import InszState
from raas.domain.results import CommandResult, Detail, detail, result_for
from raas.domain.sex import Sex


@dataclass(frozen=True, slots=True)
class BisDay:
    """The BIS persons created for one birth date (every number ever given) and the answers."""

    birth_date: str
    persons: tuple[PersonIdentity, ...] = ()
    answers: tuple[Answer, ...] = ()


def bis_key(command: CreateBis) -> str:
    """The partition key of a CreateBis: its birth date as `YYYY-MM-DD`."""
    return str(command.birth_date)


def has_minimal_data(command: CreateBis) -> bool:
    """A name with a full birth date, birth place and sex, or a name, a year and an address."""
    if not command.last_name.strip():
        return False
    full = (
        command.birth_date.is_complete
        and bool(command.birth_place and command.birth_place.strip())
        and command.sex in (Sex.M, Sex.F)
    )
    located = command.birth_date.year != 0 and bool(command.address and command.address.strip())
    return full or located


def _same_person(command: CreateBis, person: PersonIdentity) -> bool:
    return (
        normalise_name(command.last_name) == normalise_name(person.last_name)
        and normalise_name(command.first_names) == normalise_name(person.first_names)
        and command.birth_date == person.birth_date
        and command.sex == person.sex
    )


def create_bis(
    day: BisDay, command: CreateBis, *, tenant: str, now: datetime
) -> tuple[BisDay, CommandResult, PersonIdentity | None]:
    """Allocate a number and build the new BIS person; a repeated request gets its stored result.

    The person returned (None when refused or repeated) goes to its INSZ partition before the
    result is sent.
    """
    stored = recall(day.answers, tenant, command.request_id)
    if stored is not None:
        return day, answer_again(stored, command, now), None
    person: PersonIdentity | None = None
    details: tuple[Detail, ...]
    if not has_minimal_data(command):
        details = (detail(codes.BIS_DATA_INSUFFICIENT),)
    elif any(_same_person(command, known) for known in day.persons):
        details = (detail(codes.BIS_DUPLICATE),)
    else:
        try:
            number = allocate_bis(command.birth_date, command.sex, {p.insz for p in day.persons})
        except BisSerialsExhausted as exhausted:
            details = (detail(codes.BIS_SERIALS_EXHAUSTED, str(exhausted)),)
        else:
            person = _new_person(number, command, tenant, now)
            details = (detail(codes.BIS_CREATED, number),)
    result = result_for(command, tenant, person.insz if person else None, details, (), now)
    persons = day.persons if person is None else (*day.persons, person)
    answers = remember(day.answers, answer_for(result, now))
    return replace(day, persons=persons, answers=answers), result, person


def _new_person(number: str, command: CreateBis, tenant: str, now: datetime) -> PersonIdentity:
    return PersonIdentity(
        insz=number,
        last_name=command.last_name,
        first_names=command.first_names,
        birth_date=command.birth_date,
        sex=command.sex,
        birth_place=command.birth_place,
        nationality=None,
        address=command.address,
        civil_state=None,
        death_date=None,
        source=InszKind.BIS,
        event_id=event_id_for(tenant, command.request_id, "bis"),
        timestamp=now,
    )


def update_bis_identity(
    state: InszState,
    person: PersonIdentity | None,
    command: UpdateBisIdentity,
    *,
    tenant: str,
    now: datetime,
) -> tuple[InszState, CommandResult, PersonIdentity | None]:
    """The updated person (None when refused or repeated): only BIS numbers, only given fields.

    Forwarding on a replaced INSZ works as for the register (`register.forward_target`).
    """
    stored = recall(state.answers, tenant, command.request_id)
    if stored is not None:
        return state, answer_again(stored, command, now), None
    asked, details = check_insz(command.insz)
    insz = None if asked is None else state.insz
    updated: PersonIdentity | None = None
    if asked is not None:
        details = check_known(person, state.insz)
    if person is not None and asked is not None and not details:
        replaced = check_replaced(asked, state.insz)
        if parse_insz(state.insz).kind is not InszKind.BIS:
            details = (*replaced, detail(codes.INSZ_NOT_BIS, f"({state.insz})"))
        else:
            updated = _updated(person, command, tenant, now)
            details = (*replaced, detail(codes.BIS_IDENTITY_UPDATED, state.insz))
    result = result_for(command, tenant, insz, details, (), now)
    answers = remember(state.answers, answer_for(result, now))
    return replace(state, answers=answers), result, updated


def _updated(
    person: PersonIdentity, command: UpdateBisIdentity, tenant: str, now: datetime
) -> PersonIdentity:
    changes = {
        name: value
        for name in ("last_name", "first_names", "birth_date", "sex", "birth_place", "address")
        if (value := getattr(command, name)) is not None
    }
    event_id = event_id_for(tenant, command.request_id, "bis-update")
    return replace(person, **changes, event_id=event_id, timestamp=now)
