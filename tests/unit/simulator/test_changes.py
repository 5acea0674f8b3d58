from __future__ import annotations

import itertools

from raas.domain.persons import diff_identity
from raas.simulator.changes import identity_changes
from raas.simulator.persons import simulated_persons

POPULATION = 30


def test_each_change_is_a_full_snapshot_of_a_person_of_the_seed_with_one_field_changed() -> None:
    known = {p.insz: p for p in itertools.islice(simulated_persons(5), POPULATION)}
    current = dict(known)
    for snapshot in identity_changes(5, 200, POPULATION):
        assert snapshot.insz in known
        changed = {c.field for c in diff_identity(current[snapshot.insz], snapshot)}
        assert len(changed) == 1, changed
        assert changed <= {"last_name", "address", "civil_state", "nationality", "death_date"}
        current[snapshot.insz] = snapshot


def test_a_person_who_died_changes_no_more() -> None:
    dead: set[str] = set()
    for snapshot in identity_changes(5, 300, POPULATION):
        assert snapshot.insz not in dead
        if snapshot.death_date is not None:
            assert snapshot.birth_date.year < snapshot.death_date.year
            dead.add(snapshot.insz)


def test_the_same_seed_gives_the_same_changes_and_another_seed_others() -> None:
    once = list(identity_changes(5, 50, POPULATION))
    assert once == list(identity_changes(5, 50, POPULATION))
    assert once != list(identity_changes(6, 50, POPULATION))
    assert len({c.event_id for c in once}) == len(once)
