"""An INSZ replacement (old -> new) as a source publishes it, any kinds of number (contracts.md)."""

from __future__ import annotations

from datetime import UTC, datetime

from raas.domain.identifiers import event_id_for
from raas.domain.insz import parse_insz
from raas.domain.replacement import InszReplacement, check_replacement


def replacement(old: str, new: str, *, now: datetime | None = None) -> InszReplacement:
    """Both numbers checked (InvalidInsz), a self-replacement refused (ReplacementCycle).

    The event id comes from the two numbers, so publishing the same replacement again is the
    same event, which the register drops.
    """
    old_insz, new_insz = parse_insz(old).number, parse_insz(new).number
    made = InszReplacement(
        old_insz,
        new_insz,
        event_id_for("replacement", old_insz, new_insz),
        now or datetime.now(UTC),
    )
    check_replacement({}, made)
    return made
