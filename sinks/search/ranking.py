"""Why a person matched a search, and how well: the reasons and the score that ranks hits.

A row found by the query qualifies when its last-name key equals the searched one, when one key
begins the other (Claes / Claessens, Peeters / Peetermans), or when the search forms are close
(Jaro-Winkler >= 0.80: Wouters / Wolters, Renard / Regnard). The key alone misses real variants;
the similarity alone ranks strangers too high, so all three are kept as reasons and scored.
"""

from __future__ import annotations

from dataclasses import dataclass

import jellyfish

from raas.domain.phonetics import fold, search_form

CLOSE_NAME = 0.80
_MONTH = 30.0


@dataclass(frozen=True, slots=True)
class Reasons:
    """Why a hit matched: the phonetic key, the name similarities and the date distance."""

    last_name_key: str
    same_key: bool
    key_prefix: bool
    last_name_similarity: float
    first_name_similarity: float | None
    date_distance_days: int

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
        parts.append(f"birth date {self.date_distance_days} d from the searched one")
        return ", ".join(parts)


def name_similarity(wanted: str, found: str) -> float:
    """Jaro-Winkler of the two search forms (1.0 when both are equal)."""
    return jellyfish.jaro_winkler_similarity(search_form(wanted), search_form(found))


def first_name_similarity(wanted: str, first_names: str) -> float:
    """The best Jaro-Winkler of the wanted first name against each of the person's."""
    names = [search_form(n) for n in fold(first_names).split()]
    target = search_form(wanted)
    return max((jellyfish.jaro_winkler_similarity(target, n) for n in names), default=0.0)


def qualifies(reasons: Reasons) -> bool:
    return reasons.same_key or reasons.key_prefix or reasons.last_name_similarity >= CLOSE_NAME


def score(reasons: Reasons) -> float:
    """0..1, higher is better. Weights tuned on the simulator's variants among 60,000 persons:
    the first name, when given, tells most among persons of one birth date and name family."""
    closeness = 1.0 / (1.0 + reasons.date_distance_days / _MONTH)
    keys = 0.05 * reasons.same_key + 0.02 * reasons.key_prefix
    total = 0.40 * reasons.last_name_similarity + keys + 0.03 * closeness
    if reasons.first_name_similarity is None:
        return total / 0.50
    return total + 0.50 * reasons.first_name_similarity
