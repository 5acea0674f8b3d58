"""A person's sex as the sources give it (re-exported by `persons`, where the contract names it)."""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    M = "M"
    F = "F"
    U = "U"  # unknown
