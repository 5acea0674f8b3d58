"""Belgian-aware normalisation of names, before a phonetic key is computed (`sinks.search.keys`).

A clerk may type the same Belgian name in several ways: with or without accents, the particles
apart or glued (`Van den Berghe`, `Vanden Berghe`, `Vandenberghe`), an elided particle with or
without its apostrophe (`D'Hondt`, `Dhondt`, `De Hondt`), one or both parts of a double name
(`Dubois-Lambert`). `search_form` folds all of these onto one spelling of plain letters:

- case and accents go (`Lefèbvre` is `lefebvre`);
- a double name (parts joined by a hyphen) is searched by its first part (our choice: the first
  part is the name the person is usually filed under);
- the particles of a name are glued to the word they precede, so spaced and glued spellings agree;
  an elided `d'` is the particle `de`, and a glued name that starts with `dh` is an elided `d'h`;
- apostrophes and any other sign between letters go.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["PARTICLES", "fold", "glue_particles", "search_form", "words"]

PARTICLES = frozenset(
    {"van", "vande", "vanden", "vander", "de", "den", "der", "het", "t", "ter", "ten"}
    | {"le", "la", "les", "du", "des", "d", "l", "di", "da", "del", "della", "dos"}
)
"""Dutch and French name particles, as words of their own."""

_ELIDED = {"d": "de", "l": "le", "t": "het"}
_APOSTROPHES = "'\u2019\u2018`\u00b4"
_DOUBLE_NAME = re.compile(r"\s*[-\u2010\u2011\u2013]\s*")
_NON_LETTERS = re.compile(r"[^a-z]+")


def fold(name: str) -> str:
    """Casefolded, accents removed (`æ`, `ø` and `ß` spelled out), other signs kept."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("æ", "ae").replace("œ", "oe").replace("ø", "o").replace("ß", "ss")


def words(name: str) -> list[str]:
    """The folded words of the first part of a double name; an apostrophe ends a word."""
    folded = fold(name)
    for mark in _APOSTROPHES:
        folded = folded.replace(mark, "' ")
    first_part = next((p for p in _DOUBLE_NAME.split(folded) if p.strip()), "")
    found = []
    for word in first_part.split():
        elided = word.endswith("'")
        letters = _NON_LETTERS.sub("", word)
        if letters:
            found.append(_ELIDED.get(letters, letters) if elided else letters)
    return found


def glue_particles(parts: list[str]) -> str:
    """The words as one: leading particles glued to the name (`van den berghe` -> `vandenberghe`).

    After the particles, only the first name word counts: a second one is a double name written
    with a space (`Dubois Lambert`).
    """
    glued = ""
    for word in parts:
        glued += word
        if word not in PARTICLES:
            break
    return _elided_dh(glued)


def _elided_dh(glued: str) -> str:
    """`dhondt` is `d'hondt`: a glued name starting with `dh` gets its `de` back."""
    return "de" + glued[1:] if glued.startswith("dh") else glued


def search_form(name: str) -> str:
    """The spelling a phonetic key is computed from: plain letters, particles glued."""
    return glue_particles(words(name))
