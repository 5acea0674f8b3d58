from __future__ import annotations

import itertools

from raas.domain.insz import InszKind, parse_insz
from raas.domain.persons import PersonIdentity
from raas.domain.sex import Sex
from raas.simulator.names import LAST_NAMES, MUNICIPALITIES
from raas.simulator.persons import simulated_persons

MANY = 2000


def first(count: int, seed: int = 1) -> list[PersonIdentity]:
    return list(itertools.islice(simulated_persons(seed), count))


PERSONS = first(MANY)


def test_every_simulated_number_is_a_valid_insz_of_the_persons_kind() -> None:
    for person in PERSONS:
        assert parse_insz(person.insz).kind is person.source


def test_birth_date_and_sex_agree_with_what_the_number_says() -> None:
    for person in PERSONS:
        number = parse_insz(person.insz)
        assert number.birth_date == person.birth_date, person
        if number.sex is not None:
            assert number.sex is person.sex, person


def test_a_bis_month_is_raised_by_40_when_the_sex_is_known_and_by_20_when_not() -> None:
    for person in (p for p in PERSONS if p.source is InszKind.BIS):
        month = int(person.insz[2:4])
        if person.sex is Sex.U:
            assert 20 <= month <= 32, person
        else:
            assert 40 <= month <= 52, person


def test_every_kind_century_sex_and_precision_of_birth_date_occurs() -> None:
    seen = {(parse_insz(p.insz).kind, parse_insz(p.insz).century) for p in PERSONS}
    assert seen == {(InszKind.RN, 19), (InszKind.RN, 20), (InszKind.BIS, 19), (InszKind.BIS, 20)}
    assert {p.sex for p in PERSONS} == {Sex.M, Sex.F, Sex.U}
    assert any(p.birth_date.month == 0 for p in PERSONS)
    assert any(p.birth_date.month != 0 and p.birth_date.day == 0 for p in PERSONS)
    assert {int(p.insz[2:4]) // 20 for p in PERSONS if p.source is InszKind.BIS} == {1, 2}


def test_no_two_simulated_persons_share_a_number() -> None:
    assert len({p.insz for p in PERSONS}) == len(PERSONS)


def test_names_come_in_several_spellings_of_one_family() -> None:
    names = {p.last_name for p in PERSONS}
    for family in LAST_NAMES:
        assert len(names & set(family.spellings)) >= 2, family


def test_an_address_is_a_belgian_street_number_postcode_and_municipality() -> None:
    places = {f"{m.postcode} {m.name}" for m in MUNICIPALITIES}
    for person in PERSONS[:200]:
        assert person.address is not None
        street_and_number, place = person.address.split(", ")
        assert place in places
        assert any(ch.isdigit() for ch in street_and_number)


def test_the_same_seed_gives_the_same_persons_and_another_seed_others() -> None:
    assert first(100, seed=1) == PERSONS[:100]
    assert {p.insz for p in first(100, seed=2)} != {p.insz for p in PERSONS[:100]}


def test_the_first_persons_do_not_depend_on_how_many_are_drawn() -> None:
    assert first(10) == first(1000)[:10]
