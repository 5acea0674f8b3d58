"""The whole-record reader `Wire.read` runs, compiled once per schema like a picker's reader.

    read = compile_full_reader(schema.expanded)
    datum, end = read(data, 5)  # what fastavro's schemaless_reader gives, or an exception

fastavro's reader walks the schema at every call: a tenant command took about 25 µs, a sixth of
the worker's own work on it (issue 10). This reader is a picker's reader (`picksource.py`) that
keeps every field and reads as fastavro does with `Wire.read`'s flags: timestamp-millis as an
aware UTC datetime, a date as a date, an enum as its symbol, and a union with more than one
record branch as `(full name, record)` when a record is read. It judges nothing: on bytes it
cannot read it raises, and `Wire.read` lets fastavro read them, or say why they are wrong. Only
for a writer schema equal to the reader's: resolving one to the other is fastavro's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from raas.codec.picksource import KEEP, Reader, Unreadable, _Source

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_DAY = date(1970, 1, 1).toordinal()


def from_millis(millis: int) -> datetime:
    return _EPOCH + timedelta(microseconds=millis * 1000)


def from_days(days: int) -> date:
    return date.fromordinal(days + _EPOCH_DAY)


def compile_full_reader(schema: Any) -> Reader:
    """The reader of whole records of `schema`; Unreadable if the schema has what it cannot."""
    source = _FullSource()
    with source.block("def read(data, pos):"):
        source.value(schema, KEEP, "values", {}, 0)
        source.line("return values, pos")
    helpers = {"Unreadable": Unreadable, "from_millis": from_millis, "from_days": from_days}
    reader: Reader = source.function("read", helpers, "<reader>")
    return reader


class _FullSource(_Source):
    def value(
        self, node: Any, keep: Any, target: str | None, names: dict[str, Any], depth: int
    ) -> None:
        if isinstance(node, dict) and node.get("type") == "map":
            raise Unreadable("maps are fastavro's")
        logical = node.get("logicalType") if isinstance(node, dict) else None
        if logical is None or target is None:
            return super().value(node, keep, target, names, depth)
        if (logical, node["type"]) not in (("timestamp-millis", "long"), ("date", "int")):
            raise Unreadable(f"logical type {logical!r}")
        plain = self.fresh("p")
        super().value(node["type"], keep, plain, names, depth)
        convert = "from_millis" if logical == "timestamp-millis" else "from_days"
        self.line(f"{target} = {convert}({plain})")
        return None

    def union(
        self, branches: list[Any], keep: Any, target: str | None, names: dict[str, Any], depth: int
    ) -> None:
        resolved = [self._named(b, names) for b in branches]
        records = [b for b in resolved if isinstance(b, dict) and b["type"] in ("record", "error")]
        if target is None or len(records) < 2:
            return super().union(branches, keep, target, names, depth)
        index = self.fresh("u")
        self.varint(index)
        for n, (branch, found) in enumerate(zip(branches, resolved, strict=True)):
            with self.block(f"{'if' if n == 0 else 'elif'} {index} == {n}:"):
                if found in records:
                    record = self.fresh("rec")
                    self.value(branch, keep, record, names, depth + 1)
                    self.line(f"{target} = ({self.fullname(found)!r}, {record})")
                else:
                    self.value(branch, keep, target, names, depth + 1)
        with self.block("else:"):
            self.line("raise Unreadable('no such union branch')")
        return None

    def _named(self, node: Any, names: dict[str, Any]) -> Any:
        """`node`, or the named type it refers to (declared before, as Avro requires)."""
        if isinstance(node, str):
            return self.named(node, names)
        return node
