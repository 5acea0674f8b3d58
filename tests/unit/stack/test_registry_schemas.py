"""Filling the schema registry from the id table: its ids become the table's, or it stops loudly.

A hand-written fake numbers contents as Apicurio does: each new content the next content id,
from 1; a content it holds already keeps its id.
"""

from __future__ import annotations

import json

import pytest

from raas.codec.ids import IdEntry, read_table
from raas.codec.schemas import Catalogue, fingerprint
from raas.stack.registry_schemas import Filled, IdMismatch, fill_registry

CATALOGUE = Catalogue()
TABLE = read_table()


class FakeRegistry:
    def __init__(self, contents: dict[int, str] | None = None, first_id: int = 1) -> None:
        self.contents = dict(contents or {})
        self.first_id = first_id
        self.versions: list[tuple[str, int]] = []

    def schema_by_id(self, schema_id: int) -> str | None:
        return self.contents.get(schema_id)

    def add_version(self, subject: str, text: str) -> int:
        found = next((i for i, held in self.contents.items() if held == text), None)
        if found is None:
            found = max(self.contents, default=self.first_id - 1) + 1
            self.contents[found] = text
        self.versions.append((subject, found))
        return found


def _fingerprints(registry: FakeRegistry) -> dict[int, str]:
    return {i: fingerprint(json.loads(text)) for i, text in registry.contents.items()}


def test_a_fresh_registry_gets_every_released_version_under_its_id_of_the_table() -> None:
    registry = FakeRegistry()

    filled = fill_registry(registry, CATALOGUE, TABLE)

    assert filled == Filled(present=0, registered=len(TABLE))
    assert _fingerprints(registry) == {entry.id: entry.fingerprint for entry in TABLE}
    assert registry.versions == [(entry.record, entry.id) for entry in TABLE]


def test_filling_a_filled_registry_again_registers_nothing() -> None:
    registry = FakeRegistry()
    fill_registry(registry, CATALOGUE, TABLE)
    registered = list(registry.versions)

    assert fill_registry(registry, CATALOGUE, TABLE) == Filled(present=len(TABLE), registered=0)
    assert registry.versions == registered


def test_a_newly_released_id_is_the_only_one_registered() -> None:
    registry = FakeRegistry()
    fill_registry(registry, CATALOGUE, TABLE[:-1])

    assert fill_registry(registry, CATALOGUE, TABLE) == Filled(len(TABLE) - 1, 1)
    assert registry.versions[-1] == (TABLE[-1].record, TABLE[-1].id)


def test_an_id_that_holds_another_schema_stops_the_filling() -> None:
    foreign = json.dumps({"type": "record", "name": "Stray", "fields": []})
    registry = FakeRegistry({1: foreign})

    with pytest.raises(IdMismatch, match=r"registry's schema 1 is not be\.raas\.Command version 1"):
        fill_registry(registry, CATALOGUE, TABLE)
    assert registry.versions == []


def test_a_registration_answered_with_another_id_than_the_tables_stops_the_filling() -> None:
    registry = FakeRegistry(first_id=40)  # ids 1..39 went to contents since deleted

    with pytest.raises(IdMismatch, match=r"gave be\.raas\.Command version 1 id 40, .* gives it 1"):
        fill_registry(registry, CATALOGUE, TABLE)


def test_an_id_whose_version_is_not_in_the_history_stops_the_filling() -> None:
    missing = IdEntry(1, "be.raas.Command", 99, "0" * 64)

    with pytest.raises(IdMismatch, match="Command version 99 is not in avro/history/"):
        fill_registry(FakeRegistry(), CATALOGUE, (missing,))
