"""Every option of the `raas` commands is parsed and checked here, before anything is sent.

Each function is a typer `parser`: it turns the text of one option into its value, or raises
`typer.BadParameter`, which typer reports as one line, `Invalid value for '--opt': why`, with
exit 2 (usage). Commands take their options from here (`typer.Option(..., parser=options.x)`), so
a value is checked the same way by every command and no command body sees an unchecked value.

What is checked: numbers fit the Avro type they travel in (a TypeDossier is a positive Avro
`int`, 32 bits), seconds are finite and above 0, text encodes as UTF-8 (a lone surrogate, which
the shell hands Python for bytes that are no UTF-8, does not), dates are real calendar days written
YYYY-MM-DD, and KBO and INSZ numbers pass the checks `raas check` makes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import typer

from raas.domain.birthdates import BirthDate, InvalidBirthDate
from raas.domain.insz import InvalidInsz, parse_insz
from raas.domain.kbo import InvalidKbo, parse_kbo
from raas.domain.limits import FIELD_LIMITS
from raas.domain.sex import Sex
from raas.domain.tenants import DossierType

INT32_MAX = 2**31 - 1  # the largest Avro `int`
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIGITS = re.compile(r"[0-9]+")


def _shown(value: object, at_most: int = 60) -> str:
    """The value as the error message quotes it: its repr, cut short when long."""
    quoted = repr(value)
    return quoted if len(quoted) <= at_most else f"{quoted[: at_most - 4]}...{quoted[-1]}"


def kbo(value: str) -> str:
    """A KBO enterprise number, as its 10 digits."""
    try:
        return parse_kbo(text(value))
    except InvalidKbo as exc:
        raise typer.BadParameter(
            f"{_shown(value)} is not a KBO enterprise number: {exc.reason}"
        ) from exc


def insz(value: str) -> str:
    """An INSZ, as its 11 digits."""
    try:
        return parse_insz(text(value)).number
    except InvalidInsz as exc:
        raise typer.BadParameter(f"{_shown(value)} is not an INSZ: {exc.reason}") from exc


def seconds(value: str) -> float:
    """A duration in seconds: a finite number above 0."""
    try:
        number = float(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{_shown(value)} is not a number of seconds") from exc
    if not (math.isfinite(number) and number > 0):
        raise typer.BadParameter(f"{_shown(value)}: seconds must be a finite number above 0")
    return number


def dossier_code(value: str) -> int:
    """A TypeDossier code: a positive whole number that fits an Avro `int`."""
    digits = str(value).strip()
    if not _DIGITS.fullmatch(digits):
        raise typer.BadParameter(f"{_shown(value)}: a TypeDossier is a whole number from 1")
    if len(digits.lstrip("0")) > len(str(INT32_MAX)) or not 1 <= int(digits) <= INT32_MAX:
        raise typer.BadParameter(f"{_shown(value)}: a TypeDossier is 1..{INT32_MAX} (an Avro int)")
    return int(digits)


def text(value: str) -> str:
    """Free text (a name, a reference, a request id): anything that encodes as UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise typer.BadParameter(
            f"{_shown(value)} is not UTF-8 text (character {exc.start + 1} cannot be encoded)"
        ) from exc
    return value


def limited(field: str) -> Callable[[str], str]:
    """Text of a command's `field`, at most as long as `raas/domain/limits.py` lets it be: the
    CLI refuses an over-long value before sending, where the ingress would answer ERROR 317."""
    most = FIELD_LIMITS[field]

    def parse(value: str) -> str:
        checked_text = text(value)
        if len(checked_text) > most:
            raise typer.BadParameter(
                f"{_shown(value)}: {len(checked_text)} characters, at most {most}"
            )
        return checked_text

    return parse


def day(value: str) -> date:
    """A calendar day written YYYY-MM-DD."""
    try:
        if _DAY.fullmatch(value.strip()):
            return date.fromisoformat(value.strip())
    except ValueError:
        pass
    raise typer.BadParameter(f"{_shown(value)} is not a day YYYY-MM-DD")


def birth_date(value: str) -> BirthDate:
    """A birth date YYYY-MM-DD, where MM and DD may be 00 when unknown."""
    try:
        return BirthDate.parse(text(value))
    except InvalidBirthDate as exc:
        raise typer.BadParameter(f"{_shown(value)} is not a birth date YYYY-MM-DD: {exc}") from exc


def sex(value: str) -> Sex:
    try:
        return Sex(value.strip().upper())
    except ValueError as exc:
        raise typer.BadParameter(f"{_shown(value)}: sex is M, F or U") from exc


def dossier_type(value: str) -> DossierType:
    """CODE:LABEL, the code as `dossier_code` wants it and a label that is UTF-8 text."""
    code, sep, label = text(value).partition(":")
    if not sep or not label.strip():
        raise typer.BadParameter(
            f"{_shown(value)}: a dossier type is CODE:LABEL, e.g. 1:examination"
        )
    return DossierType(dossier_code(code), label.strip())


_METAVARS: dict[Callable[[str], object], str] = {
    kbo: "KBO",
    insz: "INSZ",
    seconds: "SECONDS",
    dossier_code: "CODE",
    text: "TEXT",
    day: "YYYY-MM-DD",
    birth_date: "YYYY-MM-DD",
    sex: "M|F|U",
    dossier_type: "CODE:LABEL",
}


def checked(default: Any, flag: str, parser: Callable[[str], object], help: str = "") -> Any:
    """A typer option whose value `parser` checks; `default` is `...` when it is required."""
    metavar = _METAVARS.get(parser, "TEXT")
    return typer.Option(default, flag, help=help, metavar=metavar, parser=parser)


def metrics_port() -> Any:
    """The `--metrics-port` option of `raas worker` and `raas sink` (raas/metrics.py)."""
    return typer.Option(
        None,
        "--metrics-port",
        min=0,
        max=65535,
        help="Serve Prometheus metrics on this port (default RAAS_METRICS_PORT; 0: off).",
    )
