"""INSZ replacements of simulated persons, of the kinds the sources send (contracts.md).

- BIS -> RN: a BIS person enters the National Register (an incomplete birth date gets completed);
- BIS -> BIS: the person's BIS number gives way to another BIS number (as when two numbers
  turn out to be one person);
- RN -> RN: a National Register number corrected after a wrong birth date or sex.

Every new number is fresh (a serial no simulated person has), and a replaced number is never
chosen again, so replacements chain (a -> b, later b -> c) but never close a cycle.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta

from raas.domain.birthdates import BirthDate
from raas.domain.identifiers import event_id_for
from raas.domain.insz import InszKind
from raas.domain.persons import PersonIdentity
from raas.domain.replacement import InszReplacement
from raas.domain.sex import Sex
from raas.simulator import EPOCH
from raas.simulator.numbers import REPLACEMENT_SERIALS, NoFreeNumber, bis_number, rn_number
from raas.simulator.persons import simulated_persons


@dataclass(frozen=True, slots=True)
class SimulatedReplacement:
    """The replacement and the person as the source publishes it under the new number."""

    replacement: InszReplacement
    person: PersonIdentity


def simulated_replacements(
    seed: int, count: int, population: int
) -> Iterator[SimulatedReplacement]:
    """`count` replacements of the first `population` persons of the seed and their successors."""
    current = {p.insz: p for p in itertools.islice(simulated_persons(seed), population)}
    used = set(current)
    rng = random.Random(f"replacements:{seed}:{population}")
    made = 0
    while made < count and current:
        old = current.pop(rng.choice(sorted(current)))
        try:
            new = successor(old, used, rng)
        except NoFreeNumber:
            continue
        timestamp = EPOCH + timedelta(days=2, seconds=made)
        cause = ("simulator", str(seed), "replacement", str(population), str(made))
        new = replace(new, event_id=event_id_for(*cause, "person"), timestamp=timestamp)
        used.add(new.insz)
        current[new.insz] = new
        yield SimulatedReplacement(
            InszReplacement(old.insz, new.insz, event_id_for(*cause), timestamp), new
        )
        made += 1


def successor(old: PersonIdentity, used: set[str], rng: random.Random) -> PersonIdentity:
    """The person under a fresh number of the kind this replacement gives it."""
    if old.source is InszKind.BIS and rng.random() < 0.7:
        sex = old.sex if old.sex is not Sex.U else rng.choice((Sex.M, Sex.F))
        birth_date = _completed(old.birth_date, rng)
        number = rn_number(birth_date, sex, used, rng, REPLACEMENT_SERIALS)
        return replace(old, insz=number, source=InszKind.RN, birth_date=birth_date, sex=sex)
    if old.source is InszKind.BIS:
        number = bis_number(old.birth_date, old.sex, used, rng, REPLACEMENT_SERIALS)
        return replace(old, insz=number)
    if rng.random() < 0.1:
        sex = Sex.F if old.sex is Sex.M else Sex.M
        return replace(
            old, insz=rn_number(old.birth_date, sex, used, rng, REPLACEMENT_SERIALS), sex=sex
        )
    birth_date = _corrected(old.birth_date, rng)
    number = rn_number(birth_date, old.sex, used, rng, REPLACEMENT_SERIALS)
    return replace(old, insz=number, birth_date=birth_date)


def _completed(birth_date: BirthDate, rng: random.Random) -> BirthDate:
    month = birth_date.month or rng.randrange(1, 13)
    return BirthDate(birth_date.year, month, birth_date.day or rng.randrange(1, 29))


def _corrected(birth_date: BirthDate, rng: random.Random) -> BirthDate:
    """Another day of the month (a month too when it was unknown): a birth date set right."""
    month = birth_date.month or rng.randrange(1, 13)
    day = rng.choice([d for d in range(1, 29) if d != birth_date.day])
    return BirthDate(birth_date.year, month, day)
