"""The schemas in the registry: filled from the id table, so the registry's ids are the table's.

How the ids agree. The committed table `avro/schema-ids.json` stays the source of the ids: the
codec writes them without a registry, and they are append-only. Apicurio's Confluent API
(`/apis/ccompat/v7`) names a schema by its *content id*, and Apicurio hands out content ids one
by one, from 1, to each new content. So `fill_registry` gives the registry every released version
(`avro/history/<Record>/<n>.avsc`) in the order of its id, each as a new version of the subject
named after its record (RecordNameStrategy): on a fresh registry the n-th content is content id
n, the id the table gave it. Before each entry it asks the registry for the entry's id: an id
already there must hold that very schema (same Parsing Canonical Form fingerprint), and a new
registration must come back with the table's id. Anything else (a registry that someone else
filled, a hole in the table) stops `raas stack up` with the id and the record that disagree:
never a registry that decodes an id to another schema than the codec wrote it with.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from raas.codec.ids import IdEntry
from raas.codec.schemas import Catalogue, RecordSchema, fingerprint
from raas.stack import StackError

GROUP = "default"  # the group Apicurio's Confluent API reads its subjects from


class RegistryUnavailable(StackError):
    """The registry does not answer."""


class IdMismatch(StackError):
    """The registry's ids and the id table disagree."""


class RegistryApi(Protocol):
    """The two calls filling the registry takes."""

    def schema_by_id(self, schema_id: int) -> str | None:
        """The schema text the Confluent API gives for `schema_id`; None when it has none."""
        ...

    def add_version(self, subject: str, text: str) -> int:
        """Add `text` as the newest version of `subject`; return its Confluent (content) id."""
        ...


class ApicurioApi:
    """Apicurio Registry 2.x over HTTP: its own v2 API and its Confluent-compatible API."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _call(
        self, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        request = urllib.request.Request(
            self.base_url + path,
            data=body,
            method="POST" if body is not None else "GET",
            headers=headers or {},
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return json.loads(response.read())

    def version(self) -> str | None:
        """The registry's version; None when it does not answer (yet)."""
        try:
            info = self._call("/apis/registry/v2/system/info")
        except (OSError, ValueError):
            return None
        return str(info.get("version")) if isinstance(info, dict) else None

    def schema_by_id(self, schema_id: int) -> str | None:
        try:
            found = self._call(f"/apis/ccompat/v7/schemas/ids/{schema_id}")
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise RegistryUnavailable(f"{self.base_url} answered {exc.code}: {exc.reason}") from exc
        except (OSError, ValueError) as exc:
            raise RegistryUnavailable(f"the schema registry at {self.base_url}: {exc}") from exc
        return str(found["schema"])

    def add_version(self, subject: str, text: str) -> int:
        # The subject's first version creates the artifact; later ones are posted to it. Never
        # `ifExists=UPDATE`: that tries a create first, and the content id it drew is lost.
        artifacts = f"/apis/registry/v2/groups/{GROUP}/artifacts"
        headers = {"Content-Type": "application/json", "X-Registry-ArtifactType": "AVRO"}
        try:
            if self._exists(f"{artifacts}/{subject}/meta"):
                created = self._call(f"{artifacts}/{subject}/versions", text.encode(), headers)
            else:
                headers["X-Registry-ArtifactId"] = subject
                created = self._call(artifacts, text.encode(), headers)
        except (OSError, ValueError) as exc:
            raise RegistryUnavailable(f"the schema registry at {self.base_url}: {exc}") from exc
        return int(created["contentId"])

    def _exists(self, path: str) -> bool:
        try:
            self._call(path)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return False
            raise
        return True


@dataclass(frozen=True)
class Filled:
    present: int  # entries the registry already held under their ids
    registered: int  # entries registered now

    @property
    def total(self) -> int:
        return self.present + self.registered


def released_schema(catalogue: Catalogue, entry: IdEntry) -> RecordSchema:
    """The released version `entry` names, from avro/history/."""
    short = entry.record.rsplit(".", 1)[-1]
    for schema in catalogue.released(short):
        if schema.version == entry.version:
            return schema
    raise IdMismatch(f"id {entry.id}: {short} version {entry.version} is not in avro/history/")


def fill_registry(api: RegistryApi, catalogue: Catalogue, table: tuple[IdEntry, ...]) -> Filled:
    """Give the registry every released version under its id of the table, in id order."""
    present = registered = 0
    for entry in sorted(table):
        found = api.schema_by_id(entry.id)
        if found is not None:
            check_same_schema(entry, found)
            present += 1
            continue
        got = api.add_version(entry.record, released_schema(catalogue, entry).text)
        if got != entry.id:
            raise IdMismatch(
                f"the registry gave {entry.record} version {entry.version} id {got}, the id table "
                f"avro/schema-ids.json gives it {entry.id}: the registry holds schemas the table "
                "does not know; start it afresh on an empty data directory"
            )
        registered += 1
    return Filled(present, registered)


def check_same_schema(entry: IdEntry, found: str) -> None:
    """The registry's schema for `entry.id` must be the one the table gave that id."""
    try:
        parsed = json.loads(found)
        same = isinstance(parsed, dict) and fingerprint(parsed) == entry.fingerprint
    except ValueError:
        same = False
    if not same:
        raise IdMismatch(
            f"the registry's schema {entry.id} is not {entry.record} version {entry.version}, "
            "which the id table avro/schema-ids.json gives that id; start the registry afresh "
            "on an empty data directory"
        )
