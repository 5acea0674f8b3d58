"""A person's identity as the National Register or the BIS register publishes it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from raas.domain.birthdates import BirthDate
from raas.domain.identifiers import event_id_for
from raas.domain.insz import parse_insz
from raas.domain.persons import PersonIdentity
from raas.domain.sex import Sex


def person(
    insz: str,
    last_name: str,
    first_names: str,
    birth_date: BirthDate | None = None,
    sex: Sex | None = None,
    *,
    birth_place: str | None = None,
    nationality: str | None = None,
    address: str | None = None,
    civil_state: str | None = None,
    death_date: date | None = None,
) -> PersonIdentity:
    """A full identity snapshot; birth date, sex and source default to what the INSZ says."""
    number = parse_insz(insz)
    now = datetime.now(UTC)
    return PersonIdentity(
        insz=number.number,
        last_name=last_name,
        first_names=first_names,
        birth_date=birth_date or number.birth_date,
        sex=sex or number.sex or Sex.U,
        birth_place=birth_place,
        nationality=nationality,
        address=address,
        civil_state=civil_state,
        death_date=death_date,
        source=number.kind,
        event_id=event_id_for("person", number.number, now.isoformat()),
        timestamp=now,
    )
