from __future__ import annotations

from raas.domain import codes
from raas.domain.birthdates import BirthDate
from raas.domain.commands import CreateBis
from raas.domain.limits import (
    ECHO_CHARS,
    ELLIPSIS,
    FIELD_LIMITS,
    MAX_COMMAND_BYTES,
    check_limits,
    clipped,
    refuse_over_limits,
)
from raas.domain.persons import IdentityClaim
from raas.domain.register import InszState, handle, refuse_unserved
from raas.domain.results import Status
from raas.domain.sex import Sex
from tests.unit.domain.builders import MAN, NOW, TENANT, config, period, person, register


def codes_and_fields(command: object, size: int | None = None) -> list[tuple[int, str | None]]:
    return [(d.code, d.field) for d in check_limits(command, size)]


def test_a_command_within_every_limit_breaks_none() -> None:
    claim = IdentityClaim("x" * FIELD_LIMITS["last_name"], "y" * FIELD_LIMITS["first_name"])
    command = register("r" * FIELD_LIMITS["request_id"], period(0, 9), identity=claim)
    assert check_limits(command, MAX_COMMAND_BYTES) == ()


def test_each_field_one_character_over_its_limit_is_named() -> None:
    claim = IdentityClaim(last_name="x" * (FIELD_LIMITS["last_name"] + 1))
    command = register("r" * (FIELD_LIMITS["request_id"] + 1), period(0, 9), identity=claim)
    assert codes_and_fields(command) == [
        (codes.FIELD_TOO_LONG.code, "request_id"),
        (codes.FIELD_TOO_LONG.code, "identity.last_name"),
    ]


def test_a_command_over_the_byte_limit_is_too_large() -> None:
    command = register("r1", period(0, 9))
    assert codes_and_fields(command, MAX_COMMAND_BYTES + 1) == [
        (codes.COMMAND_TOO_LARGE.code, None)
    ]


def test_a_type_dossier_outside_the_avro_int_is_out_of_range() -> None:
    for value in (2**31, -1, 2**63):
        command = register("r1", period(0, 9), type_dossier=value)
        assert codes_and_fields(command) == [(codes.VALUE_OUT_OF_RANGE.code, "type_dossier")]
    assert check_limits(register("r1", period(0, 9), type_dossier=2**31 - 1)) == ()


def test_the_clipped_echo_cuts_long_text_and_clamps_numbers() -> None:
    claim = IdentityClaim(last_name="x" * 900_000, first_name="Jan")
    command = register("r1", period(0, 9), identity=claim, type_dossier=2**40)
    echo = clipped(command)
    assert echo.identity is not None
    assert echo.identity.last_name == "x" * ECHO_CHARS + ELLIPSIS
    assert echo.identity.first_name == "Jan" and echo.request_id == "r1"
    assert echo.type_dossier == 2**31 - 1 and echo.period == command.period


def test_a_command_within_its_limits_is_its_own_clipped_copy() -> None:
    command = register("r1", period(0, 9))
    assert clipped(command) is command


def test_a_refusal_is_an_error_echoing_the_clipped_command() -> None:
    command = register("q" * 10_000, period(0, 9))
    result = refuse_over_limits(command, tenant=TENANT, now=NOW)
    assert result is not None
    assert result.status is Status.ERROR and result.lines == () and result.insz is None
    assert result.request_id == "q" * ECHO_CHARS + ELLIPSIS
    assert result.command == clipped(command)
    assert refuse_over_limits(register("r1", period(0, 9)), tenant=TENANT, now=NOW) is None


def test_the_register_refuses_an_over_long_command_and_stores_nothing() -> None:
    state = InszState(MAN)
    claim = IdentityClaim(last_name="x" * 900_000)
    new, result = handle(
        state,
        register("r1", period(0, 9), identity=claim),
        tenant=TENANT,
        config=config(),
        person=person(),
        now=NOW,
    )
    assert new is state
    assert [d.code for d in result.details] == [codes.FIELD_TOO_LONG.code]


def test_an_unserved_command_over_a_limit_is_refused_for_its_size_and_clipped() -> None:
    command = CreateBis("r1", None, "x" * 5000, "Jan", BirthDate(1990, 1, 1), Sex.M, "Gent")
    result = refuse_unserved(command, tenant=TENANT, now=NOW)
    assert [d.code for d in result.details] == [codes.FIELD_TOO_LONG.code]
    assert isinstance(result.command, CreateBis)
    assert len(result.command.last_name) == ECHO_CHARS + 1
