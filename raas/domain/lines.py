"""The lines of one INSZ's register, grouped by (tenant, TypeDossier)."""

from __future__ import annotations

from collections.abc import Iterable

from raas.domain.periods import Period, overlaps
from raas.domain.results import RegisterLine


def periods_of(lines: Iterable[RegisterLine], tenant: str, type_dossier: int) -> tuple[Period, ...]:
    """The periods of one (tenant, TypeDossier), sorted."""
    return tuple(
        sorted(
            line.period
            for line in lines
            if line.tenant == tenant and line.type_dossier == type_dossier
        )
    )


def lines_of(
    lines: Iterable[RegisterLine],
    tenant: str,
    type_dossier: int | None = None,
    period: Period | None = None,
) -> tuple[RegisterLine, ...]:
    """A tenant's lines, optionally only one TypeDossier and those overlapping `period`."""
    return tuple(
        sorted(
            line
            for line in lines
            if line.tenant == tenant
            and (type_dossier is None or line.type_dossier == type_dossier)
            and (period is None or overlaps(line.period, period))
        )
    )


def with_periods(
    lines: Iterable[RegisterLine],
    tenant: str,
    insz: str,
    type_dossier: int,
    periods: Iterable[Period],
) -> tuple[RegisterLine, ...]:
    """`lines` with the lines of (tenant, TypeDossier) replaced by `periods`, all on `insz`."""
    others = [
        line for line in lines if not (line.tenant == tenant and line.type_dossier == type_dossier)
    ]
    mine = [RegisterLine(tenant, insz, type_dossier, p) for p in periods]
    return tuple(sorted([*others, *mine]))


def tenants_of(lines: Iterable[RegisterLine]) -> tuple[str, ...]:
    """The tenants holding at least one line, sorted."""
    return tuple(sorted({line.tenant for line in lines}))


def groups_of(lines: Iterable[RegisterLine]) -> tuple[tuple[str, int], ...]:
    """The (tenant, TypeDossier) pairs present, sorted."""
    return tuple(sorted({(line.tenant, line.type_dossier) for line in lines}))
