"""The one error the codec raises, with a machine-readable reason."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why bytes could not be turned into a record (or a record into bytes)."""

    NO_VALUE = "NO_VALUE"  # a null value (tombstone) where a record was expected
    BAD_MAGIC = "BAD_MAGIC"  # first byte is not the Confluent magic byte 0
    TRUNCATED = "TRUNCATED"  # fewer bytes than the header or the Avro body needs
    UNKNOWN_SCHEMA_ID = "UNKNOWN_SCHEMA_ID"  # the schema id is in no id table or registry
    SCHEMA_MISMATCH = "SCHEMA_MISMATCH"  # writer schema is another record, or cannot be resolved
    INVALID_VALUE = "INVALID_VALUE"  # decodes as Avro, but is no valid record (or trailing bytes)
    UNKNOWN_RECORD = "UNKNOWN_RECORD"  # asked for a record or a type the codec does not know


class CodecError(ValueError):
    """Bytes are not a record we can read, or an object is not one we can write.

    `reason` says which way it failed; the message says what exactly.
    """

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(f"{reason.value}: {message}")
        self.reason = reason
        self.detail = message
