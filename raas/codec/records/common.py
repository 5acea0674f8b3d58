"""The named types records share: periods, birth dates, lines, details, identity fields."""

from __future__ import annotations

from raas.codec.records.record import AvroDict
from raas.domain.birthdates import BirthDate
from raas.domain.codes import Severity
from raas.domain.periods import Period
from raas.domain.persons import FieldChange, IdentityClaim, Sex
from raas.domain.results import Detail, RegisterLine


def period_to(period: Period) -> AvroDict:
    return {"begin": period.begin, "end": period.end}


def period_from(datum: AvroDict) -> Period:
    return Period(datum["begin"], datum["end"])


def optional_period_to(period: Period | None) -> AvroDict | None:
    return None if period is None else period_to(period)


def optional_period_from(datum: AvroDict | None) -> Period | None:
    return None if datum is None else period_from(datum)


def birth_date_to(birth_date: BirthDate) -> AvroDict:
    return {"value": str(birth_date)}


def birth_date_from(datum: AvroDict) -> BirthDate:
    return BirthDate.parse(datum["value"])


def optional_birth_date_to(birth_date: BirthDate | None) -> AvroDict | None:
    return None if birth_date is None else birth_date_to(birth_date)


def optional_birth_date_from(datum: AvroDict | None) -> BirthDate | None:
    return None if datum is None else birth_date_from(datum)


def optional_sex_from(symbol: str | None) -> Sex | None:
    return None if symbol is None else Sex(symbol)


def identity_claim_to(claim: IdentityClaim) -> AvroDict:
    return {
        "last_name": claim.last_name,
        "first_name": claim.first_name,
        "birth_date": optional_birth_date_to(claim.birth_date),
        "sex": claim.sex,
    }


def identity_claim_from(datum: AvroDict) -> IdentityClaim:
    return IdentityClaim(
        last_name=datum["last_name"],
        first_name=datum["first_name"],
        birth_date=optional_birth_date_from(datum["birth_date"]),
        sex=optional_sex_from(datum["sex"]),
    )


def line_to(line: RegisterLine) -> AvroDict:
    return {
        "tenant": line.tenant,
        "insz": line.insz,
        "type_dossier": line.type_dossier,
        "period": period_to(line.period),
    }


def line_from(datum: AvroDict) -> RegisterLine:
    return RegisterLine(
        datum["tenant"], datum["insz"], datum["type_dossier"], period_from(datum["period"])
    )


def detail_to(detail: Detail) -> AvroDict:
    return {
        "severity": detail.severity.name,
        "code": detail.code,
        "message": detail.message,
        "field": detail.field,
    }


def detail_from(datum: AvroDict) -> Detail:
    return Detail(Severity[datum["severity"]], datum["code"], datum["message"], datum["field"])


def change_to(change: FieldChange) -> AvroDict:
    return {"field": change.field, "old": change.old, "new": change.new}


def change_from(datum: AvroDict) -> FieldChange:
    return FieldChange(datum["field"], datum["old"], datum["new"])
