"""The Confluent wire format: magic byte 0, a 4-byte big-endian schema id, the Avro body.

Writers and readers are cached: per record, the header, the parsed schema and the compiled writer
(`writesource.py`; fastavro writes what it is unsure of) to write with; per (schema id, record),
the writer schema, only when it differs the reader schema to resolve to, and when it does not the
compiled reader (`readsource.py`; fastavro reads what it cannot).
"""

from __future__ import annotations

import struct
from collections import Counter
from io import BytesIO
from typing import Any, cast

from fastavro import schemaless_reader, schemaless_writer
from fastavro.read import SchemaResolutionError

from raas.codec.errors import CodecError, Reason
from raas.codec.ids import SchemaIds
from raas.codec.picksource import Reader, Unreadable
from raas.codec.readsource import compile_full_reader
from raas.codec.schemas import Catalogue, RecordSchema
from raas.codec.writesource import Unsure, Writer, compile_writer

MAGIC = 0
HEADER = struct.Struct(">bI")

AvroDict = dict[str, Any]


class Wire:
    """Avro dicts to framed bytes and back, for the records of one catalogue.

    `fallbacks` counts, per ("write" or "read", record), the values and bytes the compiled code
    handed to fastavro: bad input does, and nothing else should, or every call pays twice.
    """

    def __init__(self, catalogue: Catalogue, ids: SchemaIds) -> None:
        self.catalogue = catalogue
        self.ids = ids
        self.fallbacks: Counter[tuple[str, str]] = Counter()
        self._writers: dict[str, tuple[bytes, Any, Writer | None]] = {}
        self._readers: dict[tuple[int, str], tuple[Any, Any, Reader | None]] = {}

    def write(self, record: str, datum: AvroDict) -> bytes:
        writer = self._writers.get(record) or self._writer(record)
        if writer[2] is not None:
            try:
                return writer[0] + writer[2](datum)
            except Exception:  # a value it is unsure of: fastavro writes it, or says why not
                self.fallbacks["write", record] += 1
        out = BytesIO()
        out.write(writer[0])
        try:
            schemaless_writer(out, writer[1], datum)
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            raise CodecError(Reason.INVALID_VALUE, f"cannot write {record}: {exc!r}") from exc
        return out.getvalue()

    def read(self, data: bytes | None, record: str) -> AvroDict:
        if data is None:
            raise CodecError(Reason.NO_VALUE, f"no value where a {record} was expected")
        if len(data) < HEADER.size:
            raise CodecError(Reason.TRUNCATED, f"{len(data)} bytes, fewer than the 5-byte header")
        magic, schema_id = HEADER.unpack_from(data)
        if magic != MAGIC:
            raise CodecError(Reason.BAD_MAGIC, f"magic byte {magic}, expected {MAGIC}")
        writer, reader, compiled = self._readers.get((schema_id, record)) or self._reader(
            schema_id, record
        )
        if compiled is not None:
            try:
                values, end = compiled(data, HEADER.size)
                if end == len(data):
                    return cast(AvroDict, values)
            except Exception:  # bytes it cannot read: fastavro reads them, or says why not
                pass
            self.fallbacks["read", record] += 1
        body = BytesIO(data)
        body.seek(HEADER.size)
        try:
            datum = schemaless_reader(body, writer, reader, **_READ_FLAGS)
        except (EOFError, StopIteration, struct.error) as exc:
            raise CodecError(Reason.TRUNCATED, f"{record} body ends early: {exc!r}") from exc
        except SchemaResolutionError as exc:
            raise CodecError(Reason.SCHEMA_MISMATCH, f"{record}: {exc}") from exc
        except (ValueError, TypeError, IndexError, KeyError, OverflowError) as exc:
            reason = Reason.TRUNCATED if _reads_when_padded(data, writer) else Reason.INVALID_VALUE
            raise CodecError(reason, f"{record} body: {exc!r}") from exc
        if body.tell() != len(data):
            left = len(data) - body.tell()
            raise CodecError(Reason.INVALID_VALUE, f"{left} bytes left after the {record}")
        return cast(AvroDict, datum)  # a record schema always reads as a dict

    def schema_id(self, record: str) -> int:
        return self.ids.id_for(self._schema(record))

    def _schema(self, record: str) -> RecordSchema:
        try:
            return self.catalogue.record(record)
        except KeyError:
            raise CodecError(Reason.UNKNOWN_RECORD, f"no record {record!r} in avro/") from None

    def _writer(self, record: str) -> tuple[bytes, Any, Writer | None]:
        schema = self._schema(record)
        try:
            compiled: Writer | None = compile_writer(schema.expanded)
        except Unsure:
            compiled = None
        writer = (HEADER.pack(MAGIC, self.ids.id_for(schema)), schema.parsed, compiled)
        self._writers[record] = writer
        return writer

    def _reader(self, schema_id: int, record: str) -> tuple[Any, Any, Reader | None]:
        expected = self._schema(record)
        written = self.ids.writer_for(schema_id)
        if written is None:
            raise CodecError(Reason.UNKNOWN_SCHEMA_ID, f"schema id {schema_id} is not known")
        if written.fullname != expected.fullname:
            raise CodecError(
                Reason.SCHEMA_MISMATCH,
                f"schema id {schema_id} is a {written.name}, expected a {expected.name}",
            )
        same = written.fingerprint == expected.fingerprint
        compiled: Reader | None = None
        if same:  # resolving a writer schema to another reader schema is fastavro's
            try:
                compiled = compile_full_reader(written.expanded)
            except Unreadable:
                compiled = None
        entry = (written.parsed, None if same else expected.parsed, compiled)
        self._readers[(schema_id, record)] = entry
        return entry


# union branches of records come back as (name, value); ["null", X] unions as the bare value
_READ_FLAGS: dict[str, Any] = {"return_record_name": True, "return_record_name_override": True}


def _read_body(body: BytesIO, writer: Any, reader: Any) -> Any:
    return schemaless_reader(body, writer, reader, **_READ_FLAGS)


def _reads_when_padded(data: bytes, writer: Any) -> bool:
    """Whether the body only lacked bytes: fastavro reports running out in several ways, but
    zeros appended (empty strings, zero numbers, first branches) make a truncated body readable."""
    padded = BytesIO(data + bytes(256))
    padded.seek(HEADER.size)
    try:
        _read_body(padded, writer, None)
    except Exception:  # still unreadable: the bytes were wrong, not missing
        return False
    return True
