"""Why a person matched a search, and how well: the reasons and the score that ranks hits.

A row found by the query qualifies when its last-name key equals the searched one, when one key
begins the other (Claes / Claessens, Peeters / Peetermans), or when the search forms are close
(Jaro-Winkler >= 0.80: Wouters / Wolters, Renard / Regnard). The key alone misses real variants;
the similarity alone ranks strangers too high, so all three are kept as reasons and scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jellyfish

from raas.domain.phonetics import fold, search_form

CLOSE_NAME = 0.80
LATER_FIRST_NAME = 0.7  # a match on a later given name counts this much of one on the usual name
_MONTH = 30.0
_REMEMBERED = 1 << 16
# the score's weights, tuned on 1M simulated persons (bench/search.py): recall 1.0 either way, the
# base person first for 93% of 1,000 variants, where the first version's weights (no equal-date
# term, every given name alike) gave 33%: one person's year-only birth date matched as well as
# another's exact day, and a later given name as well as the usual one
_LAST, _SAME_KEY, _KEY_PREFIX, _CLOSE, _SAME_DATE, _FIRST = 0.30, 0.05, 0.02, 0.03, 0.30, 0.50


@dataclass(frozen=True, slots=True)
class Reasons:
    """Why a hit matched: the phonetic key, the name similarities and the date distance."""

    last_name_key: str
    same_key: bool
    key_prefix: bool
    last_name_similarity: float
    first_name_similarity: float | None
    date_distance_days: int
    same_birth_date: bool = False  # the person's birth date is the searched one, as precise

    @property
    def key_relation(self) -> str:
        if self.same_key:
            return "equal"
        return "prefix" if self.key_prefix else "differs"

    def explain(self) -> str:
        parts = [
            f"key {self.last_name_key} {self.key_relation}",
            f"last name {self.last_name_similarity:.2f}",
        ]
        if self.first_name_similarity is not None:
            parts.append(f"first name {self.first_name_similarity:.2f}")
        if self.same_birth_date:
            parts.append("birth date equal")
        else:
            parts.append(f"birth date {self.date_distance_days} d from the searched one")
        return ", ".join(parts)


@lru_cache(maxsize=_REMEMBERED)
def name_form(name: str) -> str:
    """`search_form`, remembered: names repeat, and a search over a year ranks thousands of rows."""
    return search_form(name)


@lru_cache(maxsize=_REMEMBERED)
def given_name_forms(first_names: str) -> tuple[str, ...]:
    """The search form of each given name, the usual (first) one first."""
    return tuple(search_form(n) for n in fold(first_names).split())


def name_similarity(wanted: str, found: str) -> float:
    """Jaro-Winkler of the two search forms (1.0 when both are equal)."""
    return jellyfish.jaro_winkler_similarity(name_form(wanted), name_form(found))


def first_name_similarity(wanted: str, first_names: str) -> float:
    """The Jaro-Winkler of the wanted first name against the person's usual (first) one, or
    `LATER_FIRST_NAME` times that against a later given name when that is higher."""
    names = given_name_forms(first_names)
    target = name_form(wanted)
    similar = [jellyfish.jaro_winkler_similarity(target, n) for n in names]
    later = max(similar[1:], default=0.0) * LATER_FIRST_NAME
    return max(similar[0], later) if similar else 0.0


def qualifies_by_name(same_key: bool, key_prefix: bool, last_name_similarity: float) -> bool:
    """An equal key, a key that begins the other, or a close last name."""
    return same_key or key_prefix or last_name_similarity >= CLOSE_NAME


def score(reasons: Reasons) -> float:
    """0..1, higher is better: the first name, when given, tells most among persons of one birth
    date and name family, then whether the birth date is the very one searched."""
    closeness = 1.0 / (1.0 + reasons.date_distance_days / _MONTH)
    keys = _SAME_KEY * reasons.same_key + _KEY_PREFIX * reasons.key_prefix
    total = (
        _LAST * reasons.last_name_similarity
        + keys
        + _CLOSE * closeness
        + _SAME_DATE * reasons.same_birth_date
    )
    best = _LAST + _SAME_KEY + _KEY_PREFIX + _CLOSE + _SAME_DATE
    if reasons.first_name_similarity is None:
        return total / best
    return (total + _FIRST * reasons.first_name_similarity) / (best + _FIRST)
