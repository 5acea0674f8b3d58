"""Schema ids: from the committed id table, or from a Confluent-compatible schema registry.

The id table `avro/schema-ids.json` gives every released version (`avro/history/<Record>/<n>.avsc`)
an id. Ids are only ever appended: a released version keeps its id for good, so bytes written
anywhere decode anywhere without a registry.

With a registry, subjects follow the RecordNameStrategy: the subject is the record's full name
(`be.raas.Command`). Every `raas.tenant.<KBO>.*` topic of a kind carries the same record, so one
subject per record serves all tenants: a new tenant needs no registration, an encoder needs no
topic, and the registry checks compatibility per record, which is what evolves.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from raas.codec.errors import CodecError, Reason
from raas.codec.schemas import AVRO_DIR, Catalogue, RecordSchema

ID_TABLE = AVRO_DIR / "schema-ids.json"


@dataclass(frozen=True, order=True)
class IdEntry:
    id: int
    record: str  # full name, e.g. be.raas.Command
    version: int
    fingerprint: str  # SHA-256 of the Parsing Canonical Form


class StaleHistory(ValueError):
    """A released schema file no longer matches the fingerprint its id was given for."""


def read_table(path: Path = ID_TABLE) -> tuple[IdEntry, ...]:
    if not path.exists():
        return ()
    return tuple(sorted(IdEntry(**row) for row in json.loads(path.read_text())["schemas"]))


def write_table(entries: tuple[IdEntry, ...], path: Path = ID_TABLE) -> None:
    document = {
        "doc": "Schema ids of the released versions in avro/history/. Append-only; written by "
        "`raas schemas release`.",
        "schemas": [asdict(entry) for entry in entries],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")


def derive_table(catalogue: Catalogue, existing: tuple[IdEntry, ...]) -> tuple[IdEntry, ...]:
    """`existing` plus a new id for every released version it lacks."""
    known = {(e.record, e.version): e for e in existing}
    entries = list(existing)
    next_id = max((e.id for e in existing), default=0) + 1
    for versions in catalogue.history.values():
        for schema in versions:
            assert schema.version is not None
            entry = known.get((schema.fullname, schema.version))
            if entry is None:
                entries.append(
                    IdEntry(next_id, schema.fullname, schema.version, schema.fingerprint)
                )
                next_id += 1
            elif entry.fingerprint != schema.fingerprint:
                raise StaleHistory(
                    f"{schema.name} version {schema.version} was changed after its release "
                    f"as id {entry.id}; released schemas are immutable"
                )
    return tuple(sorted(entries))


class SchemaIds(Protocol):
    """Where schema ids come from."""

    def id_for(self, schema: RecordSchema) -> int:
        """The id to write `schema` under."""
        ...

    def writer_for(self, schema_id: int) -> RecordSchema | None:
        """The schema data with `schema_id` was written with; None when the id is unknown."""
        ...


class LocalIds:
    """Ids from the committed id table."""

    def __init__(self, catalogue: Catalogue, table: tuple[IdEntry, ...]) -> None:
        self._ids = {(e.record, e.fingerprint): e.id for e in table}
        self._writers: dict[int, RecordSchema] = {}
        for entry in table:
            for schema in catalogue.released(entry.record.rsplit(".", 1)[-1]):
                if schema.version == entry.version:
                    self._writers[entry.id] = schema

    def id_for(self, schema: RecordSchema) -> int:
        try:
            return self._ids[(schema.fullname, schema.fingerprint)]
        except KeyError:
            raise CodecError(
                Reason.UNKNOWN_SCHEMA_ID,
                f"{schema.name} in avro/ is not released; run `raas schemas release`",
            ) from None

    def writer_for(self, schema_id: int) -> RecordSchema | None:
        return self._writers.get(schema_id)


class RegistryIds:
    """Ids from a Confluent-compatible schema registry (RecordNameStrategy subjects).

    Registering is idempotent in the registry, so `id_for` registers the schema on first use and
    caches the id. Registry outages raise the client's own errors, not `CodecError`: they are no
    fault of the message and must not dead-letter it.
    """

    def __init__(self, client: Any) -> None:
        self._client = client
        self._ids: dict[str, int] = {}
        self._writers: dict[int, RecordSchema | None] = {}

    def id_for(self, schema: RecordSchema) -> int:
        if schema.text not in self._ids:
            from confluent_kafka.schema_registry import Schema

            found = self._client.register_schema(schema.fullname, Schema(schema.text, "AVRO"))
            self._ids[schema.text] = int(found)
        return self._ids[schema.text]

    def writer_for(self, schema_id: int) -> RecordSchema | None:
        if schema_id not in self._writers:
            self._writers[schema_id] = self._fetch(schema_id)
        return self._writers[schema_id]

    def _fetch(self, schema_id: int) -> RecordSchema | None:
        from confluent_kafka.schema_registry.error import SchemaRegistryError

        try:
            found = self._client.get_schema(schema_id)
        except SchemaRegistryError as exc:
            if exc.http_status_code == 404:
                return None
            raise
        expanded = json.loads(found.schema_str)
        if not isinstance(expanded, dict) or "name" not in expanded:
            return None
        name = str(expanded["name"])
        return RecordSchema(name.rsplit(".", 1)[-1], None, expanded)


def registry_ids(url: str) -> RegistryIds:
    from confluent_kafka.schema_registry import SchemaRegistryClient

    return RegistryIds(SchemaRegistryClient({"url": url}))
