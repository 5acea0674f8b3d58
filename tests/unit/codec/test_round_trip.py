from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raas.codec import COMMAND, RECORDS, decode, default_codec, encode
from tests.unit.codec.strategies import EVERY_RECORD, commands


@pytest.mark.parametrize("name", sorted(EVERY_RECORD))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_record_decodes_to_the_object_it_was_encoded_from(name: str, data: Any) -> None:
    obj = data.draw(EVERY_RECORD[name])
    assert decode(encode(obj), name) == obj


def test_there_is_a_strategy_for_every_record() -> None:
    assert {record.name for record in RECORDS} == set(EVERY_RECORD)


@settings(max_examples=30, deadline=None)
@given(command=commands)
def test_the_wire_format_is_magic_zero_then_the_schema_id_big_endian(command: Any) -> None:
    data = encode(command)
    assert data[0] == 0
    assert int.from_bytes(data[1:5], "big") == default_codec().schema_id(COMMAND)


@settings(max_examples=30, deadline=None)
@given(command=commands)
def test_a_command_decodes_to_json_with_iso_dates_and_null_for_an_open_end(command: Any) -> None:
    shown = default_codec().decode_json(encode(command), COMMAND)
    (kind, body), = shown["body"].items()  # fmt: skip
    assert kind == type(command).__name__
    period = getattr(command, "period", None)
    if period is not None:
        assert body["period"] == {
            "begin": period.begin.isoformat(),
            "end": None if period.end is None else period.end.isoformat(),
        }
