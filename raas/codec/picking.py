"""Read only some fields of a record from the wire, in plain Python, skipping over the rest.

    picker = Picker(codec, COMMAND_RESULT, {"event_id": KEEP, "command": BRANCH,
                                            "details": {"code": KEEP}})
    picker.read(data)  # {"event_id": "...", "command": "Register", "details": [{"code": 100}]}

A full decode builds every value of a record (a result's lines, its command's period, datetimes)
and then a domain object; a sink that keeps a dozen plain values paid four times what it kept
(bench/projection_throughput). A picker compiles, once per writer schema id, a reader of the
writer's schema (`raas/codec/picksource.py`) that builds only the kept fields, as plain Avro
values without logical types (a timestamp-millis stays milliseconds, a date days since the
epoch), and skips the others.

What to keep: `KEEP` a field's whole value (a record's as a dict of all its fields), `BRANCH`
the short name of a union's branch (its value skipped), a dict the kept fields of a record or of
each record of an array. The picker judges no input: `read` returns None whenever it cannot read
the bytes its way (another magic byte, an unknown schema id, a writer without a kept field, a
body that ends early, bad UTF-8, bytes left over), and the caller then decodes in full, which
raises the CodecError that says why (`Codec.decode`).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from typing import Any

from raas.codec.picksource import BRANCH, KEEP, Reader, Unreadable, compile_reader
from raas.codec.records import Record
from raas.codec.wire import HEADER, MAGIC, Wire

Keep = Mapping[str, Any]  # field -> KEEP, BRANCH or the Keep of a record's fields

__all__ = ["BRANCH", "KEEP", "Keep", "Picker"]


class Picker:
    """The kept fields of one record, read from wire bytes by a reader per writer schema id."""

    def __init__(self, wire: Wire, record: Record[Any], keep: Keep) -> None:
        self.wire = wire
        self.record = record.name
        self.keep = keep
        self._readers: dict[int, Reader | None] = {}

    def read(self, data: bytes | None) -> dict[str, Any] | None:
        """The kept fields of the record in `data`, or None: then decode it in full."""
        if data is None or len(data) < HEADER.size or data[0] != MAGIC:
            return None
        schema_id = HEADER.unpack_from(data)[1]
        readers = self._readers
        reader = readers[schema_id] if schema_id in readers else self._compile(schema_id)
        if reader is None:
            return None
        try:
            values, end = reader(data, HEADER.size)
        except (Unreadable, IndexError, ValueError, struct.error):
            return None
        return values if end == len(data) else None

    def _compile(self, schema_id: int) -> Reader | None:
        writer = self.wire.ids.writer_for(schema_id)
        reader = None
        if writer is not None and writer.name == self.record:
            try:
                reader = compile_reader(writer.expanded, self.keep)
            except Unreadable:  # the writer lacks a field we keep
                reader = None
        self._readers[schema_id] = reader
        return reader
