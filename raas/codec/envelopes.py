"""Records of the wire that are not domain types: the internal command envelope, dead letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from raas.domain.commands import Command
from raas.domain.identifiers import event_id_for


def command_event_id(request_id: str) -> str:
    """The event id of a tenant's command is its request id: chosen by the tenant, unique per
    tenant (so per command topic), and the same in a copy sent again."""
    return request_id


@dataclass(frozen=True, slots=True)
class TenantCommand:
    """A command with the tenant whose topic carried it, on the internal INSZ-keyed topic."""

    tenant: str
    command: Command
    event_id: str
    timestamp: datetime

    @classmethod
    def of(cls, tenant: str, command: Command, timestamp: datetime) -> TenantCommand:
        """The envelope the ingress writes; its event id derives from (tenant, request id)."""
        return cls(tenant, command, event_id_for("command", tenant, command.request_id), timestamp)


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A message a consumer could not process, kept whole for inspection and replay."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    reason: str  # a codec Reason, or PROCESSING_ERROR
    error: str
    consumer: str
    event_id: str
    timestamp: datetime
