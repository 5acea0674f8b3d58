from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from raas.codec import Codec, CodecError, Reason
from raas.codec.evolution import check, release
from raas.codec.ids import LocalIds, read_table
from raas.codec.schemas import AVRO_DIR, Catalogue

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def avro(tmp_path: Path) -> Path:
    """A copy of avro/ that a test may change."""
    return Path(shutil.copytree(AVRO_DIR, tmp_path / "avro"))


def _edit(avro: Path, record: str, change: Any) -> None:
    path = avro / f"{record}.avsc"
    schema = json.loads(path.read_text())
    change(schema)
    path.write_text(json.dumps(schema))


def _add_field(field: dict[str, Any]) -> Any:
    return lambda schema: schema["fields"].append(field)


def _problems(avro: Path) -> list[str]:
    catalogue = Catalogue(avro)
    return [str(p) for p in check(catalogue, read_table(avro / "schema-ids.json"))]


def test_the_committed_schemas_are_released_compatible_and_have_ids() -> None:
    assert _problems(AVRO_DIR) == []


def test_every_record_in_the_topic_map_has_a_schema_file() -> None:
    from raas.topics import TOPICS

    assert {t.record for t in TOPICS} <= set(Catalogue().current)


def test_every_field_of_every_schema_is_documented() -> None:
    undocumented = [
        f"{path.name}:{field['name']}"
        for path in AVRO_DIR.rglob("*.avsc")
        if "history" not in path.parts
        for field in json.loads(path.read_text()).get("fields", [])
        if not field.get("doc")
    ]
    assert undocumented == []


def test_adding_an_optional_field_with_a_default_is_compatible_both_ways(avro: Path) -> None:
    optional = {"name": "channel", "type": ["null", "string"], "default": None, "doc": "d"}
    _edit(avro, "InszReplacement", _add_field(optional))
    assert _problems(avro) == ["InszReplacement: changed but not released"]


def test_adding_a_field_without_a_default_fails_the_check(avro: Path) -> None:
    _edit(avro, "InszReplacement", _add_field({"name": "cause", "type": "string", "doc": "d"}))
    problems = _problems(avro)
    assert any("avro/ cannot read data of version 1" in p for p in problems), problems


def test_removing_an_enum_symbol_fails_the_check(avro: Path) -> None:
    def drop_cancel(schema: dict[str, Any]) -> None:
        schema["symbols"].remove("CANCEL")

    path = avro / "types" / "DimonaKind.avsc"
    kind = json.loads(path.read_text())
    drop_cancel(kind)
    path.write_text(json.dumps(kind))
    problems = _problems(avro)
    assert any(p.startswith("DimonaDeclaration: avro/ cannot read") for p in problems), problems


def test_changing_a_field_type_fails_the_check_and_cannot_be_released(avro: Path) -> None:
    def offset_as_string(schema: dict[str, Any]) -> None:
        next(f for f in schema["fields"] if f["name"] == "offset")["type"] = "string"

    _edit(avro, "DeadLetter", offset_as_string)
    assert any("cannot read" in p for p in _problems(avro))
    with pytest.raises(ValueError, match="DeadLetter"):
        release(Catalogue(avro))


def test_a_released_change_gets_the_next_id_and_reads_old_data_and_old_reads_new(
    avro: Path,
) -> None:
    old = Codec(Catalogue(avro), LocalIds(Catalogue(avro), read_table(avro / "schema-ids.json")))
    old_bytes = old.wire.write("InszReplacement", _replacement())
    optional = {"name": "channel", "type": ["null", "string"], "default": None, "doc": "d"}
    _edit(avro, "InszReplacement", _add_field(optional))

    added = release(Catalogue(avro))

    assert [(e.record, e.version) for e in added] == [("be.raas.InszReplacement", 2)]
    assert added[0].id == max(e.id for e in read_table()) + 1
    assert _problems(avro) == []
    new = Codec(Catalogue(avro), LocalIds(Catalogue(avro), read_table(avro / "schema-ids.json")))
    assert new.wire.read(old_bytes, "InszReplacement")["channel"] is None  # new reads old
    new_bytes = new.wire.write("InszReplacement", {**_replacement(), "channel": "RN"})
    old_program = Codec(Catalogue(AVRO_DIR), new.wire.ids)  # old files, ids that know v2
    assert "channel" not in old_program.wire.read(new_bytes, "InszReplacement")  # old reads new


def test_editing_a_released_version_makes_the_id_table_stale(avro: Path) -> None:
    released = avro / "history" / "InszReplacement" / "1.avsc"
    schema = json.loads(released.read_text())
    schema["fields"].append({"name": "x", "type": "int", "default": 0})
    released.write_text(json.dumps(schema))
    assert any("changed after its release" in p for p in _problems(avro))


def test_an_unreleased_schema_cannot_be_written_with_the_id_table(avro: Path) -> None:
    _edit(avro, "InszReplacement", _add_field({"name": "c", "type": "int", "default": 0}))
    catalogue = Catalogue(avro)
    codec = Codec(catalogue, LocalIds(catalogue, read_table(avro / "schema-ids.json")))
    with pytest.raises(CodecError) as raised:
        codec.wire.write("InszReplacement", {**_replacement(), "c": 1})
    assert raised.value.reason is Reason.UNKNOWN_SCHEMA_ID


def _replacement() -> dict[str, Any]:
    return {"event_id": "e", "timestamp": NOW, "old_insz": "1", "new_insz": "2"}
