from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from raas.domain import codes
from raas.domain.answers import ANSWERS_KEPT_FOR, MAX_ANSWERS_PER_TENANT
from raas.domain.birthdates import BirthDate
from raas.domain.commands import Command
from raas.domain.persons import IdentityClaim, PersonIdentity, Sex
from raas.domain.register import ForwardRequired, InszState, forward_target, handle
from raas.domain.results import CommandResult, RegisterLine, Status
from raas.domain.tenants import TenantConfig
from tests.unit.domain.builders import (
    MAN,
    NOW,
    OTHER_TENANT,
    TENANT,
    config,
    consult,
    delete,
    period,
    person,
    register,
)

_DEFAULT = object()


def run(
    state: InszState,
    command: Command,
    *,
    tenant: str = TENANT,
    cfg: object = _DEFAULT,
    who: object = _DEFAULT,
    now: datetime = NOW,
) -> tuple[InszState, CommandResult]:
    the_config = config(tenant) if cfg is _DEFAULT else cfg
    the_person = person(state.insz) if who is _DEFAULT else who
    assert the_config is None or isinstance(the_config, TenantConfig)
    assert the_person is None or isinstance(the_person, PersonIdentity)
    return handle(state, command, tenant=tenant, config=the_config, person=the_person, now=now)


def codes_of(result: CommandResult) -> list[int]:
    return [d.code for d in result.details]


def test_registering_a_line_stores_it_and_answers_ok() -> None:
    state, result = run(InszState(MAN), register("r1", period(0, 10)))
    assert state.lines == (RegisterLine(TENANT, MAN, 1, period(0, 10)),)
    assert (result.status, codes_of(result), result.lines) == (
        Status.OK,
        [codes.LINE_REGISTERED.code],
        state.lines,
    )
    assert result.reference == "ref-r1" and result.insz == MAN


def test_a_touching_line_is_merged_and_said_so() -> None:
    state, _ = run(InszState(MAN), register("r1", period(0, 10)))
    state, result = run(state, register("r2", period(11, None)))
    assert [line.period for line in state.lines] == [period(0, None)]
    assert codes_of(result) == [codes.LINES_MERGED.code]


def test_registering_what_is_covered_succeeds_and_changes_nothing() -> None:
    state, _ = run(InszState(MAN), register("r1", period(0, 10)))
    again, result = run(state, register("r2", period(2, 5)))
    assert again.lines == state.lines
    assert (result.status, codes_of(result)) == (Status.OK, [codes.ALREADY_REGISTERED.code])


@pytest.mark.parametrize(
    ("command", "who", "cfg", "code"),
    [
        (register("r", period(0, 1), insz="85073003327"), _DEFAULT, _DEFAULT, codes.INSZ_INVALID),
        (register("r", period(0, 1)), None, _DEFAULT, codes.INSZ_UNKNOWN),
        (register("r", period(0, 1)), _DEFAULT, None, codes.TENANT_UNKNOWN),
        (
            register("r", period(0, 1), type_dossier=9),
            _DEFAULT,
            _DEFAULT,
            codes.TYPE_DOSSIER_UNKNOWN,
        ),
        (register("r", period(5, 1)), _DEFAULT, _DEFAULT, codes.PERIOD_INVALID),
        (
            register("r", period(0, 1), identity=IdentityClaim(sex=Sex.F)),
            _DEFAULT,
            _DEFAULT,
            codes.SEX_MISMATCH,
        ),
    ],
)
def test_each_refusal_has_its_own_error_code_and_changes_nothing(
    command: Command, who: object, cfg: object, code: codes.ResultCode
) -> None:
    state, result = run(InszState(MAN), command, who=who, cfg=cfg)
    assert state.lines == ()
    assert (result.status, codes_of(result), result.lines) == (Status.ERROR, [code.code], ())


def test_the_checks_run_in_domain_md_order_and_stop_at_the_first_refusal() -> None:
    bad_everything = register(
        "r", period(5, 1), type_dossier=9, identity=IdentityClaim(last_name="Other")
    )
    _, unknown = run(InszState(MAN), bad_everything, who=None)
    assert codes_of(unknown) == [codes.INSZ_UNKNOWN.code]
    _, undefined = run(InszState(MAN), bad_everything)
    assert codes_of(undefined) == [codes.TYPE_DOSSIER_UNKNOWN.code]
    _, reversed_period = run(InszState(MAN), replace(bad_everything, type_dossier=1))
    assert codes_of(reversed_period) == [codes.PERIOD_INVALID.code]


def test_an_identity_mismatch_names_each_differing_field() -> None:
    claim = IdentityClaim("Peeters", "jean pierre", BirthDate(1985, 7, 31), Sex.M)
    _, result = run(InszState(MAN), register("r", period(0, 1), identity=claim))
    assert [d.field for d in result.details] == ["identity.last_name", "identity.birth_date"]
    assert result.status is Status.ERROR


def test_a_matching_identity_with_other_spelling_is_accepted() -> None:
    claim = IdentityClaim("VANDENBROECK", "marie", BirthDate(1985, 7, 30), Sex.M)
    _, result = run(InszState(MAN), register("r", period(0, 1), identity=claim))
    assert result.status is Status.OK


def test_deleting_without_a_period_removes_every_line_of_the_pair_only() -> None:
    state, _ = run(InszState(MAN), register("r1", period(0, 3)))
    state, _ = run(state, register("r2", period(10, 13)))
    state, _ = run(state, register("r3", period(0, 3), type_dossier=2))
    state, result = run(state, delete("d1"))
    assert [(line.type_dossier, line.period) for line in state.lines] == [(2, period(0, 3))]
    assert codes_of(result) == [codes.LINES_DELETED.code] and result.lines == ()


def test_deleting_a_period_inside_a_line_splits_it() -> None:
    state, _ = run(InszState(MAN), register("r1", period(0, 20)))
    state, result = run(state, delete("d1", period(5, 9)))
    assert [line.period for line in result.lines] == [period(0, 4), period(10, 20)]


def test_deleting_what_is_not_there_warns_nothing_to_delete() -> None:
    state, _ = run(InszState(MAN), register("r1", period(0, 3)))
    again, result = run(state, delete("d1", period(10, 20)))
    assert again.lines == state.lines
    assert (result.status, codes_of(result)) == (Status.WARNING, [codes.NOTHING_TO_DELETE.code])


def test_lines_of_a_type_the_tenant_no_longer_defines_can_still_be_deleted() -> None:
    state, _ = run(InszState(MAN), register("r1", period(0, 3), type_dossier=2))
    _, result = run(state, delete("d1", type_dossier=2), cfg=config(codes=(1,)))
    assert result.status is Status.OK


def test_consult_shows_only_own_lines_filtered_by_type_and_period() -> None:
    state, _ = run(InszState(MAN), register("r1", period(0, 3)))
    state, _ = run(state, register("r2", period(10, 13), type_dossier=2))
    state, _ = run(state, register("o1", period(0, 100)), tenant=OTHER_TENANT)
    _, everything = run(state, consult("c1"))
    assert {line.tenant for line in everything.lines} == {TENANT}
    assert len(everything.lines) == 2 and codes_of(everything) == [codes.LINES_FOUND.code]
    _, typed = run(state, consult("c2", type_dossier=2))
    assert [line.period for line in typed.lines] == [period(10, 13)]
    _, in_period = run(state, consult("c3", span=period(4, 9)))
    assert (in_period.lines, codes_of(in_period)) == ((), [codes.NO_LINES_FOUND.code])


def test_a_repeated_request_id_returns_the_stored_result_and_changes_nothing() -> None:
    state, first = run(InszState(MAN), register("r1", period(0, 3)))
    state, _ = run(state, delete("d1"))
    again, repeated = run(state, register("r1", period(0, 3)), now=NOW + timedelta(hours=1))
    assert repeated == first
    assert again is state and again.lines == ()  # the agent skips the write on `is`


def test_request_ids_are_remembered_per_tenant() -> None:
    state, _ = run(InszState(MAN), register("r1", period(0, 3)))
    state, other = run(state, register("r1", period(5, 6)), tenant=OTHER_TENANT)
    assert other.tenant == OTHER_TENANT and other.lines[0].period == period(5, 6)


def test_results_are_deterministic_in_ticket_and_event_id() -> None:
    _, a = run(InszState(MAN), register("r1", period(0, 3)))
    _, b = run(InszState(MAN), register("r1", period(0, 3)))
    assert (a.ticket, a.event_id) == (b.ticket, b.event_id) and a.ticket != a.event_id


def test_remembered_ids_are_bounded_in_number_per_tenant() -> None:
    state = InszState(MAN)
    for n in range(MAX_ANSWERS_PER_TENANT + 5):
        state, _ = run(state, delete(f"c{n}"), now=NOW + timedelta(seconds=n))
    state, _ = run(state, delete("x"), tenant=OTHER_TENANT, now=NOW + timedelta(seconds=999))
    mine = [a.request_id for a in state.answers if a.tenant == TENANT]
    assert len(mine) == MAX_ANSWERS_PER_TENANT and "c0" not in mine and "c104" in mine
    assert [a.request_id for a in state.answers if a.tenant == OTHER_TENANT] == ["x"]


def test_remembered_ids_are_dropped_after_the_retention_time() -> None:
    state, _ = run(InszState(MAN), register("r1", period(0, 3)))
    later = NOW + ANSWERS_KEPT_FOR + timedelta(seconds=1)
    state, _ = run(state, delete("c1", period(50, 60)), now=later)
    assert [a.request_id for a in state.answers] == ["c1"]
    _, repeated = run(state, register("r1", period(0, 3)), now=later)
    assert codes_of(repeated) == [codes.ALREADY_REGISTERED.code]


def test_a_replaced_insz_tells_the_stream_where_to_forward() -> None:
    old = InszState(MAN, replaced_by="75060898009")
    assert forward_target(old) == "75060898009"
    assert forward_target(old, register("r1", period(0, 1)), tenant=TENANT) == "75060898009"
    with pytest.raises(ForwardRequired) as forward:
        run(old, register("r1", period(0, 1)))
    assert forward.value.target == "75060898009"


def test_a_request_answered_before_the_replacement_is_not_forwarded() -> None:
    state, first = run(InszState(MAN), register("r1", period(0, 1)))
    replaced = replace(state, lines=(), replaced_by="75060898009")
    assert forward_target(replaced, register("r1", period(0, 1)), tenant=TENANT) is None
    assert run(replaced, register("r1", period(0, 1)))[1] == first


def test_the_register_acts_on_the_current_insz_and_says_so() -> None:
    current = "75060898009"
    state, result = run(InszState(current), register("r1", period(0, 1), insz="85.07.30-033.28"))
    assert result.insz == current and state.lines[0].insz == current
    assert codes_of(result) == [codes.INSZ_REPLACED.code, codes.LINE_REGISTERED.code]
    assert result.status is Status.OK


def test_a_forwarded_command_is_matched_against_the_current_person() -> None:
    current = "75060898009"
    woman = person(current, sex=Sex.F)
    claim = IdentityClaim(sex=Sex.M)
    _, result = run(InszState(current), register("r", period(0, 1), identity=claim), who=woman)
    assert codes_of(result) == [codes.INSZ_REPLACED.code, codes.SEX_MISMATCH.code]
