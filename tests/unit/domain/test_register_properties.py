"""After any sequence of register and delete commands, each (tenant, INSZ, TypeDossier) holds
sorted, disjoint, non-touching lines covering exactly the days a brute-force model says; a
request id used again for another command is refused and changes nothing."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from raas.domain.codes import REQUEST_ID_REUSED
from raas.domain.commands import Delete, Register
from raas.domain.lines import groups_of, periods_of
from raas.domain.periods import is_normal
from raas.domain.register import InszState, handle
from raas.domain.results import Status
from tests.unit.domain.builders import MAN, NOW, OTHER_TENANT, TENANT, config, person
from tests.unit.domain.days import days_of, periods

TENANTS = (TENANT, OTHER_TENANT)
Model = dict[tuple[str, int], set[date]]


@st.composite
def commands(draw: st.DrawFn) -> tuple[str, Register | Delete]:
    tenant = draw(st.sampled_from(TENANTS))
    type_dossier = draw(st.sampled_from([1, 2]))
    request_id = draw(st.sampled_from([f"q{n}" for n in range(8)]))
    if draw(st.booleans()):
        return tenant, Register(request_id, None, MAN, type_dossier, draw(periods()))
    span = draw(st.none() | periods())
    return tenant, Delete(request_id, None, MAN, type_dossier, span)


def apply(model: Model, tenant: str, command: Register | Delete) -> None:
    key = (tenant, command.type_dossier)
    days = model.setdefault(key, set())
    if isinstance(command, Register):
        days |= days_of([command.period])
    elif command.period is None:
        days.clear()
    else:
        days -= days_of([command.period])


@settings(max_examples=120, deadline=None)
@given(st.lists(commands(), max_size=15))
def test_lines_stay_normal_and_cover_exactly_the_modelled_days(
    sequence: list[tuple[str, Register | Delete]],
) -> None:
    state = InszState(MAN)
    model: Model = {}
    answered: dict[tuple[str, str], Register | Delete] = {}
    for tenant, command in sequence:
        state, result = handle(
            state, command, tenant=tenant, config=config(tenant), person=person(), now=NOW
        )
        first = answered.setdefault((tenant, command.request_id), command)
        if first is command:
            apply(model, tenant, command)
        reused = first != command
        assert [d.code for d in result.details if reused] == [REQUEST_ID_REUSED.code] * reused
        assert (result.status is Status.ERROR) is reused
    assert list(state.lines) == sorted(state.lines)
    for tenant, type_dossier in {*groups_of(state.lines), *model}:
        lines = periods_of(state.lines, tenant, type_dossier)
        assert is_normal(lines)
        assert days_of(lines) == model.get((tenant, type_dossier), set())
