"""The registry client path, against the minimal local registry in `registry.py`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from raas.codec import COMMAND, INSZ_REPLACEMENT, Codec, CodecError, Reason
from raas.codec.ids import registry_ids
from raas.codec.schemas import Catalogue
from raas.codec.wire import HEADER
from raas.domain.commands import Consult
from raas.domain.periods import Period
from raas.domain.replacement import InszReplacement
from tests.unit.codec.registry import Registry, running_registry

CONSULT = Consult("r-9", None, "85073003328", None, Period(date(2024, 1, 1), None))


@pytest.fixture
def registry() -> Iterator[tuple[Codec, Registry]]:
    with running_registry() as (url, state):
        yield Codec(Catalogue(), registry_ids(url)), state


def test_the_codec_registers_each_record_under_its_full_name_once(
    registry: tuple[Codec, Registry],
) -> None:
    codec, state = registry
    first, second = codec.encode(CONSULT), codec.encode(CONSULT)
    assert list(state.subjects) == ["be.raas.Command"]
    assert int.from_bytes(first[1:5], "big") == int.from_bytes(second[1:5], "big") == 100
    assert sum(r.startswith("POST") for r in state.requests) == 1


def test_bytes_written_through_the_registry_decode_by_fetching_the_writer_schema() -> None:
    with running_registry() as (url, state):
        data = Codec(Catalogue(), registry_ids(url)).encode(CONSULT)
        reader = Codec(Catalogue(), registry_ids(url))  # another process: nothing cached

        assert reader.decode(data, COMMAND) == CONSULT
        assert state.requests[-1] == "GET /schemas/ids/100"


def test_a_schema_id_the_registry_does_not_know_is_an_unknown_schema_id(
    registry: tuple[Codec, Registry],
) -> None:
    codec, _ = registry
    with pytest.raises(CodecError) as raised:
        codec.decode(HEADER.pack(0, 4242) + b"\x00", COMMAND)
    assert raised.value.reason is Reason.UNKNOWN_SCHEMA_ID


def test_a_registry_id_of_another_record_is_a_schema_mismatch(
    registry: tuple[Codec, Registry],
) -> None:
    codec, _ = registry
    replacement = InszReplacement("1", "2", "e", datetime(2024, 1, 1, tzinfo=UTC))
    with pytest.raises(CodecError) as raised:
        codec.decode(codec.encode(replacement), COMMAND)
    assert raised.value.reason is Reason.SCHEMA_MISMATCH
    assert codec.decode(codec.encode(replacement), INSZ_REPLACEMENT) == replacement
