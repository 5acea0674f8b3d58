"""BIS number allocation.

The month is raised by 40 when the sex is known (M or F) and by 20 when it is not (None or U);
a known sex takes odd serials (men, 001..997) or even ones (women, 002..998), an unknown sex any
serial 001..998. The lowest serial whose number is not in `used` is taken, so a number is never
reused as long as `used` holds every number ever allocated for that birth date. The year must be
known (the century goes into the check digits); month and day may be unknown (0).
"""

from __future__ import annotations

from collections.abc import Collection

from raas.domain.birthdates import BirthDate
from raas.domain.insz import check_digits
from raas.domain.sex import Sex


class BisSerialsExhausted(ValueError):
    """Every serial of this birth date and sex is used."""


def bis_prefix(birth_date: BirthDate, sex: Sex | None) -> str:
    """The `YYMMDD` of a BIS number: the month raised by 40 or 20."""
    if not 1900 <= birth_date.year <= 2099:
        raise ValueError(f"a BIS number needs a known year in 1900..2099, not {birth_date.year}")
    offset = 40 if sex in (Sex.M, Sex.F) else 20
    return f"{birth_date.year % 100:02d}{birth_date.month + offset:02d}{birth_date.day:02d}"


def allocate_bis(birth_date: BirthDate, sex: Sex | None, used: Collection[str]) -> str:
    """The next free BIS number for this birth date and sex."""
    prefix = bis_prefix(birth_date, sex)
    century = birth_date.year // 100
    serials = {Sex.M: range(1, 998, 2), Sex.F: range(2, 999, 2)}.get(sex or Sex.U, range(1, 999))
    for serial in serials:
        first_nine = f"{prefix}{serial:03d}"
        number = f"{first_nine}{check_digits(first_nine, century):02d}"
        if number not in used:
            return number
    raise BisSerialsExhausted(
        f"all {len(serials)} BIS serials for birth date {birth_date} and sex "
        f"{sex or 'unknown'} are used"
    )
