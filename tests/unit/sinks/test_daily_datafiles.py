"""The data file's text writer: an XML parser reads back what it wrote, field for field."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from lxml import etree

from sinks.daily.datafiles import CHUNK_RECORDS, DATA_NS, DATA_XSD, FlowRecord, write_data_file

TENANT, DAY = "0403019261", date(2026, 11, 27)


def _record(n: int, payload: str = '{"n": 1}', kind: str = "IdentityChanged") -> FlowRecord:
    return FlowRecord(f"event-{n}", "85073003328", kind, "2026-11-27T09:00:00.000000", payload)


def _parsed(path: Path) -> etree._Element:
    document = etree.parse(str(path))
    assert etree.XMLSchema(etree.parse(str(DATA_XSD))).validate(document)
    return document.getroot()


def test_fields_holding_characters_xml_reserves_read_back_as_they_were(tmp_path: Path) -> None:
    odd = FlowRecord(
        'e"1&2',
        "85073003328",
        "Kind <a>\twith\nwhite\rspace",
        "2026-11-27T09:00:00.000000",
        '{"new": "Rue de la Loi 16 & <1000>", "cr": "a\rb"}',
    )
    path = tmp_path / "odd.xml"
    count, _ = write_data_file(path, TENANT, "notifications", DAY, [_record(0), odd, _record(2)])
    records = _parsed(path).findall(f"{{{DATA_NS}}}Record")
    assert count == 3
    assert [r.get("eventId") for r in records] == ["event-0", 'e"1&2', "event-2"]
    assert records[1].get("kind") == odd.kind
    assert records[1].findtext(f"{{{DATA_NS}}}Payload") == odd.payload


def test_more_records_than_a_chunk_are_all_written_in_order_and_hashed(tmp_path: Path) -> None:
    how_many = 2 * CHUNK_RECORDS + 7
    path = tmp_path / "many.xml"
    count, sha256 = write_data_file(
        path, TENANT, "dimona", DAY, (_record(n) for n in range(how_many))
    )
    root = _parsed(path)
    assert count == how_many
    assert sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (root.get("tenant"), root.get("flow"), root.get("day")) == (TENANT, "dimona", str(DAY))
    assert [r.get("eventId") for r in root] == [f"event-{n}" for n in range(how_many)]


def test_a_day_without_records_is_a_valid_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    assert write_data_file(path, TENANT, "notifications", DAY, [])[0] == 0
    assert len(_parsed(path)) == 0
