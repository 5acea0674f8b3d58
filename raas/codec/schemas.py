"""The `.avsc` files in `avro/`, read once: named types, top-level records and their history.

Layout, the wire contract:

- `avro/<Record>.avsc`: one file per top-level record, the current version;
- `avro/types/<Name>.avsc`: named types the records share, each defined once;
- `avro/history/<Record>/<n>.avsc`: every released version `n` of a record, self-contained.

A record's *expanded* form inlines every named type at its first use (what a schema registry
stores). Its fingerprint is the SHA-256 of its Parsing Canonical Form, which ignores docs and
defaults: two schemas with one fingerprint write the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from fastavro import parse_schema
from fastavro.schema import to_parsing_canonical_form

# `raas/avro` is a symlink to the top-level `avro/` in the repository; a wheel holds a copy of it.
AVRO_DIR = Path(__file__).resolve().parent.parent / "avro"
NAMESPACE = "be.raas"
_PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
_NAMED = frozenset({"record", "error", "enum", "fixed"})

JsonSchema = Any  # a schema as JSON: a dict, a list (union) or a type name


class SchemaFileError(ValueError):
    """An `.avsc` file is malformed or references a type no file defines."""


def fullname(name: str) -> str:
    return name if "." in name else f"{NAMESPACE}.{name}"


def fingerprint(schema: JsonSchema) -> str:
    """SHA-256 of the Parsing Canonical Form: equal for schemas that write the same bytes."""
    canonical = to_parsing_canonical_form(schema)
    return hashlib.sha256(canonical.encode()).hexdigest()


def expand(schema: JsonSchema, definitions: dict[str, JsonSchema]) -> JsonSchema:
    """`schema` with every named type it references inlined at its first use."""
    return _inline(schema, definitions, set())


def _inline(node: JsonSchema, definitions: dict[str, JsonSchema], seen: set[str]) -> JsonSchema:
    if isinstance(node, list):
        return [_inline(branch, definitions, seen) for branch in node]
    if isinstance(node, str):
        if node in _PRIMITIVES or fullname(node) in seen:
            return node if node in _PRIMITIVES else fullname(node)
        if fullname(node) not in definitions:
            raise SchemaFileError(f"no .avsc file defines {node!r}")
        return _inline(definitions[fullname(node)], definitions, seen)
    kind = node["type"]
    if kind in _NAMED:
        seen.add(_qualified(node))
        if "fields" not in node:
            return dict(node)
        fields = [{**f, "type": _inline(f["type"], definitions, seen)} for f in node["fields"]]
        return {**node, "fields": fields}
    if kind == "array":
        return {**node, "items": _inline(node["items"], definitions, seen)}
    if kind == "map":
        return {**node, "values": _inline(node["values"], definitions, seen)}
    return {**node, "type": _inline(kind, definitions, seen)}


def _qualified(node: dict[str, Any]) -> str:
    name: str = node["name"]
    return name if "." in name else f"{node.get('namespace', NAMESPACE)}.{name}"


@dataclass(frozen=True)
class RecordSchema:
    """One version of one top-level record."""

    name: str  # short name, e.g. "Command"
    version: int | None  # the released version, None for the working copy in avro/
    expanded: JsonSchema

    @property
    def fullname(self) -> str:
        return fullname(self.name)

    @cached_property
    def parsed(self) -> Any:
        """The fastavro-parsed schema, parsed once."""
        return parse_schema(self.expanded)

    @cached_property
    def fingerprint(self) -> str:
        return fingerprint(self.expanded)

    @cached_property
    def text(self) -> str:
        """The expanded schema as compact JSON, as sent to a schema registry."""
        return json.dumps(self.expanded, separators=(",", ":"))


class Catalogue:
    """Every record of an `avro/` directory: the current versions and the released history."""

    def __init__(self, root: Path = AVRO_DIR) -> None:
        self.root = root
        definitions: dict[str, JsonSchema] = {}
        for path in sorted(root.glob("*.avsc")) + sorted((root / "types").glob("*.avsc")):
            schema = _read(path)
            definitions[_qualified(schema)] = schema
        names = [p.stem for p in sorted(root.glob("*.avsc"))]
        self.current: dict[str, RecordSchema] = {
            name: RecordSchema(name, None, expand(definitions[fullname(name)], definitions))
            for name in names
        }

    @cached_property
    def history(self) -> dict[str, tuple[RecordSchema, ...]]:
        """Released versions per record name, oldest first."""
        found: dict[str, tuple[RecordSchema, ...]] = {}
        for folder in sorted(p for p in (self.root / "history").glob("*") if p.is_dir()):
            versions = sorted(int(p.stem) for p in folder.glob("*.avsc") if p.stem.isdigit())
            found[folder.name] = tuple(
                RecordSchema(folder.name, n, _read(folder / f"{n}.avsc")) for n in versions
            )
        return found

    def released(self, name: str) -> tuple[RecordSchema, ...]:
        return self.history.get(name, ())

    def record(self, name: str) -> RecordSchema:
        short = name.removeprefix(f"{NAMESPACE}.")
        if short not in self.current:
            raise KeyError(f"no record {name!r} in {self.root}")
        return self.current[short]

    def __iter__(self) -> Iterator[RecordSchema]:
        return iter(self.current.values())


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise SchemaFileError(f"{path}: {exc}") from exc
