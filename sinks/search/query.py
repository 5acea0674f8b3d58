"""The search query on the `persons` projection: a birth-date window and a last-name key range.

The database narrows by the birth-date window and by the first letter of the last-name key, both
checked in one index on (`birth_date`, `last_name_key`); `ranking` then keeps the rows whose key
is equal or whose name is close, and orders them. Birth dates are stored as text `YYYY-MM-DD` with
`00` for unknown parts, so a text range holds every complete date of the window and every partial
date inside it; the partial dates that start before the window (its first month, its first year,
an unknown year) are named one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Connection, Index, Row, Table, and_, or_, select

from raas.domain.birthdates import BirthDate
from raas.domain.datewindows import DateWindow, birth_range, date_distance, search_window
from raas.domain.sex import Sex
from sinks.search.keys import last_name_key
from sinks.search.ranking import (
    Reasons,
    first_name_similarity,
    name_similarity,
    qualifies_by_name,
    score,
)

MAX_RESULTS = 100
DEFAULT_RESULTS = 20
BIS_CANDIDATES = 50  # contracts.md, Search limits: a BIS duplicate check shows at most 50
_PREFIX = 1


class InvalidSearch(ValueError):
    """A search that cannot run: no letters in the name, a bad tolerance or maximum."""


@dataclass(frozen=True, slots=True)
class SearchQuery:
    last_name: str
    birth_date: BirthDate
    first_name: str | None = None
    tolerance: int | None = None
    sex: Sex | None = None
    max_results: int = DEFAULT_RESULTS


@dataclass(frozen=True, slots=True)
class Hit:
    insz: str
    last_name: str
    first_names: str
    birth_date: str
    sex: str
    score: float
    reasons: Reasons


def search_indexes(persons: Table) -> list[Index]:
    """The indexes `find_candidates` relies on, added to the `persons` table (`sinks/tables.py`)."""
    return [
        Index(f"ix_{persons.name}_last_name_key", persons.c.last_name_key),
        Index(f"ix_{persons.name}_birth_date_key", persons.c.birth_date, persons.c.last_name_key),
    ]


def find_candidates(connection: Connection, persons: Table, query: SearchQuery) -> list[Hit]:
    """The persons that may be the one searched, best first, at most `query.max_results`."""
    if not 1 <= query.max_results <= MAX_RESULTS:
        raise InvalidSearch(f"the maximum is 1..{MAX_RESULTS}, got {query.max_results}")
    key = last_name_key(query.last_name)
    if not key:
        raise InvalidSearch(f"{query.last_name!r} has no letters to search on")
    try:
        window = search_window(query.birth_date, query.tolerance)
    except ValueError as exc:
        raise InvalidSearch(str(exc)) from exc
    c = persons.c
    conditions = [_in_window(persons, window), _near_key(persons, key)]
    if query.sex is not None and query.sex is not Sex.U:
        conditions.append(c.sex.in_([query.sex.value, Sex.U.value]))
    columns = (c.insz, c.last_name, c.first_names, c.birth_date, c.sex, c.last_name_key)
    rows = connection.execute(select(*columns).where(and_(*conditions))).all()
    searched = birth_range(query.birth_date) or window
    hits = (_hit(query, key, searched, row) for row in rows)
    kept = [h for h in hits if h is not None]
    kept.sort(key=lambda h: (-h.score, h.insz))
    return kept[: query.max_results]


def bis_duplicate_candidates(
    connection: Connection, persons: Table, query: SearchQuery
) -> list[Hit]:
    """The likely duplicates of a BIS person about to be created: at most 50, best first.

    The check runs before `raas bis create` (contracts.md, CreateBis): with any hit, the creation
    is refused unless the caller confirms a distinct person. An incomplete birth date without a
    tolerance is searched with tolerance 0, its own month or year.
    """
    tolerance = query.tolerance
    if tolerance is None and not query.birth_date.is_complete:
        tolerance = 0
    checked = replace(query, max_results=BIS_CANDIDATES, tolerance=tolerance)
    return find_candidates(connection, persons, checked)


def _in_window(persons: Table, window: DateWindow) -> ColumnElement[bool]:
    first = window.first
    starts_before = [f"{first.year:04d}-{first.month:02d}-00", f"{first.year:04d}-00-00"]
    column = persons.c.birth_date
    return or_(
        column.between(first.isoformat(), window.last.isoformat()),
        column.in_([*starts_before, "0000-00-00"]),
    )


def _near_key(persons: Table, key: str) -> ColumnElement[bool]:
    """Keys that begin as `key` does (the key itself among them): one range, which the index on
    (birth_date, last_name_key) checks inside the index, before any row is read."""
    prefix = key[:_PREFIX]
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    column = persons.c.last_name_key
    return and_(column >= prefix, column < after)


@lru_cache(maxsize=1 << 16)
def birth_date_of(text: str) -> BirthDate:
    """`BirthDate.parse`, remembered: a year's search meets each of its days many times."""
    return BirthDate.parse(text)


def _hit(
    query: SearchQuery, key: str, searched: DateWindow, row: Row[Any, Any, Any, Any, Any, Any]
) -> Hit | None:
    """The row as a hit; None when its name does not qualify, found before the rest is reckoned
    (most rows of a year's search do not)."""
    insz, last_name, first_names, birth_text, sex, row_key = row
    same_key = row_key == key
    key_prefix = bool(row_key) and (row_key.startswith(key) or key.startswith(row_key))
    last_similarity = round(name_similarity(query.last_name, last_name), 4)
    if not qualifies_by_name(same_key, key_prefix, last_similarity):
        return None
    reasons = Reasons(
        last_name_key=row_key or "",
        same_key=same_key,
        key_prefix=key_prefix,
        last_name_similarity=last_similarity,
        first_name_similarity=(
            None
            if query.first_name is None
            else round(first_name_similarity(query.first_name, first_names or ""), 4)
        ),
        date_distance_days=date_distance(searched, birth_date_of(birth_text)),
        same_birth_date=birth_text == str(query.birth_date),
    )
    return Hit(
        insz, last_name, first_names or "", birth_text, sex, round(score(reasons), 4), reasons
    )
