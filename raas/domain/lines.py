"""The lines of one INSZ's register, grouped by (tenant, TypeDossier)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from raas.domain.commands import Command, Consult, Delete, Register
from raas.domain.periods import Period, overlaps
from raas.domain.results import RegisterLine

_DAY = timedelta(days=1)


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


def touched_by(
    command: Command, lines: Iterable[RegisterLine], tenant: str
) -> tuple[RegisterLine, ...]:
    """The lines a result shows, from the lines after its command: what the command touched.

    A Consult: the lines it asks for. A Register: the one line now covering its period. A Delete
    of a period: what is left on either side of it (at most two lines); of everything: none.
    Other commands show no line.
    """
    if isinstance(command, Consult):
        return lines_of(lines, tenant, command.type_dossier, command.period)
    if isinstance(command, Register):
        return lines_of(lines, tenant, command.type_dossier, command.period)
    if isinstance(command, Delete) and command.period is not None:
        return lines_of(lines, tenant, command.type_dossier, _widened(command.period))
    return ()


def _widened(period: Period) -> Period:
    """`period` and the day on either side of it."""
    begin = period.begin - _DAY if period.begin > date.min else period.begin
    end = period.end + _DAY if period.end is not None and period.end < date.max else period.end
    return Period(begin, end)
