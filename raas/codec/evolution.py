"""Schema evolution: each record must read data of its released versions, and they its data.

The check is fastavro's own schema resolution on sample data: records generated from the writer
schema (every union branch and enum symbol shows up among them) are written with the writer and
read with the reader. Run by the unit tests and by `raas schemas check`.

To change a record: edit `avro/<Record>.avsc` (or a shared type), run `raas schemas check`, then
`raas schemas release`, which copies it to `avro/history/<Record>/<n>.avsc` and gives it an id.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from fastavro import schemaless_reader, schemaless_writer
from fastavro.utils import generate_many

from raas.codec.ids import ID_TABLE, IdEntry, StaleHistory, derive_table, read_table, write_table
from raas.codec.schemas import Catalogue, RecordSchema

SAMPLES = 200


@dataclass(frozen=True)
class Problem:
    record: str
    message: str

    def __str__(self) -> str:
        return f"{self.record}: {self.message}"


def cannot_read(reader: RecordSchema, writer: RecordSchema, samples: int = SAMPLES) -> str | None:
    """Why `reader` cannot read data written with `writer`; None when it can."""
    state = random.getstate()
    random.seed(f"{writer.fingerprint}:{reader.fingerprint}")
    try:
        for datum in generate_many(writer.parsed, samples):
            buffer = BytesIO()
            schemaless_writer(buffer, writer.parsed, datum)
            buffer.seek(0)
            schemaless_reader(buffer, writer.parsed, reader.parsed)
    except Exception as exc:  # any failure to resolve is the answer, whatever fastavro raises
        return f"{type(exc).__name__}: {exc}"
    finally:
        random.setstate(state)
    return None


def _label(schema: RecordSchema) -> str:
    return "avro/" if schema.version is None else f"version {schema.version}"


def compatibility_problems(catalogue: Catalogue) -> Iterator[Problem]:
    """Each current record against every released version of it, both ways."""
    for current in catalogue:
        for old in catalogue.released(current.name):
            if old.fingerprint == current.fingerprint and old.expanded == current.expanded:
                continue
            for reader, writer in ((current, old), (old, current)):
                why = cannot_read(reader, writer)
                if why:
                    yield Problem(
                        current.name,
                        f"{_label(reader)} cannot read data of {_label(writer)}: {why}",
                    )


def unreleased(catalogue: Catalogue) -> tuple[str, ...]:
    """Records whose avro/ schema is not their latest released version."""
    return tuple(
        schema.name
        for schema in catalogue
        if not catalogue.released(schema.name)
        or catalogue.released(schema.name)[-1].expanded != schema.expanded
    )


def table_problems(catalogue: Catalogue, table: tuple[IdEntry, ...]) -> Iterator[Problem]:
    try:
        derived = derive_table(catalogue, table)
    except StaleHistory as exc:
        yield Problem("schema-ids.json", str(exc))
        return
    for entry in sorted(set(derived) - set(table)):
        message = f"version {entry.version} has no id; run `raas schemas release`"
        yield Problem(entry.record, message)


def check(catalogue: Catalogue, table: tuple[IdEntry, ...]) -> tuple[Problem, ...]:
    """Everything wrong with `avro/`: incompatible changes, unreleased records, a stale table."""
    problems = list(compatibility_problems(catalogue))
    problems += [Problem(name, "changed but not released") for name in unreleased(catalogue)]
    problems += table_problems(catalogue, table)
    return tuple(problems)


def release(catalogue: Catalogue) -> tuple[IdEntry, ...]:
    """Release every changed record as its next version and give it an id; returns new ids.

    Refuses (ValueError) while any change is incompatible.
    """
    incompatible = list(compatibility_problems(catalogue))
    if incompatible:
        raise ValueError("; ".join(map(str, incompatible)))
    for name in unreleased(catalogue):
        folder = catalogue.root / "history" / name
        folder.mkdir(parents=True, exist_ok=True)
        version = len(catalogue.released(name)) + 1
        text = json.dumps(catalogue.record(name).expanded, indent=2)
        (folder / f"{version}.avsc").write_text(text + "\n")
    table_path = catalogue.root / ID_TABLE.name
    table = read_table(table_path)
    derived = derive_table(Catalogue(catalogue.root), table)
    write_table(derived, table_path)
    return tuple(sorted(set(derived) - set(table)))
