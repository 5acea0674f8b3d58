"""Valid National Register, BIS and KBO numbers for simulated persons and employers.

Serials are split so that numbers never collide within one seed: persons take serials below
`REPLACEMENT_SERIALS`, the new numbers of replacements take serials from there on.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from functools import cache

from raas.domain.birthdates import BirthDate
from raas.domain.bis import bis_prefix
from raas.domain.insz import check_digits
from raas.domain.sex import Sex

PERSON_SERIALS = range(1, 900)
REPLACEMENT_SERIALS = range(900, 999)


class NoFreeNumber(ValueError):
    """Every serial of this birth date, sex and range is taken."""


def rn_prefix(birth_date: BirthDate) -> str:
    """The `YYMMDD` of a National Register number; `00` for an unknown month or day."""
    return f"{birth_date.year % 100:02d}{birth_date.month:02d}{birth_date.day:02d}"


def with_check_digits(first_nine: str, year: int) -> str:
    return f"{first_nine}{check_digits(first_nine, year // 100):02d}"


@cache
def fitting_serials(serials: range, sex: Sex | None) -> list[int]:
    """The serials whose parity tells `sex` (odd for a man; all for None), made once per pair:
    a million persons asked for them a million times (bench/search.py)."""
    return [s for s in serials if sex is None or (s % 2 == 1) == (sex is Sex.M)]


def free_number(
    prefix: str,
    year: int,
    sex: Sex | None,
    serials: range,
    used: Collection[str],
    rng: random.Random,
) -> str:
    """A number not in `used` with a serial of `serials` whose parity tells `sex` (None: any)."""
    fitting = fitting_serials(serials, sex)
    start = rng.randrange(len(fitting))
    for serial in fitting[start:] + fitting[:start]:
        number = with_check_digits(f"{prefix}{serial:03d}", year)
        if number not in used:
            return number
    raise NoFreeNumber(f"no free serial for {prefix} in {serials}")


def rn_number(
    birth_date: BirthDate, sex: Sex, used: Collection[str], rng: random.Random, serials: range
) -> str:
    """A National Register number for a man or a woman (a known year, month and day may be 0)."""
    return free_number(rn_prefix(birth_date), birth_date.year, sex, serials, used, rng)


def bis_number(
    birth_date: BirthDate,
    sex: Sex | None,
    used: Collection[str],
    rng: random.Random,
    serials: range,
) -> str:
    """A BIS number: month +40 when the sex is known (M or F), +20 when it is not."""
    known = sex if sex in (Sex.M, Sex.F) else None
    return free_number(bis_prefix(birth_date, known), birth_date.year, known, serials, used, rng)


def kbo_number(rng: random.Random) -> str:
    """An enterprise number: 0, seven digits, and the check `97 - (first 8 mod 97)`."""
    first_eight = f"0{rng.randrange(200_000, 9_999_999):07d}"
    return f"{first_eight}{97 - int(first_eight) % 97:02d}"
