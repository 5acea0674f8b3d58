"""Deterministic identifiers: a record written twice after a crash carries the same id."""

from __future__ import annotations

import uuid

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:raas")
_TICKETS = uuid.uuid5(_NAMESPACE, "ticket")


def ticket_for(tenant: str, request_id: str) -> str:
    """Our name for a processed command, from (tenant, request_id)."""
    return str(uuid.uuid5(_TICKETS, f"{tenant}\x1f{request_id}"))


def event_id_for(*parts: str) -> str:
    """An event id derived from its cause, e.g. (tenant, request_id, "result")."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(parts)))
