from __future__ import annotations

import json
from datetime import UTC, date, datetime

from raas.cli.tail import follow
from raas.codec import encode
from raas.domain.dimona import DimonaDeclaration, DimonaKind
from tests.unit.codec.fakes import FakeConsumer, FakeMessage

DECLARATION = DimonaDeclaration(
    "d-1", "p-1", DimonaKind.IN, "0403019261", "85073003328", "STU", None,
    date(2024, 7, 1), None, "e-1", datetime(2024, 6, 30, 8, 0, tzinfo=UTC),
)  # fmt: skip


def _tail(*values: bytes | None, meta: bool = False) -> list[object]:
    consumer = FakeConsumer([FakeMessage(v, b"85073003328", "dimona.declarations", 0, i)
                             for i, v in enumerate(values)])  # fmt: skip
    out: list[str] = []
    follow(consumer, "DimonaDeclaration", out.append, timeout=0.3, meta=meta)
    return [json.loads(line) for line in out]


def test_tail_prints_one_json_object_per_record_with_iso_dates_and_null_for_an_open_end() -> None:
    (line,) = _tail(encode(DECLARATION))
    assert line["begin"] == "2024-07-01"
    assert line["end"] is None
    assert line["timestamp"] == "2024-06-30T08:00:00+00:00"
    assert line["kind"] == "IN"


def test_tail_shows_an_undecodable_record_as_its_error_and_carries_on() -> None:
    lines = _tail(b"\x01garbage", encode(DECLARATION))
    assert lines[0] == {"error": "BAD_MAGIC", "message": "magic byte 1, expected 0"}
    assert lines[1]["declaration_id"] == "d-1"


def test_tail_with_meta_wraps_the_value_with_where_it_was_read() -> None:
    (line,) = _tail(encode(DECLARATION), meta=True)
    assert line["topic"] == "dimona.declarations"  # type: ignore[index]
    assert line["key"] == "85073003328"  # type: ignore[index]
    assert line["value"]["period_id"] == "p-1"  # type: ignore[index]
