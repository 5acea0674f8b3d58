"""The read side wired together: a person published by the CLI, projected by a real `raas sink`,
found by `raas search`, on both back ends."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raas.cli import app
from raas.config import Settings
from sinks.database import make_engine, upgrade
from tests.integration.numbers import new_insz
from tests.integration.projection import SinkProcess, count, fresh_database, stop, wait_for


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        yield url


def birth_date_of(insz: str) -> str:
    """The birth date a 1900s National Register number says."""
    return f"19{insz[0:2]}-{insz[2:4]}-{insz[4:6]}"


def test_a_person_published_by_the_cli_is_projected_by_the_sink_and_found_by_its_spelling_variant(
    settings: Settings, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_settings = replace(settings, app_id=f"raas-read-{uuid.uuid4().hex[:8]}")
    insz = new_insz()
    runner = CliRunner()
    published = runner.invoke(
        app,
        [
            "authentic", "person", "--insz", insz, "--last-name", "Vandenberghe",
            "--first-name", "Pieter Jan", "--sex", "M",
        ],
    )  # fmt: skip
    assert published.exit_code == 0, published.output
    engine = make_engine(database)
    upgrade(engine)
    sink = SinkProcess(app_settings, database, tmp_path).start(batch=100)
    try:
        wait_for(
            "the person projected", lambda: count(engine, "persons", insz=[insz]) == 1, sink.tail
        )
    finally:
        stop(sink)
        engine.dispose()
    monkeypatch.setenv("RAAS_DATABASE_URL", database)
    found = runner.invoke(
        app,
        [
            "search", "--last-name", "Van den Berg", "--first-name", "Piet",
            "--birth-date", birth_date_of(insz), "--json",
        ],
    )  # fmt: skip
    assert found.exit_code == 0, found.output
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    mine = [hit for hit in hits if hit["insz"] == insz]
    assert mine and mine[0]["reasons"]["same_key"], found.stdout
