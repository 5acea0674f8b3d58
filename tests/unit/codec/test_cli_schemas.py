from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raas.cli import app
from raas.cli import schemas as cli_schemas
from raas.codec.schemas import Catalogue

runner = CliRunner()


def test_schemas_list_prints_topic_key_record_and_schema_id() -> None:
    result = runner.invoke(app, ["schemas", "list"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith("raas.dlq"))
    assert row.split()[-2:] == ["DeadLetter", "3"]


def test_schemas_show_prints_a_self_contained_schema() -> None:
    result = runner.invoke(app, ["schemas", "show", "Notification"])
    assert result.exit_code == 0
    assert json.loads(result.output)["name"] == "Notification"


def test_schemas_show_of_an_unknown_record_is_a_usage_error() -> None:
    assert runner.invoke(app, ["schemas", "show", "Nope"]).exit_code == 2


def test_schemas_check_passes_on_the_committed_schemas() -> None:
    result = runner.invoke(app, ["schemas", "check"])
    assert result.exit_code == 0, result.output


def test_schemas_check_fails_when_it_finds_no_schema_instead_of_passing_on_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_schemas, "Catalogue", lambda: Catalogue(tmp_path))
    result = runner.invoke(app, ["schemas", "check"])
    assert result.exit_code == 1
    assert "no schema found" in result.output


def test_tail_of_a_topic_outside_the_map_is_a_usage_error() -> None:
    assert runner.invoke(app, ["tail", "no.such.topic"]).exit_code == 2
