from __future__ import annotations

from collections import Counter
from io import BytesIO
from typing import Any

import pytest
from fastavro import schemaless_reader, schemaless_writer
from hypothesis import given, settings
from hypothesis import strategies as st

from raas.codec import Codec, default_codec, record_named
from raas.codec.errors import CodecError
from raas.codec.readsource import compile_full_reader
from raas.codec.wire import _READ_FLAGS as READ_FLAGS
from raas.codec.wire import HEADER, MAGIC
from raas.codec.writesource import Unsure, compile_writer
from tests.unit.codec.strategies import EVERY_RECORD


def fastavro_body(name: str, datum: Any) -> bytes:
    out = BytesIO()
    schemaless_writer(out, default_codec().wire.catalogue.record(name).parsed, datum)
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(EVERY_RECORD))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_compiled_writer_writes_the_bytes_fastavro_writes(name: str, data: Any) -> None:
    datum = record_named(name).to_dict(data.draw(EVERY_RECORD[name]))
    write = compile_writer(default_codec().wire.catalogue.record(name).expanded)
    assert write(datum) == fastavro_body(name, datum)


def test_every_record_of_the_catalogue_has_a_compiled_writer() -> None:
    for schema in default_codec().wire.catalogue:
        compile_writer(schema.expanded)


@pytest.mark.parametrize(
    "value", [None, 1.5, "2024-01-01", 2**70], ids=["none", "float", "text", "too large"]
)
def test_the_compiled_writer_leaves_a_value_it_is_unsure_of_to_fastavro(value: Any) -> None:
    schema = {"type": "record", "name": "R", "fields": [{"name": "n", "type": "long"}]}
    with pytest.raises((Unsure, AttributeError, KeyError, TypeError)):
        compile_writer(schema)({"n": value})


@pytest.mark.parametrize("name", sorted(EVERY_RECORD))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_compiled_reader_reads_what_fastavro_reads(name: str, data: Any) -> None:
    schema = default_codec().wire.catalogue.record(name)
    body = fastavro_body(name, record_named(name).to_dict(data.draw(EVERY_RECORD[name])))
    expected = schemaless_reader(BytesIO(body), schema.parsed, None, **READ_FLAGS)
    assert compile_full_reader(schema.expanded)(body, 0) == (expected, len(body))


@pytest.mark.parametrize("name", sorted(EVERY_RECORD))
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_a_valid_record_goes_through_the_wire_without_fastavro(name: str, data: Any) -> None:
    codec = Codec(default_codec().wire.catalogue, default_codec().wire.ids)
    obj = data.draw(EVERY_RECORD[name])
    assert codec.decode(codec.encode(obj), record_named(name)) == obj
    assert not codec.wire.fallbacks


def test_bytes_the_compiled_reader_cannot_read_are_counted_as_a_fallback() -> None:
    codec = Codec(default_codec().wire.catalogue, default_codec().wire.ids)
    name = sorted(EVERY_RECORD)[0]
    header = HEADER.pack(MAGIC, codec.wire.schema_id(name))
    with pytest.raises(CodecError):
        codec.decode(header + b"\xff", record_named(name))
    assert codec.wire.fallbacks == Counter({("read", name): 1})
