"""Every top-level record and the domain types it maps, one module per area."""

from __future__ import annotations

from typing import Any

from raas.codec.records.commands import COMMAND, TENANT_COMMAND
from raas.codec.records.deadletter import DEAD_LETTER
from raas.codec.records.dimona import DIMONA_DECLARATION, DIMONA_MUTATION
from raas.codec.records.notifications import NOTIFICATION
from raas.codec.records.record import AvroDict, Record
from raas.codec.records.register import INSZ_STATE
from raas.codec.records.results import COMMAND_RESULT
from raas.codec.records.sources import INSZ_REPLACEMENT, PERSON_IDENTITY, REPLACEMENT_STEP
from raas.codec.records.tenants import TENANT_CONFIG

RECORDS: tuple[Record[Any], ...] = (
    TENANT_CONFIG,
    COMMAND,
    TENANT_COMMAND,
    COMMAND_RESULT,
    NOTIFICATION,
    PERSON_IDENTITY,
    INSZ_REPLACEMENT,
    DIMONA_DECLARATION,
    DIMONA_MUTATION,
    DEAD_LETTER,
    INSZ_STATE,
    REPLACEMENT_STEP,
)
BY_NAME: dict[str, Record[Any]] = {record.name: record for record in RECORDS}
BY_TYPE: dict[type, Record[Any]] = {t: record for record in RECORDS for t in record.types}

__all__ = [
    "BY_NAME",
    "BY_TYPE",
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
    "AvroDict",
    "Record",
]
