"""Remembered answers: a digest per command, the reuse rule, a small constant each, reads free."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from raas import codec
from raas.domain import codes
from raas.domain.answers import MAX_ANSWERS_PER_INSZ, MAX_ANSWERS_PER_TENANT
from raas.domain.digests import digest_of
from raas.domain.persons import IdentityClaim
from raas.domain.register import InszState, handle
from raas.domain.results import CommandResult, Status
from raas.domain.tenants import TenantConfig
from tests.unit.domain.builders import (
    MAN,
    NOW,
    TENANT,
    WOMAN,
    config,
    consult,
    delete,
    period,
    person,
    register,
)

CONFIG = config(codes=tuple(range(1, 60)))


def run(
    state: InszState, command: object, *, minutes: int = 0, cfg: TenantConfig = CONFIG
) -> tuple[InszState, CommandResult]:
    return handle(
        state,
        command,  # type: ignore[arg-type]
        tenant=TENANT,
        config=cfg,
        person=person(state.insz),
        now=NOW + timedelta(minutes=minutes),
    )


def test_the_digest_is_pinned_so_it_never_depends_on_the_process() -> None:
    assert digest_of(register("r1", period(0, 9))).hex() == "ae6ee9f00e56c80183afce839a394184"


def test_the_digest_ignores_the_request_id_and_sees_every_other_field() -> None:
    base = register("r1", period(0, 9), identity=IdentityClaim(last_name="Peeters"))
    assert digest_of(replace(base, request_id="other")) == digest_of(base)
    variants = [
        replace(base, reference="another"),
        replace(base, reference=None),
        replace(base, insz=WOMAN),
        replace(base, type_dossier=2),
        replace(base, period=period(0, 10)),
        replace(base, period=period(0, None)),
        replace(base, identity=IdentityClaim(last_name="Peters")),
        replace(base, identity=None),
        delete("r1", period(0, 9)),
    ]
    digests = {digest_of(v) for v in variants}
    assert len(digests) == len(variants) and digest_of(base) not in digests


def test_a_request_id_reused_for_another_command_is_refused_and_changes_nothing() -> None:
    state, _ = run(InszState(MAN), register("r1", period(0, 9)))
    again, reused = run(state, register("r1", period(20, 29)), minutes=1)
    assert again is state
    assert reused.status is Status.ERROR
    assert [(d.code, d.field) for d in reused.details] == [
        (codes.REQUEST_ID_REUSED.code, "request_id")
    ]
    assert reused.command == register("r1", period(20, 29)) and reused.lines == ()
    _, first = run(state, register("r1", period(0, 9)), minutes=2)
    assert reused.event_id != first.event_id


def test_the_same_request_again_gets_the_first_answer_even_after_the_lines_changed() -> None:
    state, first = run(InszState(MAN), register("r1", period(0, 9)))
    state, _ = run(state, register("r2", period(10, 30)), minutes=1)  # merges into 0..30
    state, _ = run(state, delete("d1", period(5, 5)), minutes=2)
    again, repeated = run(state, register("r1", period(0, 9)), minutes=3)
    assert again is state
    assert repeated == first
    assert [line.period for line in repeated.lines] == [period(0, 9)]


def test_a_delete_answered_again_shows_the_same_remnants() -> None:
    state, _ = run(InszState(MAN), register("r1", period(0, 20)))
    state, first = run(state, delete("d1", period(5, 9)), minutes=1)
    state, _ = run(state, delete("d2"), minutes=2)
    _, repeated = run(state, delete("d1", period(5, 9)), minutes=3)
    assert repeated == first
    assert [line.period for line in repeated.lines] == [period(0, 4), period(10, 20)]


def test_an_error_answered_again_keeps_its_codes_and_messages() -> None:
    state, first = run(InszState(MAN), register("e1", period(0, 1), type_dossier=99))
    assert first.status is Status.ERROR
    _, repeated = run(state, register("e1", period(0, 1), type_dossier=99), minutes=5)
    assert repeated == first


def test_ids_are_remembered_per_insz_so_another_insz_runs_the_command_anew() -> None:
    _, first = run(InszState(MAN), register("r1", period(0, 9)))
    _, elsewhere = run(InszState(WOMAN), register("r1", period(0, 9), insz=WOMAN))
    assert elsewhere.status is Status.OK and elsewhere.insz == WOMAN != first.insz


def test_fifty_lines_and_a_hundred_answers_stay_within_120_bytes_an_answer() -> None:
    state = InszState(MAN)
    for n in range(50):  # 50 lines of one TypeDossier, each shown by its answer
        uuid = f"{n:08d}-0000-4000-8000-000000000000"
        state, _ = run(state, register(uuid, period(3 * n, 3 * n + 1)), minutes=n)
    for n in range(50):  # 50 more answers: the same periods again, already registered
        uuid = f"{n:08d}-0000-4000-8000-111111111111"
        state, _ = run(state, register(uuid, period(3 * n, 3 * n + 1)), minutes=50 + n)
    assert len(state.lines) == 50 and len(state.answers) == 100
    lines_only = replace(state, answers=())
    assert len(codec.encode(state)) <= len(codec.encode(lines_only)) + 100 * 120


def test_a_consult_writes_nothing_and_a_repeated_consult_sees_the_lines_as_they_are() -> None:
    state, _ = run(InszState(MAN), register("r1", period(0, 9)))
    before = codec.encode(state)
    after, first = run(state, consult("c1"), minutes=1)
    assert after is state and codec.encode(after) == before
    assert [line.period for line in first.lines] == [period(0, 9)]
    state, _ = run(state, register("r2", period(20, 29)), minutes=2)
    _, again = run(state, consult("c1"), minutes=3)
    assert [line.period for line in again.lines] == [period(0, 9), period(20, 29)]
    assert codes.LINES_FOUND.code in [d.code for d in again.details]


def test_the_answers_of_all_tenants_together_are_bounded_per_insz() -> None:
    state = InszState(MAN)
    for n in range(MAX_ANSWERS_PER_INSZ // MAX_ANSWERS_PER_TENANT + 2):
        for m in range(MAX_ANSWERS_PER_TENANT):
            minutes = n * MAX_ANSWERS_PER_TENANT + m
            state, _ = handle(
                state,
                delete(f"d{m}"),
                tenant=f"{n:010d}",
                config=config(f"{n:010d}"),
                person=person(),
                now=NOW + timedelta(seconds=minutes),
            )
    assert len(state.answers) == MAX_ANSWERS_PER_INSZ
    assert state.answers[-1].tenant == f"{MAX_ANSWERS_PER_INSZ // MAX_ANSWERS_PER_TENANT + 1:010d}"
