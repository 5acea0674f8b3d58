"""A person's identity as an authentic source gives it, and the rules comparing identities.

Names are compared ignoring case, accents, spaces, hyphens and apostrophes. A claimed first name
matches the person's first names when it equals all of them or any single one (our choice: a
tenant often knows only the usual first name). Birth date and sex must be equal.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from raas.domain.birthdates import BirthDate
from raas.domain.insz import InszKind
from raas.domain.sex import Sex

__all__ = [
    "FieldChange",
    "IdentityClaim",
    "PersonIdentity",
    "Sex",
    "diff_identity",
    "match_identity",
    "normalise_name",
]

_IGNORED = frozenset(" -'\u2019\u2018`\t")


@dataclass(frozen=True, slots=True)
class PersonIdentity:
    """One snapshot of a person in the RN or the BIS register (`source`)."""

    insz: str
    last_name: str
    first_names: str
    birth_date: BirthDate
    sex: Sex
    birth_place: str | None
    nationality: str | None
    address: str | None
    civil_state: str | None
    death_date: date | None
    source: InszKind
    event_id: str
    timestamp: datetime


@dataclass(frozen=True, slots=True)
class IdentityClaim:
    """Identity data a tenant sends with a command, to be matched; each part optional."""

    last_name: str | None = None
    first_name: str | None = None
    birth_date: BirthDate | None = None
    sex: Sex | None = None


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: str | None
    new: str | None


def normalise_name(name: str) -> str:
    """Casefolded, without accents, spaces, hyphens or apostrophes."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in _IGNORED)


def _first_name_matches(claimed: str, first_names: str) -> bool:
    wanted = normalise_name(claimed)
    candidates = {normalise_name(first_names), *(normalise_name(n) for n in first_names.split())}
    return wanted in candidates


def match_identity(claim: IdentityClaim, person: PersonIdentity) -> tuple[str, ...]:
    """The names of the claimed fields that differ from the person; empty when all match."""
    differing: list[str] = []
    if claim.last_name is not None and normalise_name(claim.last_name) != normalise_name(
        person.last_name
    ):
        differing.append("last_name")
    if claim.first_name is not None and not _first_name_matches(
        claim.first_name, person.first_names
    ):
        differing.append("first_name")
    if claim.birth_date is not None and claim.birth_date != person.birth_date:
        differing.append("birth_date")
    if claim.sex is not None and claim.sex != person.sex:
        differing.append("sex")
    return tuple(differing)


_COMPARED = (
    "last_name",
    "first_names",
    "birth_date",
    "sex",
    "birth_place",
    "nationality",
    "address",
    "civil_state",
    "death_date",
    "source",
)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def diff_identity(old: PersonIdentity | None, new: PersonIdentity) -> tuple[FieldChange, ...]:
    """Which identity fields changed from `old` to `new` (all set fields when `old` is None)."""
    changes: list[FieldChange] = []
    for name in _COMPARED:
        before = _text(getattr(old, name)) if old is not None else None
        after = _text(getattr(new, name))
        if before != after:
            changes.append(FieldChange(name, before, after))
    return tuple(changes)
