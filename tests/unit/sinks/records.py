"""Records the projection reads, built small: results, notifications, mutations, states."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from raas.domain.codes import LINE_REGISTERED
from raas.domain.dimona import DimonaDeclaration, DimonaKind, DimonaMutation
from raas.domain.notifications import IdentityChanged, InszReplaced
from raas.domain.periods import Period
from raas.domain.persons import FieldChange, PersonIdentity
from raas.domain.register import InszState
from raas.domain.results import CommandResult, RegisterLine, detail, result_for
from tests.unit.domain.builders import NOW, person, register


def result(tenant: str, insz: str, n: int, at: datetime = NOW) -> CommandResult:
    """The OK answer to the tenant's n-th Register on `insz`."""
    command = register(f"req-{n}", Period(date(2025, 1, 1) + timedelta(days=n), None), insz=insz)
    line = RegisterLine(tenant, insz, 1, command.period)
    return result_for(command, tenant, insz, (detail(LINE_REGISTERED),), (line,), at)


def identity_changed(
    tenant: str, insz: str, n: int, at: datetime = NOW, new: str | None = None
) -> IdentityChanged:
    change = FieldChange("last_name", "Peeters", new or f"Peeters-{n}")
    return IdentityChanged(tenant, insz, (change,), f"chg-{tenant}-{insz}-{n}", at)


def insz_replaced(tenant: str, old: str, new: str, at: datetime = NOW) -> InszReplaced:
    return InszReplaced(tenant, old, new, (), f"rep-{tenant}-{old}", at)


def mutation(tenant: str, insz: str, n: int, at: datetime = NOW) -> DimonaMutation:
    declaration = DimonaDeclaration(
        declaration_id=f"dcl-{insz}-{n}",
        period_id=f"per-{insz}",
        kind=DimonaKind.IN if n == 0 else DimonaKind.UPDATE,
        employer=tenant,
        worker_insz=insz,
        worker_type="OTH",
        joint_committee=None,
        begin=date(2025, 1, 1),
        end=None,
        event_id=f"dcl-{insz}-{n}",
        timestamp=at,
    )
    return DimonaMutation(tenant, declaration, f"mut-{tenant}-{insz}-{n}", at)


def snapshot(insz: str, last_name: str, at: datetime = NOW) -> PersonIdentity:
    return person(insz, last_name=last_name, timestamp=at, event_id=f"rn-{insz}-{at:%s}")


def state(insz: str, tenants: tuple[str, ...], n: int) -> InszState:
    """`n` lines of each tenant on `insz`, a month each, a month apart."""
    lines = tuple(
        RegisterLine(
            tenant,
            insz,
            1 + i % 2,
            Period(
                date(2024, 1, 1) + timedelta(days=61 * i),
                date(2024, 1, 31) + timedelta(days=61 * i),
            ),
        )
        for tenant in tenants
        for i in range(n)
    )
    return InszState(insz, lines)
