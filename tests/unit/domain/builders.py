"""Small builders for domain tests: people, tenants, commands, days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from raas.domain.birthdates import BirthDate
from raas.domain.commands import Consult, Delete, Register
from raas.domain.insz import InszKind
from raas.domain.periods import Period
from raas.domain.persons import IdentityClaim, PersonIdentity, Sex
from raas.domain.tenants import DossierType, TenantConfig

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
JAN_FIRST = date(2024, 1, 1)
MAN = "85073003328"
WOMAN = "75060898009"
BIS_WOMAN = "75460898095"
TENANT = "0403019261"
OTHER_TENANT = "1000000021"


def day(n: int) -> date:
    """Day `n` counted from 2024-01-01 (day 0)."""
    return JAN_FIRST + timedelta(days=n)


def period(begin: int, end: int | None) -> Period:
    return Period(day(begin), None if end is None else day(end))


def person(insz: str = MAN, **changes: object) -> PersonIdentity:
    values: dict[str, object] = {
        "insz": insz,
        "last_name": "Van den Broeck",
        "first_names": "Jean-Pierre Marie",
        "birth_date": BirthDate(1985, 7, 30),
        "sex": Sex.M,
        "birth_place": "Gent",
        "nationality": "BE",
        "address": "Kerkstraat 1, 9000 Gent",
        "civil_state": "single",
        "death_date": None,
        "source": InszKind.RN,
        "event_id": "rn-1",
        "timestamp": NOW,
    }
    values.update(changes)
    return PersonIdentity(**values)  # type: ignore[arg-type]


def config(
    kbo: str = TENANT, codes: tuple[int, ...] = (1, 2), dimona: bool = False
) -> TenantConfig:
    return TenantConfig(
        kbo=kbo,
        name=f"tenant {kbo}",
        dossier_types=tuple(DossierType(c, f"type {c}") for c in codes),
        dimona_authorized=dimona,
        dimona_subscribed=dimona,
        event_id=f"cfg-{kbo}",
        timestamp=NOW,
    )


def register(
    request_id: str,
    span: Period,
    *,
    insz: str = MAN,
    type_dossier: int = 1,
    identity: IdentityClaim | None = None,
) -> Register:
    return Register(request_id, f"ref-{request_id}", insz, type_dossier, span, identity)


def delete(
    request_id: str, span: Period | None = None, *, insz: str = MAN, type_dossier: int = 1
) -> Delete:
    return Delete(request_id, None, insz, type_dossier, span)


def consult(
    request_id: str,
    *,
    insz: str = MAN,
    type_dossier: int | None = None,
    span: Period | None = None,
) -> Consult:
    return Consult(request_id, None, insz, type_dossier, span)
