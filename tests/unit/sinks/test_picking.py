"""A picker reads the kept fields of a record the way a full decode reads them, or gives up."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from typing import Any

import pytest
from fastavro import parse_schema, schemaless_writer
from hypothesis import given
from hypothesis import strategies as st

from raas.codec import COMMAND_RESULT, NOTIFICATION, default_codec, encode
from raas.codec.picking import BRANCH, KEEP, Picker
from raas.codec.picksource import Unreadable, compile_reader
from raas.codec.wire import HEADER
from raas.domain.results import CommandResult
from sinks.routes import result_picker
from sinks.rows import audit_row, audit_row_of
from tests.unit.codec.strategies import results
from tests.unit.sinks.records import identity_changed, result

TENANT = "0403019261"
MAN = "85073003328"
GOOD = encode(result(TENANT, MAN, 1))


@given(results)
def test_a_picked_result_gives_the_audit_row_of_the_whole_decoded_result(
    answer: CommandResult,
) -> None:
    picked = result_picker(default_codec()).read(encode(answer))
    assert picked is not None
    assert audit_row_of(picked) == audit_row(answer)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2025, 3, 30, 0, 59, 59, 999000, tzinfo=UTC),  # Brussels 01:59 on the 30th
        datetime(2025, 10, 25, 22, 0, tzinfo=UTC),  # Brussels midnight, summer time
        datetime(2025, 12, 31, 23, 0, tzinfo=UTC),  # Brussels midnight, winter time
        datetime(1969, 12, 31, 22, 59, tzinfo=UTC),  # before the epoch
    ],
)
def test_a_picked_result_falls_on_the_brussels_day_around_midnight_and_clock_changes(
    moment: datetime,
) -> None:
    answer = result(TENANT, MAN, 1, moment)
    picked = result_picker(default_codec()).read(encode(answer))
    assert picked is not None
    assert audit_row_of(picked) == audit_row(answer)


def test_a_picker_keeps_a_unions_branch_name_and_only_the_kept_fields_of_each_item() -> None:
    picker = Picker(
        default_codec().wire, COMMAND_RESULT, {"command": BRANCH, "details": {"code": KEEP}}
    )
    assert picker.read(GOOD) == {"command": "Register", "details": [{"code": 100}]}


@pytest.mark.parametrize(
    "data",
    [
        None,
        b"",
        b"\x01" + GOOD[1:],  # another magic byte
        HEADER.pack(0, 999_999) + GOOD[5:],  # an unknown schema id
        encode(identity_changed(TENANT, MAN, 1)),  # another record
        GOOD[:-3],  # cut short
        GOOD[:40],  # cut inside a string
        GOOD + b"\x00",  # a byte left over
    ],
    ids=["none", "empty", "magic", "unknown id", "other record", "short", "cut", "left over"],
)
def test_a_picker_gives_up_on_what_it_cannot_read_and_leaves_the_verdict_to_the_decoder(
    data: bytes | None,
) -> None:
    assert result_picker(default_codec()).read(data) is None


def test_a_picker_gives_up_on_a_writer_without_a_field_it_keeps() -> None:
    picker = Picker(default_codec().wire, COMMAND_RESULT, {"nickname": KEEP})
    assert picker.read(GOOD) is None


def test_a_picker_of_notifications_reads_no_command_result() -> None:
    picker = Picker(default_codec().wire, NOTIFICATION, {"event_id": KEEP})
    assert picker.read(GOOD) is None


EVERY_KIND = {
    "type": "record",
    "name": "Every",
    "namespace": "t",
    "fields": [
        {"name": "b", "type": "boolean"},
        {"name": "i", "type": "int"},
        {"name": "l", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "f", "type": "float"},
        {"name": "d", "type": "double"},
        {"name": "s", "type": "string"},
        {"name": "by", "type": "bytes"},
        {"name": "fx", "type": {"type": "fixed", "name": "Four", "size": 4}},
        {"name": "e", "type": {"type": "enum", "name": "Colour", "symbols": ["RED", "GREEN"]}},
        {
            "name": "u",
            "type": [
                "null",
                "string",
                {"type": "record", "name": "Pair", "fields": [{"name": "x", "type": "int"}]},
            ],
        },
        {"name": "a", "type": {"type": "array", "items": "t.Pair"}},
        {"name": "m", "type": {"type": "map", "values": "long"}},
        {"name": "again", "type": "t.Four"},
    ],
}
SKIPPED_ALL = {"again": KEEP}


def _body(datum: dict[str, Any]) -> bytes:
    out = BytesIO()
    schemaless_writer(out, parse_schema(EVERY_KIND), datum)
    return out.getvalue()


@given(
    st.booleans(),
    st.integers(-(2**31), 2**31 - 1),
    st.integers(-(2**63), 2**63 - 1),
    st.text(max_size=200),
    st.binary(max_size=200),
    st.lists(st.integers(-(2**31), 2**31 - 1), max_size=70),
    st.dictionaries(st.text(max_size=80), st.integers(-(2**63), 2**63 - 1), max_size=5),
    st.none() | st.text(max_size=3) | st.integers(0, 5).map(lambda x: {"x": x}),
)
def test_a_compiled_reader_keeps_every_kind_of_value_as_written_and_skips_them_all_alike(
    b: bool,
    i: int,
    millis: int,
    s: str,
    by: bytes,
    xs: list[int],
    m: dict[str, int],
    u: Any,
) -> None:
    datum = {
        "b": b, "i": i, "l": millis, "f": 0.5, "d": -2.25, "s": s, "by": by, "fx": b"abcd",
        "e": "GREEN", "u": u, "a": [{"x": x} for x in xs], "m": m, "again": b"wxyz",
    }  # fmt: skip
    body = _body(datum)
    kept = {"b", "i", "l", "f", "d", "s", "by", "fx", "e", "u", "again"}
    values, end = compile_reader(EVERY_KIND, dict.fromkeys(kept, KEEP) | {"a": {"x": KEEP}})(
        body, 0
    )
    assert end == len(body)
    assert values == {k: datum[k] for k in kept} | {"a": datum["a"]}
    assert compile_reader(EVERY_KIND, SKIPPED_ALL)(body, 0) == ({"again": b"wxyz"}, len(body))


def test_a_compiled_reader_refuses_a_body_that_claims_more_items_than_it_has_bytes() -> None:
    body = bytearray(_body({**EMPTY, "a": []}))
    at = body.index(b"\x00\x00wxyz")  # the array's count (none), before the map's
    body[at] = 0x7E  # 63 items, none of them there
    with pytest.raises(Unreadable):
        compile_reader(EVERY_KIND, SKIPPED_ALL)(bytes(body), 0)


EMPTY: dict[str, Any] = {
    "b": False, "i": 0, "l": 0, "f": 0.0, "d": 0.0, "s": "", "by": b"", "fx": b"abcd",
    "e": "RED", "u": None, "a": [], "m": {}, "again": b"wxyz",
}  # fmt: skip
