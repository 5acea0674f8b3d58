"""Birth dates that may be incomplete: a 0 year, month or day means "unknown"."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class InvalidBirthDate(ValueError):
    """A text or a triple that is no (possibly incomplete) birth date."""


@dataclass(frozen=True, slots=True, order=True)
class BirthDate:
    """`year`, `month`, `day`, each 0 when unknown. A known day needs a known month."""

    year: int
    month: int
    day: int

    def __post_init__(self) -> None:
        if not 0 <= self.year <= 9999:
            raise InvalidBirthDate(f"year {self.year} is outside 0..9999")
        if not 0 <= self.month <= 12:
            raise InvalidBirthDate(f"month {self.month} is outside 0..12")
        if self.month == 0 and self.day != 0:
            raise InvalidBirthDate("a day is given under an unknown month")
        if self.day != 0 and self.day > _days_in(self.year, self.month):
            raise InvalidBirthDate(f"{self.year:04d}-{self.month:02d} has no day {self.day}")

    @classmethod
    def parse(cls, text: str) -> BirthDate:
        """Read `YYYY-MM-DD`, where MM and DD may be `00`."""
        found = _PATTERN.match(text.strip())
        if found is None:
            raise InvalidBirthDate(f"{text!r} is not YYYY-MM-DD")
        return cls(int(found[1]), int(found[2]), int(found[3]))

    @classmethod
    def of(cls, day: date) -> BirthDate:
        return cls(day.year, day.month, day.day)

    @property
    def is_complete(self) -> bool:
        return self.year != 0 and self.month != 0 and self.day != 0

    def to_date(self) -> date | None:
        """The calendar date when complete, else None."""
        return date(self.year, self.month, self.day) if self.is_complete else None

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _days_in(year: int, month: int) -> int:
    """Days in the month; in an unknown year February may have 29."""
    if year == 0:
        return 29 if month == 2 else calendar.monthrange(2000, month)[1]
    return calendar.monthrange(year, month)[1]
