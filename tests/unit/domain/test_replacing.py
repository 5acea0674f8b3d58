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
    served_lines,
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
    assert states[A].replaced_by == B
    assert served_lines(states[A]) == ()
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


def test_a_replacement_arriving_twice_changes_nothing_and_tells_again_with_the_same_events() -> (
    None
):
    states = {A: state(A, (TENANT, 1, period(0, 9))), B: state(B)}
    first = run(states, A, B)
    before = dict(states)
    assert run(states, A, B) == first  # the same event ids: a consumer drops the copies
    assert states == before


def test_a_retire_arriving_again_sends_the_same_merge_as_the_first_time() -> None:
    old = state(A, (TENANT, 1, period(0, 9)), (OTHER_TENANT, 2, period(50, 60)))
    retire = check_step(state(B), start_replacement(InszReplacement(A, B, "repl", NOW)))
    retired, merge = retire_step(old, retire)
    again, merge_again = retire_step(retired, retire)
    assert (again, merge_again) == (retired, merge)
    assert merge.kind is StepKind.MERGE and merge.at == B and merge.lines == old.lines


def test_a_merge_applied_twice_equals_the_merge_applied_once() -> None:
    old = state(A, (TENANT, 1, period(0, 9)), (OTHER_TENANT, 2, period(50, 60)))
    retire = check_step(state(B), start_replacement(InszReplacement(A, B, "repl", NOW)))
    _, merge = retire_step(old, retire)
    once, notes, _ = merge_step(state(B, (TENANT, 1, period(10, 20))), merge, now=NOW)
    twice, notes_again, onwards = merge_step(once, merge, now=NOW)
    assert (twice, notes_again, onwards) == (once, notes, None)


def test_a_replaced_insz_shows_no_line_and_earns_no_notification() -> None:
    states = {A: state(A, (TENANT, 1, period(0, 9)))}
    run(states, A, B)
    assert states[A].lines  # kept, so a repeated RETIRE can send them again
    assert served_lines(states[A]) == ()
    assert tenants_to_notify(served_lines(states[A])) == ()


def test_a_replacement_arriving_again_after_its_chain_grew_changes_nothing() -> None:
    states = {A: state(A, (TENANT, 1, period(0, 9)))}
    run(states, A, B)
    run(states, B, C)
    before = dict(states)
    notes = run(states, A, B)
    assert states == before
    assert [(n.old_insz, n.new_insz) for n in notes] == [(A, C)]  # told where the lines are


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
