from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from raas.cli.check import app

runner = CliRunner()


def test_a_valid_insz_prints_kind_birth_date_sex_and_century() -> None:
    result = runner.invoke(app, ["insz", "85.07.30-033.28"])
    assert result.exit_code == 0
    for expected in ("85073003328", "RN", "1985-07-30", "M", "1900s"):
        assert expected in result.output


def test_a_valid_insz_in_json_gives_every_fact() -> None:
    result = runner.invoke(app, ["insz", "75260898052", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "value": "75260898052",
        "valid": True,
        "insz": "75260898052",
        "kind": "BIS",
        "birth_date": "1975-06-08",
        "birth_date_complete": True,
        "sex": None,
        "century": 19,
    }


@pytest.mark.parametrize(
    ("value", "reason"), [("85073003327", "check digits"), ("85133000105", "month 13")]
)
def test_an_invalid_insz_prints_the_reason_and_exits_1(value: str, reason: str) -> None:
    result = runner.invoke(app, ["insz", value])
    assert result.exit_code == 1
    assert reason in result.output


def test_an_invalid_insz_in_json_says_why() -> None:
    result = runner.invoke(app, ["insz", "123", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["reason"] == "has 3 digits instead of 11"


def test_a_valid_kbo_prints_its_ten_digits() -> None:
    result = runner.invoke(app, ["kbo", "0403.019.261"])
    assert (result.exit_code, "0403019261" in result.output) == (0, True)
    as_json = runner.invoke(app, ["kbo", "1000000021", "--json"])
    assert json.loads(as_json.output)["kbo"] == "1000000021"


def test_a_business_unit_number_is_refused_with_exit_1() -> None:
    result = runner.invoke(app, ["kbo", "2000000042"])
    assert result.exit_code == 1
    assert "business-unit" in result.output


def test_check_is_a_group_of_the_raas_command() -> None:
    from raas.cli import app as raas

    result = runner.invoke(raas, ["check", "insz", "17073003384", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["century"] == 20
