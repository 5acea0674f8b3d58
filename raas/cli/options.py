"""Option parsers shared by the `raas` commands: dates, sex, KBO, dossier types."""

from __future__ import annotations

from datetime import date

import typer

from raas.domain.birthdates import BirthDate, InvalidBirthDate
from raas.domain.kbo import InvalidKbo, parse_kbo
from raas.domain.sex import Sex
from raas.domain.tenants import DossierType


def kbo(value: str) -> str:
    try:
        return parse_kbo(value)
    except InvalidKbo as exc:
        raise typer.BadParameter(f"{value!r} is not a KBO enterprise number: {exc.reason}") from exc


def day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from exc


def birth_date(value: str | None) -> BirthDate | None:
    if value is None:
        return None
    try:
        return BirthDate.parse(value)
    except InvalidBirthDate as exc:
        raise typer.BadParameter(f"{value!r} is not a birth date YYYY-MM-DD: {exc}") from exc


def sex(value: str | None) -> Sex | None:
    if value is None:
        return None
    try:
        return Sex(value.upper())
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r}: sex is M, F or U") from exc


def dossier_type(value: str) -> DossierType:
    code, sep, label = value.partition(":")
    if not sep or not code.strip().isdigit() or int(code) <= 0 or not label.strip():
        raise typer.BadParameter(
            f"{value!r}: a dossier type is CODE:LABEL, CODE a positive integer"
        )
    return DossierType(int(code), label.strip())
