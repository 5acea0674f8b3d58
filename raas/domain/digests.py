"""A stable digest of a command's content, to tell a repeated request from a reused request id.

The digest is SHA-256 over a canonical text of the command (its kind, then every field but the
request id, in declaration order, nested records included, dates in ISO form), cut to 16 bytes.
It depends on nothing but the content: not on Python's `hash()` (salted per process), not on the
Avro encoding, so it is the same in every worker and after every upgrade that keeps the fields.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from enum import Enum

from raas.domain.commands import Command
from raas.domain.fieldnames import field_names

DIGEST_BYTES = 16


def digest_of(command: Command) -> bytes:
    """16 bytes that differ, but for a 2^-64 chance, when any field but the request id differs."""
    canonical = json.dumps(
        [type(command).__name__, _canonical(command, skip="request_id")],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).digest()[:DIGEST_BYTES]


def _canonical(value: object, skip: str = "") -> object:
    if isinstance(value, Enum):
        return value.value
    names = field_names(value)
    if names is not None:
        return [_canonical(getattr(value, name)) for name in names if name != skip]
    if isinstance(value, date):
        return value.isoformat()
    return value
