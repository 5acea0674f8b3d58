"""Read only some fields of a record from the wire, in plain Python, skipping over the rest.

    picker = Picker(codec, COMMAND_RESULT, {"event_id": KEEP, "command": BRANCH,
                                            "details": {"code": KEEP}})
    picker.read(data)  # {"event_id": "...", "command": "Register", "details": [{"code": 100}]}

A full decode builds every value of a record (a result's lines, its command's period, datetimes)
and then a domain object; a sink that keeps a dozen plain values paid four times what it kept
(bench/projection_throughput). A picker compiles, once per writer schema id, a reader of the
writer's schema that builds only the kept fields, as plain Avro values without logical types (a
timestamp-millis stays milliseconds, a date days since the epoch), and skips the others.

What to keep: `KEEP` a field's value (a primitive, an enum's symbol, a union of those), `BRANCH`
the short name of a union's branch (its value skipped), a dict the kept fields of a record or of
each record of an array. The picker judges no input: `read` returns None whenever it cannot read
the bytes its way (another magic byte, an unknown schema id, a writer without a kept field, a
body that ends early, bad UTF-8, bytes left over), and the caller then decodes in full, which
raises the CodecError that says why (`Codec.decode`).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping
from typing import Any

from raas.codec.records import Record
from raas.codec.wire import HEADER, MAGIC, Wire

KEEP = "keep"
BRANCH = "branch"
Keep = Mapping[str, Any]  # field -> KEEP, BRANCH or the Keep of a record's fields
Step = Callable[[bytes, int], tuple[Any, int]]  # (data, position) -> (value, next position)


class Unreadable(Exception):
    """The bytes cannot be read the picker's way; the full decode says why."""


class Picker:
    """The kept fields of one record, read from wire bytes by a reader per writer schema id."""

    def __init__(self, wire: Wire, record: Record[Any], keep: Keep) -> None:
        self.wire = wire
        self.record = record.name
        self.keep = keep
        self._steps: dict[int, Step | None] = {}

    def read(self, data: bytes | None) -> dict[str, Any] | None:
        """The kept fields of the record in `data`, or None: then decode it in full."""
        if data is None or len(data) < HEADER.size or data[0] != MAGIC:
            return None
        schema_id = HEADER.unpack_from(data)[1]
        step = self._steps[schema_id] if schema_id in self._steps else self._compile(schema_id)
        if step is None:
            return None
        try:
            values, end = step(data, HEADER.size)
        except (Unreadable, IndexError, ValueError, struct.error):
            return None
        return values if end == len(data) else None

    def _compile(self, schema_id: int) -> Step | None:
        writer = self.wire.ids.writer_for(schema_id)
        step = None
        if writer is not None and writer.name == self.record:
            try:
                step = _step(writer.expanded, self.keep, {})
            except Unreadable:  # the writer lacks a field we keep
                step = None
        self._steps[schema_id] = step
        return step


def _step(node: Any, keep: Any, names: dict[str, Any]) -> Step:
    """The step reading (keep set) or skipping (keep None) a value of schema `node`."""
    if isinstance(node, list):
        return _union(node, keep, names)
    if isinstance(node, str):
        if node in _PRIMITIVES:
            return _PRIMITIVES[node][keep is not None]
        return _step(names[node], keep, names)
    kind = node["type"]
    if kind in ("record", "error", "enum", "fixed"):
        names[_fullname(node)] = node
    if kind in ("record", "error"):
        return _record(node, keep, names)
    if kind == "enum":
        symbols = tuple(node["symbols"])
        return _enum(symbols) if keep is not None else _long
    if kind == "fixed":
        size = node["size"]
        return lambda data, pos: (data[pos : pos + size], _ends(data, pos + size))
    if kind == "array":
        return _blocks(_step(node["items"], keep, names), keep is not None)
    if kind == "map":
        value = _step(node["values"], keep, names)
        return _blocks(lambda d, p: value(d, _skip_bytes(d, p)[1]), keep is not None)
    return _step(kind, keep, names)  # {"type": "long", "logicalType": ...}: the plain value


def _record(node: Any, keep: Any, names: dict[str, Any]) -> Step:
    wanted = keep if isinstance(keep, Mapping) else {}
    fields = [f["name"] for f in node["fields"]]
    if any(name not in fields for name in wanted):
        raise Unreadable(f"{node['name']} has none of {sorted(set(wanted) - set(fields))}")
    steps = tuple(
        (f["name"] if f["name"] in wanted else None, _step(f["type"], wanted.get(f["name"]), names))
        for f in node["fields"]
    )

    def read(data: bytes, pos: int) -> tuple[Any, int]:
        values = {}
        for name, step in steps:
            value, pos = step(data, pos)
            if name is not None:
                values[name] = value
        return values, pos

    return read


def _union(branches: list[Any], keep: Any, names: dict[str, Any]) -> Step:
    steps = tuple(_step(b, None if keep == BRANCH else keep, names) for b in branches)
    labels = tuple(_label(b, names) for b in branches)

    def read(data: bytes, pos: int) -> tuple[Any, int]:
        index, pos = _long(data, pos)
        if not 0 <= index < len(steps):
            raise Unreadable(f"union branch {index} of {len(steps)}")
        value, pos = steps[index](data, pos)
        return (labels[index] if keep == BRANCH else value), pos

    return read


def _label(branch: Any, names: dict[str, Any]) -> str:
    name = branch if isinstance(branch, str) else branch.get("name", branch["type"])
    return str(name).rsplit(".", 1)[-1]


def _enum(symbols: tuple[str, ...]) -> Step:
    def read(data: bytes, pos: int) -> tuple[Any, int]:
        index, pos = _long(data, pos)
        if not 0 <= index < len(symbols):
            raise Unreadable(f"enum symbol {index} of {len(symbols)}")
        return symbols[index], pos

    return read


def _blocks(item: Step, kept: bool) -> Step:
    def read(data: bytes, pos: int) -> tuple[Any, int]:
        values = []
        count, pos = _long(data, pos)
        while count:
            if count < 0:  # a block with its size in bytes after the count
                count = -count
                pos = _long(data, pos)[1]
            for _ in range(count):
                value, pos = item(data, pos)
                values.append(value)
            count, pos = _long(data, pos)
        return (values if kept else None), pos

    return read


def _long(data: bytes, pos: int) -> tuple[int, int]:
    """Avro's zig-zag varint, for int and long alike."""
    byte = data[pos]
    if byte < 0x80:  # most: one byte
        return (byte >> 1) ^ -(byte & 1), pos + 1
    pos += 1
    value = byte & 0x7F
    shift = 7
    while byte & 0x80:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
    return (value >> 1) ^ -(value & 1), pos


def _ends(data: bytes, end: int) -> int:
    if end > len(data):
        raise Unreadable(f"a value ends at byte {end} of {len(data)}")
    return end


def _span(data: bytes, pos: int) -> tuple[int, int]:
    """Where the bytes of a string or bytes value start and end."""
    size, start = _long(data, pos)
    end = start + size
    if size < 0 or end > len(data):
        raise Unreadable(f"{size} bytes at byte {start} of {len(data)}")
    return start, end


def _skip_bytes(data: bytes, pos: int) -> tuple[None, int]:
    return None, _span(data, pos)[1]


def _bytes(data: bytes, pos: int) -> tuple[bytes, int]:
    start, end = _span(data, pos)
    return data[start:end], end


def _string(data: bytes, pos: int) -> tuple[str, int]:
    size = data[pos]
    if size < 0x80 and not size & 1:  # most: shorter than 64 bytes
        end = pos + 1 + (size >> 1)
        if end <= len(data):
            return data[pos + 1 : end].decode(), end
    start, end = _span(data, pos)
    return data[start:end].decode(), end


def _fixed_width(width: int, form: str) -> tuple[Step, Step]:
    unpack = struct.Struct(form).unpack_from

    def read(data: bytes, pos: int) -> tuple[Any, int]:
        return unpack(data, pos)[0], pos + width

    return (lambda data, pos: (None, _ends(data, pos + width))), read


_PRIMITIVES: dict[str, tuple[Step, Step]] = {  # name -> (skip, read)
    "null": ((lambda data, pos: (None, pos)),) * 2,
    "boolean": ((lambda data, pos: (None, _ends(data, pos + 1))), lambda d, p: (d[p] != 0, p + 1)),
    "int": (_long, _long),
    "long": (_long, _long),
    "float": _fixed_width(4, "<f"),
    "double": _fixed_width(8, "<d"),
    "bytes": (_skip_bytes, _bytes),
    "string": (_skip_bytes, _string),
}


def _fullname(node: Any) -> str:
    name: str = node["name"]
    return name if "." in name else f"{node.get('namespace', 'be.raas')}.{name}"
