"""Dimona declarations and the rule deciding which tenants receive them.

A tenant receives a declaration only when it is authorised and subscribed, and
- the employment period overlaps one of its register lines of the worker's INSZ; or
- (OUT, UPDATE, CANCEL) it received an earlier mutation (the IN) of the same period id.

The stream keeps, per period id, the tenants that received it (`received`), and after routing
updates it with `recipients_after`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from raas.domain.identifiers import event_id_for
from raas.domain.periods import Period, overlaps
from raas.domain.results import RegisterLine
from raas.domain.tenants import TenantConfig


class DimonaKind(StrEnum):
    IN = "IN"
    OUT = "OUT"
    UPDATE = "UPDATE"
    CANCEL = "CANCEL"


@dataclass(frozen=True, slots=True)
class DimonaDeclaration:
    declaration_id: str
    period_id: str
    kind: DimonaKind
    employer: str
    worker_insz: str
    worker_type: str
    joint_committee: str | None
    begin: date
    end: date | None
    event_id: str
    timestamp: datetime

    @property
    def employment(self) -> Period:
        """The employment period (a reversed one is read as the days between its two dates)."""
        if self.end is not None and self.end < self.begin:
            return Period(self.end, self.begin)
        return Period(self.begin, self.end)


@dataclass(frozen=True, slots=True)
class DimonaMutation:
    tenant: str
    declaration: DimonaDeclaration
    event_id: str
    timestamp: datetime


def route_dimona(
    declaration: DimonaDeclaration,
    lines: Iterable[RegisterLine],
    tenants: Iterable[TenantConfig],
    *,
    received: Collection[str] = (),
    now: datetime,
) -> tuple[DimonaMutation, ...]:
    """The mutations to send: one per receiving tenant, sorted by tenant.

    `lines` are the register lines of the worker's (current) INSZ, `tenants` the configs of
    all tenants (those absent receive nothing), `received` the tenants that received earlier
    mutations of this period id.
    """
    employment = declaration.employment
    overlapping = {line.tenant for line in lines if overlaps(line.period, employment)}
    if declaration.kind is not DimonaKind.IN:
        overlapping |= set(received)
    return tuple(
        DimonaMutation(config.kbo, declaration, event_id_for(declaration.event_id, config.kbo), now)
        for config in sorted(tenants, key=lambda c: c.kbo)
        if config.receives_dimona and config.kbo in overlapping
    )


def recipients_after(
    received: Iterable[str], mutations: Iterable[DimonaMutation]
) -> frozenset[str]:
    """The tenants that received a mutation of this period id, after these mutations."""
    return frozenset(received) | {m.tenant for m in mutations}
