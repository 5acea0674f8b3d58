"""Spelling variants of simulated persons, as a clerk might type them, each tied to its base person.

A variant keeps the base person's birth date and sex and spells the last name and the usual first
name another way of the same family (Peeters as Pieters, Marie as Maria). `base` says which person
it was made from, so a search's recall can be measured: did the search find the base person?
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from raas.domain.birthdates import BirthDate
from raas.domain.persons import PersonIdentity
from raas.domain.sex import Sex
from raas.simulator.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES, NameFamily


@dataclass(frozen=True, slots=True)
class SpellingVariant:
    """How someone may look for `base`: other spellings, the same birth date and sex."""

    base: PersonIdentity
    last_name: str
    first_name: str
    birth_date: BirthDate
    sex: Sex


def spelling_variants(persons: Iterable[PersonIdentity], seed: int) -> Iterator[SpellingVariant]:
    """One variant per person, in the same order; the same seed gives the same variants."""
    rng = random.Random(f"variants:{seed}")
    for person in persons:
        yield spelling_variant(person, rng)


def spelling_variant(person: PersonIdentity, rng: random.Random) -> SpellingVariant:
    """Another spelling of the last name and of the usual (first) first name, where one exists."""
    usual = person.first_names.split()[0] if person.first_names.split() else ""
    return SpellingVariant(
        base=person,
        last_name=other_spelling(person.last_name, LAST_NAMES, rng),
        first_name=other_spelling(usual, MALE_FIRST_NAMES + FEMALE_FIRST_NAMES, rng),
        birth_date=person.birth_date,
        sex=person.sex,
    )


def other_spelling(name: str, families: Iterable[NameFamily], rng: random.Random) -> str:
    """Another spelling from a family that holds `name`; `name` itself when none does."""
    others = sorted({s for f in families if name in f.spellings for s in f.spellings} - {name})
    return rng.choice(others) if others else name


def family_of(name: str, families: Iterable[NameFamily]) -> frozenset[str]:
    """Every spelling of every family that holds `name` (empty when none does)."""
    return frozenset(s for f in families if name in f.spellings for s in f.spellings)
