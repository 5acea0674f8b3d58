from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raas.domain.lines import groups_of, periods_of, with_periods
from raas.domain.periods import Period, is_normal, merge_into
from raas.domain.register import ForwardRequired, InszState
from raas.domain.replacement import (
    InszReplacement,
    ReplacementConflict,
    ReplacementCycle,
    check_replacement,
    receive_lines,
    replace_insz,
    resolve,
    retire_insz,
)
from raas.domain.results import RegisterLine
from tests.unit.domain.builders import BIS_WOMAN, MAN, NOW, OTHER_TENANT, TENANT, WOMAN, period
from tests.unit.domain.days import days_of, periods

A, B, C = BIS_WOMAN, WOMAN, MAN


def replacement(old: str, new: str) -> InszReplacement:
    return InszReplacement(old, new, f"repl-{old}-{new}", NOW)


def state(insz: str, *lines: tuple[str, int, Period]) -> InszState:
    return InszState(insz, tuple(sorted(RegisterLine(t, insz, k, p) for t, k, p in lines)))


def test_lines_move_to_the_new_insz_and_merge_with_lines_there() -> None:
    old = state(A, (TENANT, 1, period(0, 9)), (OTHER_TENANT, 2, period(50, 60)))
    new = state(B, (TENANT, 1, period(10, 20)))
    retired, current, notes = replace_insz(old, new, replacement(A, B), now=NOW)
    assert (retired.lines, retired.replaced_by) == ((), B)
    assert current.lines == (
        RegisterLine(TENANT, B, 1, period(0, 20)),
        RegisterLine(OTHER_TENANT, B, 2, period(50, 60)),
    )
    assert [(n.tenant, n.old_insz, n.new_insz) for n in notes] == [
        (TENANT, A, B),
        (OTHER_TENANT, A, B),
    ]
    assert [line.period for line in notes[0].lines] == [period(0, 20)]


def test_replacing_twice_gives_the_same_state_and_the_same_notification_ids() -> None:
    old = state(A, (TENANT, 1, period(0, 9)))
    once_old, once_new, once = replace_insz(old, state(B), replacement(A, B), now=NOW)
    _, lines = retire_insz(old, replacement(A, B))
    twice_old, _ = retire_insz(once_old, replacement(A, B))
    twice_new, twice = receive_lines(once_new, lines, replacement(A, B), now=NOW)
    assert (twice_old, twice_new) == (once_old, once_new)
    assert [n.event_id for n in twice] == [n.event_id for n in once]


def test_chains_resolve_to_the_current_insz() -> None:
    assert resolve({A: B, B: C}, A) == C
    assert resolve({A: B, B: C}, C) == C


def test_a_cycle_is_bad_input() -> None:
    with pytest.raises(ReplacementCycle):
        resolve({A: B, B: A}, A)
    with pytest.raises(ReplacementCycle):
        check_replacement({A: B, B: C}, replacement(C, A))
    with pytest.raises(ReplacementCycle):
        check_replacement({}, replacement(A, A))
    check_replacement({A: B}, replacement(B, C))


def test_a_replaced_insz_cannot_be_replaced_by_another_number() -> None:
    with pytest.raises(ReplacementConflict):
        check_replacement({A: B}, replacement(A, C))
    with pytest.raises(ReplacementConflict):
        retire_insz(InszState(A, replaced_by=B), replacement(A, C))


def test_lines_reaching_an_insz_that_was_itself_replaced_must_be_forwarded() -> None:
    with pytest.raises(ForwardRequired) as forward:
        receive_lines(InszState(B, replaced_by=C), (), replacement(A, B), now=NOW)
    assert forward.value.target == C
    with pytest.raises(ReplacementCycle):
        receive_lines(InszState(B, replaced_by=A), (), replacement(A, B), now=NOW)


keys = st.tuples(st.sampled_from([TENANT, OTHER_TENANT]), st.sampled_from([1, 2]))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(keys, periods()), max_size=8),
    st.lists(st.tuples(keys, periods()), max_size=8),
)
def test_replacement_preserves_the_union_of_days(
    on_old: list[tuple[tuple[str, int], Period]], on_new: list[tuple[tuple[str, int], Period]]
) -> None:
    def build(insz: str, items: list[tuple[tuple[str, int], Period]]) -> InszState:
        lines: tuple[RegisterLine, ...] = ()
        for (tenant, kind), p in items:
            lines = with_periods(
                lines, tenant, insz, kind, merge_into(periods_of(lines, tenant, kind), p)
            )
        return InszState(insz, lines)

    old, new = build(A, on_old), build(B, on_new)
    _, current, _ = replace_insz(old, new, replacement(A, B), now=NOW)
    assert all(line.insz == B for line in current.lines)
    for tenant, kind in {*groups_of(old.lines), *groups_of(new.lines)}:
        merged = periods_of(current.lines, tenant, kind)
        assert is_normal(merged)
        expected = days_of(periods_of(old.lines, tenant, kind)) | days_of(
            periods_of(new.lines, tenant, kind)
        )
        assert days_of(merged) == expected
