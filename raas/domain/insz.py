"""INSZ (NISS, SSIN): the social-security number, a National Register (RN) or a BIS number.

Layout `YYMMDD SSS CC`. The check `CC = 97 - (YYMMDDSSS mod 97)`, computed over `2YYMMDDSSS` for
people born from 2000 on; exactly one of the two can pass, which gives the century. A BIS number
raises the month by 40 (sex known at assignment) or by 20 (sex unknown).

Reading the birth date (domain.md, plus our choices):
- month `00`: month and day unknown, whatever the day digits say (serial overflow counts on there);
- `000001`: the fully unknown date;
- a known month with day `00`, or a day above 31 (such as 35, a serial overflow), is an unknown day;
- a known month with a day in 29..31 that this month lacks (`02-30`, `04-31`) is refused as an
  impossible day: no numbering scheme produces it, so it is a slip;
- a month above 12 after removing the BIS offset is refused;
- the serial is 001..998; its parity gives the sex (odd man, even woman) unless a +20 BIS.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from enum import StrEnum

from raas.domain.birthdates import BirthDate
from raas.domain.sex import Sex

_SEPARATORS = re.compile(r"[\s.\-/]")
_BIS_SEX_KNOWN = 40
_BIS_SEX_UNKNOWN = 20


class InszKind(StrEnum):
    RN = "RN"
    BIS = "BIS"


class InvalidInsz(ValueError):
    """The text is no INSZ; `reason` says why in one sentence."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text!r}: {reason}")
        self.text = text
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Insz:
    """A well-formed INSZ: `number` is the 11 digits; `century` is 19 or 20 (years 19xx, 20xx)."""

    number: str
    kind: InszKind
    birth_date: BirthDate
    sex: Sex | None
    century: int

    def __str__(self) -> str:
        return self.number


def check_digits(first_nine: str, century: int) -> int:
    """`97 - (YYMMDDSSS mod 97)`, with the `2` prefix for the 2000s."""
    base = int(first_nine) + (2_000_000_000 if century == 20 else 0)
    return 97 - base % 97


def parse_insz(text: str) -> Insz:
    """Read an INSZ written with or without dots, hyphens, slashes and spaces."""
    digits = _SEPARATORS.sub("", text)
    if re.search(r"[^0-9]", digits):
        raise InvalidInsz(text, "contains characters other than digits and separators")
    if len(digits) != 11:
        raise InvalidInsz(text, f"has {len(digits)} digits instead of 11")
    century = _century(digits)
    kind, month, sex_known = _month(text, int(digits[2:4]))
    serial = int(digits[6:9])
    if not 1 <= serial <= 998:
        raise InvalidInsz(text, f"serial {serial:03d} is outside 001..998")
    year = century * 100 + int(digits[0:2])
    birth_date = _birth_date(text, digits[0:6], year, month, int(digits[4:6]))
    sex = (Sex.M if serial % 2 else Sex.F) if sex_known else None
    return Insz(digits, kind, birth_date, sex, century)


def _century(digits: str) -> int:
    given = int(digits[9:11])
    for century in (19, 20):
        if check_digits(digits[:9], century) == given:
            return century
    raise InvalidInsz(digits, "check digits are wrong for a birth in the 1900s and in the 2000s")


def _month(text: str, raw: int) -> tuple[InszKind, int, bool]:
    """Kind, real month and whether the number tells the sex."""
    if raw >= _BIS_SEX_KNOWN:
        kind, month, sex_known = InszKind.BIS, raw - _BIS_SEX_KNOWN, True
    elif raw >= _BIS_SEX_UNKNOWN:
        kind, month, sex_known = InszKind.BIS, raw - _BIS_SEX_UNKNOWN, False
    else:
        kind, month, sex_known = InszKind.RN, raw, True
    if month > 12:
        raise InvalidInsz(text, f"month {raw:02d} is impossible: {month} is above 12")
    return kind, month, sex_known


def _birth_date(text: str, yymmdd: str, year: int, month: int, day: int) -> BirthDate:
    if yymmdd == "000001":
        return BirthDate(0, 0, 0)
    if month == 0:
        return BirthDate(year, 0, 0)
    if day == 0 or day > 31:
        return BirthDate(year, month, 0)
    if day > calendar.monthrange(year, month)[1]:
        raise InvalidInsz(text, f"day {day} is impossible in {year:04d}-{month:02d}")
    return BirthDate(year, month, day)
