from __future__ import annotations

import itertools

from raas.domain.insz import InszKind, parse_insz
from raas.domain.replacement import check_replacement, resolve
from raas.simulator.persons import simulated_persons
from raas.simulator.replacements import simulated_replacements

POPULATION = 200
MADE = list(simulated_replacements(9, 150, POPULATION))


def test_replacements_never_form_a_cycle_and_every_chain_ends() -> None:
    replaced_by: dict[str, str] = {}
    for made in MADE:
        check_replacement(replaced_by, made.replacement)  # raises on a cycle or a conflict
        replaced_by[made.replacement.old_insz] = made.replacement.new_insz
    for old in replaced_by:
        assert resolve(replaced_by, old) not in replaced_by


def test_some_replacements_chain() -> None:
    olds = {m.replacement.old_insz for m in MADE}
    assert any(m.replacement.new_insz in olds for m in MADE)


def test_a_new_number_is_fresh_and_carries_the_new_person() -> None:
    persons = {p.insz for p in itertools.islice(simulated_persons(9), 5000)}
    for made in MADE:
        assert made.replacement.new_insz not in persons
        assert made.person.insz == made.replacement.new_insz
        number = parse_insz(made.person.insz)
        assert number.kind is made.person.source
        assert number.birth_date == made.person.birth_date
        assert number.sex in (None, made.person.sex)


def test_the_kinds_the_sources_send_all_occur() -> None:
    kinds = {
        (parse_insz(m.replacement.old_insz).kind, parse_insz(m.replacement.new_insz).kind)
        for m in MADE
    }
    assert kinds == {
        (InszKind.BIS, InszKind.RN),
        (InszKind.BIS, InszKind.BIS),
        (InszKind.RN, InszKind.RN),
    }


def test_the_same_seed_gives_the_same_replacements_and_another_seed_others() -> None:
    assert list(simulated_replacements(9, 150, POPULATION)) == MADE
    assert list(simulated_replacements(10, 150, POPULATION)) != MADE
