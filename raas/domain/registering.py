"""The decisions for Register, Delete and Consult on one INSZ's lines.

Each returns (the INSZ acted on or None, the details, the new periods of the concerned
(tenant, TypeDossier) or None when the lines do not change).
"""

from __future__ import annotations

from collections.abc import Callable

from raas.domain import codes
from raas.domain.checks import (
    check_identity,
    check_insz,
    check_known,
    check_period,
    check_replaced,
    check_type_dossier,
)
from raas.domain.commands import Consult, Delete, Register
from raas.domain.lines import lines_of, periods_of
from raas.domain.periods import Period, covers, cut_out, merge_into
from raas.domain.persons import PersonIdentity
from raas.domain.results import Detail, RegisterLine, detail
from raas.domain.tenants import TenantConfig

Change = tuple[int, tuple[Period, ...]]
Decision = tuple[str | None, tuple[Detail, ...], Change | None]


def _admit(
    current: str,
    asked: str,
    person: PersonIdentity | None,
    later: tuple[Callable[[], tuple[Detail, ...]], ...],
) -> tuple[str | None, tuple[Detail, ...], bool]:
    """Run the checks in order, stopping at the first refusal: (INSZ, details, admitted)."""
    insz, refused = check_insz(asked)
    if insz is None:
        return None, refused, False
    replaced = check_replaced(insz, current)
    refused = check_known(person, current)
    for check in later:
        if refused:
            break
        refused = check()
    return current, (*replaced, *refused), not refused


def decide_register(
    current: str,
    lines: tuple[RegisterLine, ...],
    command: Register,
    tenant: str,
    config: TenantConfig | None,
    person: PersonIdentity | None,
) -> Decision:
    """Merge the period into the lines of (tenant, TypeDossier); covered means unchanged."""
    insz, details, admitted = _admit(
        current,
        command.insz,
        person,
        (
            lambda: check_type_dossier(config, command.type_dossier),
            lambda: check_period(command.period),
            lambda: check_identity(command.identity, person) if person else (),
        ),
    )
    if not admitted:
        return insz, details, None
    existing = periods_of(lines, tenant, command.type_dossier)
    if covers(existing, command.period):
        return insz, (*details, detail(codes.ALREADY_REGISTERED)), None
    merged = merge_into(existing, command.period)
    code = codes.LINE_REGISTERED if len(merged) == len(existing) + 1 else codes.LINES_MERGED
    return insz, (*details, detail(code)), (command.type_dossier, merged)


def decide_delete(
    current: str,
    lines: tuple[RegisterLine, ...],
    command: Delete,
    tenant: str,
    config: TenantConfig | None,
    person: PersonIdentity | None,
) -> Decision:
    """Cut the period (or everything) out of (tenant, TypeDossier); absent means a warning."""
    existing = periods_of(lines, tenant, command.type_dossier)
    insz, details, admitted = _admit(
        current,
        command.insz,
        person,
        (
            lambda: check_type_dossier(config, command.type_dossier, held=bool(existing)),
            lambda: check_period(command.period),
        ),
    )
    if not admitted:
        return insz, details, None
    remaining = () if command.period is None else cut_out(existing, command.period)
    if remaining == existing:
        return insz, (*details, detail(codes.NOTHING_TO_DELETE)), None
    return insz, (*details, detail(codes.LINES_DELETED)), (command.type_dossier, remaining)


def decide_consult(
    current: str,
    lines: tuple[RegisterLine, ...],
    command: Consult,
    tenant: str,
    config: TenantConfig | None,
    person: PersonIdentity | None,
) -> Decision:
    """Never changes anything; says whether own lines match the filter."""
    held = command.type_dossier is not None and bool(lines_of(lines, tenant, command.type_dossier))
    insz, details, admitted = _admit(
        current,
        command.insz,
        person,
        (
            lambda: check_type_dossier(config, command.type_dossier, held=held),
            lambda: check_period(command.period),
        ),
    )
    if not admitted:
        return insz, details, None
    found = lines_of(lines, tenant, command.type_dossier, command.period)
    return insz, (*details, detail(codes.LINES_FOUND if found else codes.NO_LINES_FOUND)), None
