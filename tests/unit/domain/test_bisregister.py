from __future__ import annotations

from dataclasses import replace

from raas.domain import codes
from raas.domain.birthdates import BirthDate
from raas.domain.bisregister import (
    BisDay,
    bis_key,
    create_bis,
    has_minimal_data,
    update_bis_identity,
)
from raas.domain.commands import CreateBis, UpdateBisIdentity
from raas.domain.insz import InszKind, parse_insz
from raas.domain.register import InszState
from raas.domain.results import CommandResult, Status
from raas.domain.sex import Sex
from tests.unit.domain.builders import BIS_WOMAN, MAN, NOW, TENANT, person

BORN = BirthDate(1975, 6, 8)


def create(request_id: str = "b1", **changes: object) -> CreateBis:
    command = CreateBis(request_id, None, "Nowak", "Anna", BORN, Sex.F, "Krakow", None, False)
    return replace(command, **changes)  # type: ignore[arg-type]


def codes_of(result: CommandResult) -> list[int]:
    return [d.code for d in result.details]


def test_creating_a_bis_person_allocates_a_valid_number_for_the_birth_date() -> None:
    day, result, created = create_bis(BisDay(bis_key(create())), create(), tenant=TENANT, now=NOW)
    assert created is not None and result.status is Status.OK
    assert result.insz == created.insz and codes_of(result) == [codes.BIS_CREATED.code]
    insz = parse_insz(created.insz)
    assert (insz.kind, insz.birth_date, insz.sex) == (InszKind.BIS, BORN, Sex.F)
    assert created.source is InszKind.BIS and day.persons == (created,)


def test_a_second_person_on_the_same_day_gets_another_number() -> None:
    day, _, first = create_bis(BisDay("1975-06-08"), create(), tenant=TENANT, now=NOW)
    _, _, second = create_bis(day, create("b2", last_name="Kowalski"), tenant=TENANT, now=NOW)
    assert first is not None and second is not None and first.insz != second.insz


def test_a_repeated_create_returns_the_stored_result_and_allocates_nothing() -> None:
    day, first, _ = create_bis(BisDay("1975-06-08"), create(), tenant=TENANT, now=NOW)
    again, repeated, created = create_bis(day, create(), tenant=TENANT, now=NOW)
    assert (again, repeated, created) == (day, first, None)


def test_an_exact_duplicate_of_a_created_bis_person_is_refused() -> None:
    day, _, _ = create_bis(BisDay("1975-06-08"), create(), tenant=TENANT, now=NOW)
    _, result, created = create_bis(day, create("b2", last_name="NOWAK"), tenant=TENANT, now=NOW)
    assert (created, codes_of(result)) == (None, [codes.BIS_DUPLICATE.code])


def test_minimal_data_is_full_birth_data_or_a_dated_address() -> None:
    assert has_minimal_data(create())
    assert not has_minimal_data(create(birth_place=None))
    assert has_minimal_data(create(birth_place=None, birth_date=BirthDate(1975, 0, 0), address="x"))
    assert not has_minimal_data(create(last_name=" "))
    _, result, _ = create_bis(BisDay("x"), create(birth_place=None), tenant=TENANT, now=NOW)
    assert codes_of(result) == [codes.BIS_DATA_INSUFFICIENT.code]


def test_a_bis_identity_is_updated_with_the_given_fields_only() -> None:
    bis_person = person(BIS_WOMAN, sex=Sex.F, source=InszKind.BIS)
    command = UpdateBisIdentity("u1", None, BIS_WOMAN, address="Markt 1, 2000 Antwerpen")
    state, result, updated = update_bis_identity(
        InszState(BIS_WOMAN), bis_person, command, tenant=TENANT, now=NOW
    )
    assert updated == replace(
        bis_person,
        address="Markt 1, 2000 Antwerpen",
        event_id=updated.event_id if updated else "",
        timestamp=NOW,
    )
    assert codes_of(result) == [codes.BIS_IDENTITY_UPDATED.code]
    assert update_bis_identity(state, bis_person, command, tenant=TENANT, now=NOW)[1:] == (
        result,
        None,
    )


def test_a_national_register_number_cannot_be_updated() -> None:
    command = UpdateBisIdentity("u1", None, MAN, last_name="Other")
    _, result, updated = update_bis_identity(
        InszState(MAN), person(), command, tenant=TENANT, now=NOW
    )
    assert (updated, codes_of(result)) == (None, [codes.INSZ_NOT_BIS.code])


def test_an_unknown_or_invalid_insz_cannot_be_updated() -> None:
    unknown = UpdateBisIdentity("u1", None, BIS_WOMAN, last_name="Other")
    _, result, _ = update_bis_identity(InszState(BIS_WOMAN), None, unknown, tenant=TENANT, now=NOW)
    assert codes_of(result) == [codes.INSZ_UNKNOWN.code]
    invalid = UpdateBisIdentity("u2", None, "123", last_name="Other")
    _, result, _ = update_bis_identity(InszState("123"), None, invalid, tenant=TENANT, now=NOW)
    assert (codes_of(result), result.insz) == ([codes.INSZ_INVALID.code], None)
