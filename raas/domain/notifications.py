"""What a tenant is told when an authentic source changes a person it knows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from raas.domain.identifiers import event_id_for
from raas.domain.persons import FieldChange, PersonIdentity, diff_identity
from raas.domain.results import RegisterLine


@dataclass(frozen=True, slots=True)
class IdentityChanged:
    tenant: str
    insz: str
    changes: tuple[FieldChange, ...]
    event_id: str
    timestamp: datetime


@dataclass(frozen=True, slots=True)
class InszReplaced:
    """`lines` are the tenant's lines on the new INSZ after the move."""

    tenant: str
    old_insz: str
    new_insz: str
    lines: tuple[RegisterLine, ...]
    event_id: str
    timestamp: datetime


Notification = IdentityChanged | InszReplaced


def notify_identity_change(
    old: PersonIdentity | None, new: PersonIdentity, tenants: Iterable[str], *, now: datetime
) -> tuple[IdentityChanged, ...]:
    """One notification per tenant that knows the person, when any field changed."""
    changes = diff_identity(old, new)
    if not changes:
        return ()
    return tuple(
        IdentityChanged(tenant, new.insz, changes, event_id_for(new.event_id, tenant), now)
        for tenant in sorted(set(tenants))
    )
