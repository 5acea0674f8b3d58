"""Avro <-> domain objects, in the Confluent wire format. Nothing else in RAAS knows Avro.

    data = encode(result)                      # any record's domain object -> bytes
    result = decode(data, COMMAND_RESULT)      # bytes -> domain object, typed by the record
    key = encode_key(insz)                     # keys are plain UTF-8 strings, not Avro

Every failure to read bytes raises `CodecError` with a `Reason`. Schemas come from `avro/`; ids
from the committed id table, or from the schema registry at `RAAS_SCHEMA_REGISTRY_URL`.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar, overload

from raas.codec.envelopes import DeadLetter, TenantCommand
from raas.codec.errors import CodecError, Reason
from raas.codec.ids import LocalIds, SchemaIds, read_table, registry_ids
from raas.codec.jsonview import json_ready
from raas.codec.records import (
    BY_NAME,
    BY_TYPE,
    COMMAND,
    COMMAND_RESULT,
    DEAD_LETTER,
    DIMONA_DECLARATION,
    DIMONA_MUTATION,
    INSZ_REPLACEMENT,
    INSZ_STATE,
    NOTIFICATION,
    PERSON_IDENTITY,
    RECORDS,
    REPLACEMENT_STEP,
    TENANT_COMMAND,
    TENANT_CONFIG,
    AvroDict,
    Record,
)
from raas.codec.schemas import Catalogue
from raas.codec.wire import Wire
from raas.config import Settings

T = TypeVar("T")


def record_named(name: str) -> Record[Any]:
    """The record called `name` (short or full Avro name)."""
    try:
        return BY_NAME[name.removeprefix("be.raas.")]
    except KeyError:
        raise CodecError(Reason.UNKNOWN_RECORD, f"no record named {name!r}") from None


def record_of(record: Record[Any] | type | str) -> Record[Any]:
    """The record given as itself, as the class it holds (CommandResult) or by name."""
    if isinstance(record, Record):
        return record
    if isinstance(record, str):
        return record_named(record)
    found = BY_TYPE.get(record)
    if found is None:
        raise CodecError(Reason.UNKNOWN_RECORD, f"no record holds a {record.__name__}")
    return found


class Codec:
    """Domain objects to wire bytes and back, over one catalogue of schemas and one id source."""

    def __init__(self, catalogue: Catalogue, ids: SchemaIds) -> None:
        self.wire = Wire(catalogue, ids)

    def encode(self, obj: object) -> bytes:
        record = BY_TYPE.get(type(obj))
        if record is None:
            raise CodecError(Reason.UNKNOWN_RECORD, f"no record holds a {type(obj).__name__}")
        return self.wire.write(record.name, record.to_dict(obj))

    @overload
    def decode(self, data: bytes | None, record: Record[T]) -> T: ...
    @overload
    def decode(self, data: bytes | None, record: type[T]) -> T: ...
    @overload
    def decode(self, data: bytes | None, record: str) -> object: ...
    def decode(self, data: bytes | None, record: Record[Any] | type | str) -> object:
        chosen = record_of(record)
        datum = self.wire.read(data, chosen.name)
        try:
            return chosen.from_dict(datum)
        except (ValueError, TypeError, KeyError) as exc:
            raise CodecError(Reason.INVALID_VALUE, f"{chosen.name}: {exc}") from exc

    def decode_json(self, data: bytes | None, record: Record[Any] | type | str) -> Any:
        """The record as JSON-ready data with Avro field names, no domain types involved."""
        return json_ready(self.wire.read(data, record_of(record).name))

    def schema_id(self, record: Record[Any] | type | str) -> int:
        return self.wire.schema_id(record_of(record).name)


@cache
def default_codec() -> Codec:
    """The codec of `avro/`, with the registry of RAAS_SCHEMA_REGISTRY_URL or the id table.

    Built on first use, so importing the codec reads no file and opens no connection.
    """
    catalogue = Catalogue()
    url = Settings.from_env().schema_registry_url
    ids: SchemaIds = registry_ids(url) if url else LocalIds(catalogue, read_table())
    return Codec(catalogue, ids)


def encode(obj: object) -> bytes:
    """Any record's domain object (or TenantCommand, DeadLetter) in the Confluent wire format.

    A bare Command gets the current time as its timestamp (the domain command has none).
    """
    return default_codec().encode(obj)


@overload
def decode(data: bytes | None, record: Record[T]) -> T: ...
@overload
def decode(data: bytes | None, record: type[T]) -> T: ...
@overload
def decode(data: bytes | None, record: str) -> object: ...
def decode(data: bytes | None, record: Record[Any] | type | str) -> object:
    """The domain object in `data`; raises CodecError saying why it cannot be read."""
    return default_codec().decode(data, record)


def encode_key(key: str) -> bytes:
    """Keys are plain UTF-8 strings (an INSZ, a KBO, a request id), never Avro."""
    return key.encode("utf-8")


def decode_key(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8", errors="replace")


def to_dict(obj: object) -> AvroDict:
    """`obj` as the Avro datum of its record."""
    return record_of(type(obj)).to_dict(obj)


def to_json(obj: object) -> Any:
    """`obj` as JSON-ready data with the Avro field names: ISO dates, null for an open end."""
    return json_ready(to_dict(obj))


def from_dict(datum: AvroDict, record: Record[T]) -> T:
    return record.from_dict(datum)


__all__ = [
    "COMMAND",
    "COMMAND_RESULT",
    "DEAD_LETTER",
    "DIMONA_DECLARATION",
    "DIMONA_MUTATION",
    "INSZ_REPLACEMENT",
    "INSZ_STATE",
    "NOTIFICATION",
    "PERSON_IDENTITY",
    "RECORDS",
    "REPLACEMENT_STEP",
    "TENANT_COMMAND",
    "TENANT_CONFIG",
    "Codec",
    "CodecError",
    "DeadLetter",
    "Reason",
    "Record",
    "TenantCommand",
    "decode",
    "decode_key",
    "default_codec",
    "encode",
    "encode_key",
    "from_dict",
    "record_named",
    "record_of",
    "to_dict",
    "to_json",
]
