"""Identity changes to simulated persons: a move, a corrected spelling, a civil state, a death.

Each change is a full snapshot of the person as it is after all the changes before it, as the
National Register publishes it. The persons changed are the first `population` persons of the seed,
so run `simulate persons` with at least that many first.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta

from raas.domain.identifiers import event_id_for
from raas.domain.persons import PersonIdentity
from raas.simulator import EPOCH
from raas.simulator.names import CIVIL_STATES, LAST_NAMES, Language
from raas.simulator.persons import address, simulated_persons
from raas.simulator.variants import other_spelling

Change = Callable[[PersonIdentity, random.Random], PersonIdentity]


def moved(person: PersonIdentity, rng: random.Random) -> PersonIdentity:
    """A new main address, in a municipality of either language."""
    return replace(person, address=address(rng, rng.choice((Language.NL, Language.FR))))


def name_corrected(person: PersonIdentity, rng: random.Random) -> PersonIdentity:
    """The last name's spelling corrected to another of its family (Peters to Peeters)."""
    return replace(person, last_name=other_spelling(person.last_name, LAST_NAMES, rng))


def civil_state_changed(person: PersonIdentity, rng: random.Random) -> PersonIdentity:
    others = [s for s in CIVIL_STATES if s != person.civil_state]
    return replace(person, civil_state=rng.choice(others))


def died(person: PersonIdentity, rng: random.Random) -> PersonIdentity:
    """A death date after the birth year and before the simulator's epoch."""
    first = date(max(person.birth_date.year + 1, 2000), 1, 1)
    days = (EPOCH.date() - first).days
    return replace(person, death_date=first + timedelta(days=rng.randrange(max(days, 1))))


def naturalised(person: PersonIdentity, rng: random.Random) -> PersonIdentity:
    return replace(person, nationality="BE")


CHANGES: tuple[tuple[Change, int], ...] = (
    (moved, 50),
    (name_corrected, 15),
    (civil_state_changed, 25),
    (naturalised, 5),
    (died, 5),
)


def identity_changes(seed: int, count: int, population: int) -> Iterator[PersonIdentity]:
    """`count` snapshots, each one change to one of the first `population` persons of the seed.

    A person who died changes no more; the stream ends early only when every person died.
    """
    current = {p.insz: p for p in itertools.islice(simulated_persons(seed), population)}
    living = list(current)
    rng = random.Random(f"changes:{seed}:{population}")
    kinds, weights = zip(*CHANGES, strict=True)
    for index in range(count):
        if not living:
            return
        insz = rng.choice(living)
        changed = _changed(current[insz], kinds, weights, rng)
        if changed.death_date is not None:
            living.remove(insz)
        changed = replace(
            changed,
            event_id=event_id_for("simulator", str(seed), "change", str(population), str(index)),
            timestamp=EPOCH + timedelta(days=1, seconds=index),
        )
        current[insz] = changed
        yield changed


def _changed(
    person: PersonIdentity, kinds: tuple[Change, ...], weights: tuple[int, ...], rng: random.Random
) -> PersonIdentity:
    """A change that changes something (a Belgian is not naturalised; a move may draw the same)."""
    while True:
        changed = rng.choices(kinds, weights)[0](person, rng)
        if changed != person:
            return changed
