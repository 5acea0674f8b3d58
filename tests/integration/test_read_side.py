"""The read side wired together: a person published by the CLI, projected by a real `raas sink`,
found by `raas search`, on both back ends."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raas.cli import app
from raas.config import Settings
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant
from sinks import tables
from sinks.daily import verify_directory, write_daily_files
from sinks.daily.job import projection_sources, run_daily_job, write_due_days
from sinks.database import make_engine, upgrade
from tests.integration.numbers import new_insz, new_kbo
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


AFTER_MIDNIGHT = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)  # 29 November in Brussels


def test_the_daily_job_writes_each_tenants_missing_days_once_and_the_files_verify(
    database: str, tmp_path: Path
) -> None:
    engine = make_engine(database)
    upgrade(engine)
    late, new = new_kbo(), new_kbo()
    out = tmp_path / "daily"
    try:
        with engine.begin() as connection:
            connection.execute(
                tables.notifications.insert(),
                {
                    "event_id": "n-1", "tenant": late, "insz": new_insz(),
                    "kind": "IdentityChanged", "payload": {"field": "address"},
                    "time": datetime(2026, 11, 27, 9), "day": "2026-11-27",
                },
            )  # fmt: skip
        sources = projection_sources()
        write_daily_files(engine, tables.daily_files, sources, late, date(2026, 11, 26), out / late)
        stop = threading.Event()
        job = threading.Thread(
            target=run_daily_job,
            args=(engine, lambda: [late, new], out, stop, lambda: AFTER_MIDNIGHT, 0.1),
        )
        job.start()
        try:
            wait_for("the due files", lambda: count(engine, "daily_files") == 2 + 4 + 2, str)
        finally:
            stop.set()
            job.join()
        again = write_due_days(
            engine, tables.daily_files, sources, [late, new], out, AFTER_MIDNIGHT
        )
    finally:
        engine.dispose()
    assert again == []
    assert verify_directory(out / late) == [] and verify_directory(out / new) == []
    assert sorted(f.name[11:] for f in (out / late).glob("*notifications*.xml")) == [
        "notifications-000001-2026-11-26.voucher.xml",
        "notifications-000001-2026-11-26.xml",
        "notifications-000002-2026-11-27.voucher.xml",
        "notifications-000002-2026-11-27.xml",
        "notifications-000003-2026-11-28.voucher.xml",
        "notifications-000003-2026-11-28.xml",
    ]
    assert "n-1" in (out / late / f"{late}-notifications-000002-2026-11-27.xml").read_text()
    assert sorted(f.name[11:] for f in (out / new).iterdir()) == [
        "dimona-000001-2026-11-28.voucher.xml",
        "dimona-000001-2026-11-28.xml",
        "notifications-000001-2026-11-28.voucher.xml",
        "notifications-000001-2026-11-28.xml",
    ]


def test_daily_write_all_writes_every_tenant_of_the_admin_topic_into_its_own_folder(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kbo = new_kbo()
    add_tenant(settings, kbo, "daily", [DossierType(1, "examination")])
    url = f"sqlite:///{tmp_path / 'raas.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    monkeypatch.setenv("RAAS_DATABASE_URL", url)
    runner = CliRunner()
    out = tmp_path / "out"
    written = runner.invoke(
        app, ["daily", "write", "--all", "--date", "2026-11-27", "--out", str(out)]
    )
    assert written.exit_code == 0, written.output
    assert len(list((out / kbo).glob("*.xml"))) == 4
    assert runner.invoke(app, ["daily", "verify", str(out / kbo)]).exit_code == 0
    both = runner.invoke(
        app, ["daily", "write", "--all", "--tenant", kbo, "--date", "2026-11-27", "--out", str(out)]
    )
    neither = runner.invoke(app, ["daily", "write", "--date", "2026-11-27", "--out", str(out)])
    assert (both.exit_code, neither.exit_code) == (2, 2)
