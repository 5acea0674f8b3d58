"""Deterministic identifiers: a record written twice after a crash carries the same id.

Ids are name-based UUIDs (version 5, RFC 4122: SHA-1 of a namespace and a name), as
`uuid.uuid5` makes them. `_uuid5` builds the same text without a `uuid.UUID` object: the
worker makes three per command, and the object's checks cost more than the hash.
"""

from __future__ import annotations

import uuid
from hashlib import sha1

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:raas").bytes
_TICKETS = uuid.uuid5(uuid.UUID(bytes=_NAMESPACE), "ticket").bytes


def ticket_for(tenant: str, request_id: str) -> str:
    """Our name for a processed command, from (tenant, request_id)."""
    return _uuid5(_TICKETS, f"{tenant}\x1f{request_id}")


def event_id_for(*parts: str) -> str:
    """An event id derived from its cause, e.g. (tenant, request_id, "result")."""
    return _uuid5(_NAMESPACE, "\x1f".join(parts))


def _uuid5(namespace: bytes, name: str) -> str:
    """`str(uuid.uuid5(UUID(bytes=namespace), name))`: the first 16 bytes of the hash with the
    version (5) in the high nibble of byte 6 and the variant (0b10) in the top bits of byte 8."""
    digest = bytearray(sha1(namespace + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
