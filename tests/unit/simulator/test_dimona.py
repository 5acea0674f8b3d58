from __future__ import annotations

import itertools

from raas.domain.dimona import DimonaDeclaration, DimonaKind
from raas.domain.insz import parse_insz
from raas.domain.kbo import parse_kbo
from raas.simulator.dimona import simulated_declarations
from raas.simulator.persons import simulated_persons

POPULATION = 40
MADE = list(simulated_declarations(4, 500, POPULATION))


def test_every_period_starts_with_an_in_and_nothing_follows_an_out_or_a_cancel() -> None:
    last: dict[str, DimonaDeclaration] = {}
    for declaration in MADE:
        before = last.get(declaration.period_id)
        if declaration.kind is DimonaKind.IN:
            assert before is None
        else:
            assert before is not None
            assert before.kind not in (DimonaKind.OUT, DimonaKind.CANCEL)
            same = ("employer", "worker_insz", "worker_type", "joint_committee")
            assert all(getattr(before, f) == getattr(declaration, f) for f in same)
        last[declaration.period_id] = declaration


def test_an_out_has_an_end_and_no_period_ends_before_it_begins() -> None:
    for declaration in MADE:
        if declaration.kind is DimonaKind.OUT:
            assert declaration.end is not None
        assert declaration.end is None or declaration.begin <= declaration.end


def test_workers_are_persons_of_the_seed_and_employers_valid_enterprises() -> None:
    workers = {p.insz for p in itertools.islice(simulated_persons(4), POPULATION)}
    for declaration in MADE:
        assert declaration.worker_insz in workers
        parse_insz(declaration.worker_insz)
        assert parse_kbo(declaration.employer) == declaration.employer


def test_every_kind_occurs_and_ids_are_unique() -> None:
    assert {d.kind for d in MADE} == set(DimonaKind)
    assert len({d.declaration_id for d in MADE}) == len(MADE)
    assert len({d.event_id for d in MADE}) == len(MADE)


def test_the_same_seed_gives_the_same_declarations_and_another_seed_others() -> None:
    assert list(simulated_declarations(4, 500, POPULATION)) == MADE
    assert list(simulated_declarations(5, 500, POPULATION)) != MADE
