"""`raas search` and `raas daily write|verify` against a SQLite projection, as a user runs them."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raas.cli import app
from raas.simulator.persons import simulated_persons
from raas.simulator.variants import spelling_variants
from tests.integration.sinks.tables import sqlite_projection

runner = CliRunner()


@pytest.fixture
def projection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    people = itertools.islice(simulated_persons(5), 100)
    monkeypatch.setenv("RAAS_DATABASE_URL", sqlite_projection(tmp_path / "raas.db", people))
    return tmp_path


def test_search_prints_the_person_first_with_why_it_matched(projection: Path) -> None:
    person = next(simulated_persons(5))
    variant = next(spelling_variants([person], seed=5))
    args = ["search", "--last-name", variant.last_name, "--birth-date", str(person.birth_date)]
    if not person.birth_date.is_complete:
        args += ["--tolerance", "0"]
    result = runner.invoke(app, [*args, "--first-name", variant.first_name, "--json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.output.splitlines()[0])
    assert first["insz"] == person.insz
    assert "key " in first["why"]


def test_search_refuses_an_incomplete_date_without_tolerance_and_a_max_over_100(
    projection: Path,
) -> None:
    incomplete = runner.invoke(app, ["search", "--last-name", "Maes", "--birth-date", "1980-05-00"])
    too_many = runner.invoke(
        app, ["search", "--last-name", "Maes", "--birth-date", "1980-05-01", "--max", "101"]
    )
    assert incomplete.exit_code == 2
    assert "tolerance" in incomplete.output
    assert too_many.exit_code == 2


def test_daily_write_then_verify_succeeds_and_a_tampered_file_fails(projection: Path) -> None:
    out = projection / "out"
    args = ["daily", "write", "--tenant", "0403019261", "--date", "2026-11-27", "--out", str(out)]
    written = runner.invoke(app, args)
    assert written.exit_code == 0, written.output
    assert runner.invoke(app, ["daily", "verify", str(out)]).exit_code == 0
    data = next(out.glob("*-notifications-*[0-9].xml"))
    data.write_bytes(data.read_bytes().replace(b"notifications", b"dimona"))
    failed = runner.invoke(app, ["daily", "verify", str(out)])
    assert failed.exit_code == 1
    assert data.name in failed.output


def test_search_without_a_projection_says_the_database_is_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAAS_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    result = runner.invoke(app, ["search", "--last-name", "Maes", "--birth-date", "1980-05-01"])
    assert result.exit_code == 4
    assert "persons" in result.output
