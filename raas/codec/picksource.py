"""The reader a picker runs, written as Python source from a writer schema and compiled once.

    read = compile_reader(writer.expanded, {"event_id": KEEP, "command": BRANCH})
    values, end = read(data, 5)  # raises Unreadable, IndexError, ValueError on bad bytes

One straight function per writer schema: each value is read inline, varints too, without a call,
the kept values stored, the others skipped. A reader built of one small
function per value made a hundred calls a result and cost 16 us of the 20 us a record the audit
sink spent (bench/projection_throughput); this one makes a handful. The source holds no text
of the schema but its field names, written as string literals (`repr`), and its enum symbols
and branch labels, passed in as constants; the rest is our own. It never loops without bound:
an array or map may not claim more items than there are bytes left.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping
from typing import Any

from raas.codec.pysource import PySource

KEEP = "keep"
BRANCH = "branch"
Reader = Callable[[bytes, int], tuple[Any, int]]  # (data, position) -> (values, next position)
_NAMED = ("record", "error", "enum", "fixed")
_PRIMITIVES = ("null", "boolean", "int", "long", "float", "double", "bytes", "string")
_MAX_DEPTH = 32  # nesting deeper than this (a recursive type) is not picked


class Unreadable(Exception):
    """The bytes, or the writer schema, cannot be read the picker's way."""


def compile_reader(schema: Any, keep: Mapping[str, Any]) -> Reader:
    """The reader of `keep`'s fields of a record of `schema`; Unreadable if the writer lacks one."""
    source = _Source()
    with source.block("def read(data, pos):"):
        source.value(schema, keep, "values", {}, 0)
        source.line("return values, pos")
    reader: Reader = source.function("read", {"Unreadable": Unreadable}, "<picker>")
    return reader


class _Source(PySource):
    def varint(self, target: str) -> None:
        """`target` = the zig-zag varint at pos, read inline: 7 bits a byte, low ones first."""
        local = target if target.isidentifier() else self.fresh("v")
        self.line(f"{local} = data[pos]")
        self.line("pos += 1")
        with self.block(f"if {local} > 127:"):
            shift, byte = self.fresh("shift"), self.fresh("byte")
            self.line(f"{local} &= 127")
            self.line(f"{shift} = 7")
            with self.block("while True:"):
                self.line(f"{byte} = data[pos]")
                self.line("pos += 1")
                self.line(f"{local} |= ({byte} & 127) << {shift}")
                with self.block(f"if {byte} < 128:"):
                    self.line("break")
                self.line(f"{shift} += 7")
        self.line(f"{local} = ({local} >> 1) ^ -({local} & 1)")
        if local != target:
            self.line(f"{target} = {local}")

    def length(self) -> str:
        size = self.fresh("n")
        self.varint(size)
        with self.block(f"if {size} < 0:"):
            self.line("raise Unreadable('a negative length')")
        return size

    def value(
        self, node: Any, keep: Any, target: str | None, names: dict[str, Any], depth: int
    ) -> None:
        """Read a value of schema `node` into `target`, or skip it when `target` is None."""
        if depth > _MAX_DEPTH:
            raise Unreadable("a schema nested too deep")
        if isinstance(node, list):
            return self.union(node, keep, target, names, depth)
        if isinstance(node, str):
            if node in _PRIMITIVES:
                return self.primitive(node, target)
            named = self.named(node, names)
            if named is None:
                raise Unreadable(f"no type {node!r}")
            return self.value(named, keep, target, names, depth + 1)
        kind = node["type"]
        if kind in _NAMED:
            names[self.fullname(node)] = node
        if kind in ("record", "error"):
            with self.inside(node):
                return self.record(node, keep, target, names, depth)
        if kind in ("array", "map"):
            return self.blocks(node, keep, target, names, depth)
        if kind == "enum":
            index = self.fresh("i")
            self.varint(index)
            with self.block(f"if {index} < 0:"):
                self.line("raise Unreadable('a negative enum index')")
            if target is not None:
                self.line(f"{target} = {self.constant(tuple(node['symbols']))}[{index}]")
            return None
        if kind == "fixed":
            if target is not None:
                self.line(f"{target} = data[pos:pos + {int(node['size'])}]")
            self.line(f"pos += {int(node['size'])}")
            return None
        return self.primitive(kind, target)  # {"type": "long", "logicalType": ...}: plain

    def primitive(self, kind: str, target: str | None) -> None:
        if kind == "null":
            if target is not None:
                self.line(f"{target} = None")
        elif kind in ("int", "long"):
            self.varint(target or self.fresh("skipped"))
        elif kind == "boolean":
            if target is not None:
                self.line(f"{target} = data[pos] != 0")
            self.line("pos += 1")
        elif kind in ("float", "double"):
            form, width = ("<f", 4) if kind == "float" else ("<d", 8)
            if target is not None:
                unpack = self.constant(struct.Struct(form).unpack_from)
                self.line(f"{target} = {unpack}(data, pos)[0]")
            self.line(f"pos += {width}")
        elif kind in ("string", "bytes"):
            size = self.length()
            if target is not None:
                decode = ".decode()" if kind == "string" else ""
                self.line(f"{target} = data[pos:pos + {size}]{decode}")
            self.line(f"pos += {size}")
        else:
            raise Unreadable(f"no type {kind!r}")

    def record(
        self, node: Any, keep: Any, target: str | None, names: dict[str, Any], depth: int
    ) -> None:
        fields = {f["name"] for f in node["fields"]}
        wanted = dict.fromkeys(fields, KEEP) if keep == KEEP else keep
        if not isinstance(wanted, Mapping) or target is None:
            wanted = {}
        if not set(wanted) <= fields:
            raise Unreadable(f"{node['name']} has no {sorted(set(wanted) - fields)}")
        if target is not None:
            self.line(f"{target} = {{}}")
        for field in node["fields"]:
            name = field["name"]
            into = f"{target}[{name!r}]" if name in wanted else None
            self.value(field["type"], wanted.get(name), into, names, depth + 1)

    def union(
        self, branches: list[Any], keep: Any, target: str | None, names: dict[str, Any], depth: int
    ) -> None:
        index = self.fresh("u")
        self.varint(index)
        for n, branch in enumerate(branches):
            with self.block(f"{'if' if n == 0 else 'elif'} {index} == {n}:"):
                if keep == BRANCH and target is not None:
                    self.line(f"{target} = {self.constant(_label(branch))}")
                    self.value(branch, None, None, names, depth + 1)
                else:
                    self.value(branch, keep, target, names, depth + 1)
        with self.block("else:"):
            self.line("raise Unreadable('no such union branch')")

    def blocks(
        self, node: Any, keep: Any, target: str | None, names: dict[str, Any], depth: int
    ) -> None:
        """An array's or a map's blocks: a count, (a size in bytes,) the items; 0 ends them."""
        item = self.fresh("item") if target is not None else None
        if target is not None:
            self.line(f"{target} = []")
        count = self.fresh("c")
        self.varint(count)
        with self.block(f"while {count}:"):
            with self.block(f"if {count} < 0:"):
                self.line(f"{count} = -{count}")
                self.varint(self.fresh("size"))
            with self.block(f"if {count} > len(data) - pos:"):
                self.line("raise Unreadable('more items than bytes left')")
            with self.block(f"for _ in range({count}):"):
                if node["type"] == "map":
                    self.primitive("string", None)
                items = node["items"] if node["type"] == "array" else node["values"]
                self.value(items, keep, item, names, depth + 1)
                if target is not None:
                    self.line(f"{target}.append({item})")
            self.varint(count)


def _label(branch: Any) -> str:
    name = branch if isinstance(branch, str) else branch.get("name", branch["type"])
    return str(name).rsplit(".", 1)[-1]
