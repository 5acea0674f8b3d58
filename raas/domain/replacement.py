"""INSZ replacement (old -> new): the old INSZ's lines move onto the new one, merged as usual.

Old and new INSZ live in different partitions, so the rule comes in two halves the stream can
run where each state lives:

    old_state, moved = retire_insz(old_state, replacement)          # partition of old_insz
    # send `moved` (RegisterLines on the old INSZ) to the partition of new_insz, then there:
    new_state, notes = receive_lines(new_state, moved, replacement, now=now)

`replace_insz` runs both on two states at once. Chains (a -> b, later b -> c) work by the old
state remembering `replaced_by`; `resolve` follows a mapping of replacements to the current INSZ
and raises `ReplacementCycle` on a loop. `check_replacement` refuses a replacement that would
close a cycle, given the replacements known so far.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from raas.domain.identifiers import event_id_for
from raas.domain.lines import groups_of, lines_of, periods_of, with_periods
from raas.domain.notifications import InszReplaced
from raas.domain.periods import merge_into
from raas.domain.register import ForwardRequired, InszState
from raas.domain.results import RegisterLine


@dataclass(frozen=True, slots=True)
class InszReplacement:
    old_insz: str
    new_insz: str
    event_id: str
    timestamp: datetime


class ReplacementCycle(ValueError):
    """Following the replacements comes back to where it started: bad input."""


class ReplacementConflict(ValueError):
    """The old INSZ is already replaced by another number."""


def resolve(replaced_by: Mapping[str, str], insz: str) -> str:
    """The current INSZ at the end of the chain that starts at `insz`."""
    seen = [insz]
    while insz in replaced_by:
        insz = replaced_by[insz]
        if insz in seen:
            raise ReplacementCycle(" -> ".join([*seen, insz]))
        seen.append(insz)
    return insz


def check_replacement(replaced_by: Mapping[str, str], replacement: InszReplacement) -> None:
    """Raise when the replacement is a self-loop, closes a cycle, or re-targets a replaced INSZ."""
    old, new = replacement.old_insz, replacement.new_insz
    if old == new:
        raise ReplacementCycle(f"{old} -> {new}")
    if replaced_by.get(old, new) != new:
        raise ReplacementConflict(f"{old} is already replaced by {replaced_by[old]}, not {new}")
    resolve({**replaced_by, old: new}, old)


def retire_insz(
    old: InszState, replacement: InszReplacement
) -> tuple[InszState, tuple[RegisterLine, ...]]:
    """The old INSZ keeps no line and remembers its successor; returns the lines to move."""
    if old.insz != replacement.old_insz:
        raise ValueError(f"state of {old.insz} given for a replacement of {replacement.old_insz}")
    if replacement.old_insz == replacement.new_insz:
        raise ReplacementCycle(f"{old.insz} -> {old.insz}")
    if old.replaced_by not in (None, replacement.new_insz):
        raise ReplacementConflict(f"{old.insz} is already replaced by {old.replaced_by}")
    return replace(old, lines=(), replaced_by=replacement.new_insz), old.lines


def receive_lines(
    new: InszState,
    moved: Iterable[RegisterLine],
    replacement: InszReplacement,
    *,
    now: datetime,
) -> tuple[InszState, tuple[InszReplaced, ...]]:
    """Merge the moved lines into the new INSZ's lines; notify each tenant that had lines."""
    if new.insz != replacement.new_insz:
        raise ValueError(f"state of {new.insz} given for a replacement to {replacement.new_insz}")
    if new.replaced_by == replacement.old_insz:
        raise ReplacementCycle(f"{replacement.old_insz} -> {new.insz} -> {new.replaced_by}")
    if new.replaced_by is not None:
        raise ForwardRequired(new.replaced_by)
    moved = tuple(moved)
    lines = new.lines
    for tenant, type_dossier in groups_of(moved):
        periods = periods_of(lines, tenant, type_dossier)
        for period in periods_of(moved, tenant, type_dossier):
            periods = merge_into(periods, period)
        lines = with_periods(lines, tenant, new.insz, type_dossier, periods)
    notes = tuple(
        InszReplaced(
            tenant,
            replacement.old_insz,
            new.insz,
            lines_of(lines, tenant),
            event_id_for(replacement.event_id, tenant),
            now,
        )
        for tenant in sorted({line.tenant for line in moved})
    )
    return replace(new, lines=lines), notes


def replace_insz(
    old: InszState, new: InszState, replacement: InszReplacement, *, now: datetime
) -> tuple[InszState, InszState, tuple[InszReplaced, ...]]:
    """Both halves at once: (old state, new state, notifications)."""
    retired, moved = retire_insz(old, replacement)
    received, notes = receive_lines(new, moved, replacement, now=now)
    return retired, received, notes
