"""`raas bis create|update` as a tenant runs them: the duplicate search first, then the register.

The persons projection is a SQLite file with one known person; the register is a real worker.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from raas.config import Settings
from raas.domain import codes
from raas.domain.insz import InszKind, parse_insz
from raas.domain.persons import PersonIdentity
from raas.domain.sex import Sex
from raas.simulator.persons import simulated_persons
from tests.integration.cli import raas
from tests.integration.sinks.tables import sqlite_projection
from tests.integration.test_bis import tenant

pytestmark = pytest.mark.usefixtures("worker")


@pytest.fixture
def known(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PersonIdentity:
    """A person in the persons projection that `raas bis create` searches."""
    person = next(  # one with the minimal data of a BIS creation: a full birth date and a sex
        p
        for p in simulated_persons(random.randrange(10**6))
        if p.birth_date.is_complete and p.sex is not Sex.U
    )
    monkeypatch.setenv("RAAS_DATABASE_URL", sqlite_projection(tmp_path / "raas.db", [person]))
    return person


def _create_args(kbo: str, person: PersonIdentity) -> list[str]:
    return [
        "bis", "create", "--tenant", kbo, "--last-name", person.last_name,
        "--first-name", person.first_names, "--birth-date", str(person.birth_date),
        "--sex", person.sex.value, "--birth-place", "Gdansk", "--json",
    ]  # fmt: skip


def test_bis_create_shows_a_likely_duplicate_and_creates_nothing_unless_confirmed(
    worker_settings: Settings, known: PersonIdentity
) -> None:
    kbo = tenant(worker_settings)

    refused = raas(*_create_args(kbo, known))

    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "may be this one" in refused.stderr
    assert known.insz in refused.stdout

    created = raas(*_create_args(kbo, known), "--confirm-distinct")

    assert created.returncode == 0, created.stdout + created.stderr
    result = json.loads(created.stdout)
    assert result["status"] == "OK"
    assert codes.BIS_CREATED.code in {d["code"] for d in result["details"]}
    assert parse_insz(result["insz"]).kind is InszKind.BIS

    updated = raas(
        "bis", "update", "--tenant", kbo, "--insz", result["insz"], "--last-name", "Other", "--json"
    )

    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert codes.BIS_IDENTITY_UPDATED.code in {
        d["code"] for d in json.loads(updated.stdout)["details"]
    }
