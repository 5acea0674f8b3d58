"""Simulated persons: valid numbers of both kinds and centuries, Belgian names, dates, addresses.

`simulated_persons(seed)` is an endless, prefix-stable stream: its first 50 persons are the same
whether 50 or 5,000 are drawn, so `changes`, `replacements` and `dimona` find the persons that
`persons` published with the same seed.

About 85% are in the National Register, 15% BIS (four in five with the sex known, month +40; the
rest +20 and sex U). About 3% of National Register and 25% of BIS persons have an incomplete birth
date (`yyyy-mm-00` or `yyyy-00-00`), written as the number says.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import timedelta

from raas.domain.birthdates import BirthDate
from raas.domain.identifiers import event_id_for
from raas.domain.insz import InszKind
from raas.domain.persons import PersonIdentity
from raas.domain.sex import Sex
from raas.simulator import EPOCH
from raas.simulator.names import (
    BIRTH_PLACES_ABROAD,
    CIVIL_STATES,
    FEMALE_FIRST_NAMES,
    LAST_NAMES,
    MALE_FIRST_NAMES,
    MUNICIPALITIES,
    NATIONALITIES_ABROAD,
    Language,
    NameFamily,
)
from raas.simulator.numbers import PERSON_SERIALS, bis_number, rn_number

FIRST_YEAR, LAST_YEAR = 1935, 2025


def simulated_persons(seed: int) -> Iterator[PersonIdentity]:
    """An endless stream of distinct, valid persons; the same seed gives the same stream."""
    rng = random.Random(f"persons:{seed}")
    used: set[str] = set()
    for index in itertools.count():
        person = _person(rng, used, seed, index)
        used.add(person.insz)
        yield person


def _person(rng: random.Random, used: set[str], seed: int, index: int) -> PersonIdentity:
    language = Language.NL if rng.random() < 0.6 else Language.FR
    sex = rng.choice((Sex.M, Sex.F))
    kind = InszKind.RN if rng.random() < 0.85 else InszKind.BIS
    birth_date = _birth_date(rng, incomplete=0.03 if kind is InszKind.RN else 0.25)
    if kind is InszKind.RN:
        insz = rn_number(birth_date, sex, used, rng, PERSON_SERIALS)
    else:
        sex = sex if rng.random() < 0.8 else Sex.U
        insz = bis_number(birth_date, sex, used, rng, PERSON_SERIALS)
    first = MALE_FIRST_NAMES if sex is Sex.M else FEMALE_FIRST_NAMES
    if sex is Sex.U:
        first = rng.choice((MALE_FIRST_NAMES, FEMALE_FIRST_NAMES))
    return PersonIdentity(
        insz=insz,
        last_name=spelling(rng, rng.choice(_of(LAST_NAMES, language))),
        first_names=" ".join(
            spelling(rng, family)
            for family in rng.sample(_of(first, language), rng.choice((1, 1, 2, 3)))
        ),
        birth_date=birth_date,
        sex=sex,
        birth_place=_birth_place(rng, kind, language),
        nationality="BE" if kind is InszKind.RN else rng.choice(NATIONALITIES_ABROAD),
        address=address(rng, language),
        civil_state=_civil_state(rng, birth_date),
        death_date=None,
        source=kind,
        event_id=event_id_for("simulator", str(seed), "person", str(index)),
        timestamp=EPOCH + timedelta(seconds=index),
    )


def _of(families: tuple[NameFamily, ...], language: Language) -> list[NameFamily]:
    return [f for f in families if f.language is language]


def spelling(rng: random.Random, family: NameFamily) -> str:
    """The common spelling two times in three, else another of the family."""
    if rng.random() < 0.67 or len(family.spellings) == 1:
        return family.spellings[0]
    return rng.choice(family.spellings[1:])


def _birth_date(rng: random.Random, *, incomplete: float) -> BirthDate:
    year = rng.randrange(FIRST_YEAR, LAST_YEAR + 1)
    month = rng.randrange(1, 13)
    day = rng.randrange(1, 29)
    if rng.random() < incomplete:
        return BirthDate(year, 0, 0) if rng.random() < 0.5 else BirthDate(year, month, 0)
    return BirthDate(year, month, day)


def _birth_place(rng: random.Random, kind: InszKind, language: Language) -> str:
    if kind is InszKind.BIS:
        return rng.choice(BIRTH_PLACES_ABROAD)
    return rng.choice([m for m in MUNICIPALITIES if m.language is language]).name


def address(rng: random.Random, language: Language) -> str:
    """A Belgian address: street, number (sometimes a box), postcode, municipality."""
    here = rng.choice([m for m in MUNICIPALITIES if m.language is language])
    number = str(rng.randrange(1, 250))
    if rng.random() < 0.15:
        number += (
            f" bus {rng.randrange(1, 30)}"
            if language is Language.NL
            else f" bte {rng.randrange(1, 30)}"
        )
    return f"{rng.choice(here.streets)} {number}, {here.postcode} {here.name}"


def _civil_state(rng: random.Random, birth_date: BirthDate) -> str:
    if birth_date.year > LAST_YEAR - 18:
        return CIVIL_STATES[0]
    return rng.choice(CIVIL_STATES)
