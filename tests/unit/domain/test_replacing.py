from __future__ import annotations

import pytest

from raas.domain.notifications import InszReplaced
from raas.domain.periods import Period
from raas.domain.register import InszState
from raas.domain.replacement import InszReplacement, ReplacementConflict, ReplacementCycle
from raas.domain.replacing import (
    ReplacementStep,
    StepKind,
    check_step,
    merge_step,
    retire_step,
    start_replacement,
    tenants_to_notify,
)
from raas.domain.results import RegisterLine
from tests.unit.domain.builders import BIS_WOMAN, MAN, NOW, OTHER_TENANT, TENANT, WOMAN, period

A, B, C = BIS_WOMAN, WOMAN, MAN


def state(insz: str, *lines: tuple[str, int, Period]) -> InszState:
    return InszState(insz, tuple(sorted(RegisterLine(t, insz, k, p) for t, k, p in lines)))


def run(states: dict[str, InszState], old: str, new: str) -> list[InszReplaced]:
    """Every step of old -> new, each at its INSZ's state, as the partitions would; the notes."""
    notes: list[InszReplaced] = []
    step: ReplacementStep | None = start_replacement(
        InszReplacement(old, new, f"repl-{old}-{new}", NOW)
    )
    while step is not None:
        here = states.get(step.at, InszState(step.at))
        if step.kind is StepKind.CHECK:
            step = check_step(here, step)
        elif step.kind is StepKind.RETIRE:
            states[step.at], step = retire_step(here, step)
        else:
            states[step.at], found, step = merge_step(here, step, now=NOW)
            notes.extend(found)
    return notes


def test_the_lines_of_every_tenant_move_to_the_new_insz_and_each_tenant_is_told_once() -> None:
    states = {
        A: state(A, (TENANT, 1, period(0, 9)), (OTHER_TENANT, 2, period(50, 60))),
        B: state(B, (TENANT, 1, period(10, 20))),
    }
    notes = run(states, A, B)
    assert states[A] == InszState(A, (), (), B)
    assert states[B].lines == tuple(
        sorted(
            [
                RegisterLine(OTHER_TENANT, B, 2, period(50, 60)),
                RegisterLine(TENANT, B, 1, period(0, 20)),
            ]
        )
    )
    assert sorted((n.tenant, n.old_insz, n.new_insz) for n in notes) == sorted(
        [(TENANT, A, B), (OTHER_TENANT, A, B)]
    )


def test_a_chain_ends_on_its_last_number() -> None:
    states = {A: state(A, (TENANT, 1, period(0, 9))), B: state(B), C: state(C)}
    run(states, B, C)
    notes = run(states, A, B)
    assert states[A].replaced_by == C  # the end of the chain, known when A was retired
    assert states[C].lines == (RegisterLine(TENANT, C, 1, period(0, 9)),)
    assert [(n.old_insz, n.new_insz) for n in notes] == [(A, C)]


def test_a_replacement_arriving_twice_changes_nothing_and_tells_nobody_again() -> None:
    states = {A: state(A, (TENANT, 1, period(0, 9))), B: state(B)}
    run(states, A, B)
    before = dict(states)
    assert run(states, A, B) == []
    assert states == before


def test_a_replacement_arriving_again_after_its_chain_grew_changes_nothing() -> None:
    states = {A: state(A, (TENANT, 1, period(0, 9)))}
    run(states, A, B)
    run(states, B, C)
    before = dict(states)
    assert run(states, A, B) == []
    assert states == before


@pytest.mark.parametrize("chain", [[(A, B), (B, A)], [(A, B), (B, C), (C, A)], [(A, A)]])
def test_a_replacement_closing_a_cycle_is_refused_before_anything_changes(
    chain: list[tuple[str, str]],
) -> None:
    states = {insz: state(insz, (TENANT, 1, period(0, 9))) for insz in (A, B, C)}
    for old, new in chain[:-1]:
        run(states, old, new)
    before = dict(states)
    with pytest.raises(ReplacementCycle):
        run(states, *chain[-1])
    assert states == before


def test_an_insz_replaced_already_by_another_number_is_a_conflict() -> None:
    states = {A: state(A, (TENANT, 1, period(0, 9)))}
    run(states, A, B)
    with pytest.raises(ReplacementConflict):
        run(states, A, C)


def test_ended_lines_still_earn_notifications() -> None:
    lines = state(A, (TENANT, 1, period(0, 9)), (OTHER_TENANT, 1, period(0, 3))).lines
    assert tenants_to_notify(lines) == tuple(sorted([TENANT, OTHER_TENANT]))
