"""The commands a tenant sends. A command carries no tenant: it comes from the topic name."""

from __future__ import annotations

from dataclasses import dataclass

from raas.domain.birthdates import BirthDate
from raas.domain.periods import Period
from raas.domain.persons import IdentityClaim
from raas.domain.sex import Sex


@dataclass(frozen=True, slots=True)
class Register:
    request_id: str
    reference: str | None
    insz: str
    type_dossier: int
    period: Period
    identity: IdentityClaim | None = None


@dataclass(frozen=True, slots=True)
class Delete:
    request_id: str
    reference: str | None
    insz: str
    type_dossier: int
    period: Period | None = None


@dataclass(frozen=True, slots=True)
class Consult:
    request_id: str
    reference: str | None
    insz: str
    type_dossier: int | None = None
    period: Period | None = None


@dataclass(frozen=True, slots=True)
class CreateBis:
    request_id: str
    reference: str | None
    last_name: str
    first_names: str
    birth_date: BirthDate
    sex: Sex
    birth_place: str | None = None
    address: str | None = None
    confirm_distinct: bool = False


@dataclass(frozen=True, slots=True)
class UpdateBisIdentity:
    request_id: str
    reference: str | None
    insz: str
    last_name: str | None = None
    first_names: str | None = None
    birth_date: BirthDate | None = None
    sex: Sex | None = None
    birth_place: str | None = None
    address: str | None = None


Command = Register | Delete | Consult | CreateBis | UpdateBisIdentity
RegisterCommand = Register | Delete | Consult
