"""An INSZ replacement as messages between partitions: check, retire, merge.

The stream cannot see the states of two INSZs at once, and the old INSZ must not give up its lines
before we know the replacement closes no cycle. So a replacement old -> new travels as steps, each
handled where its state lives (keyed by `ReplacementStep.at`):

1. CHECK, at the new INSZ: follow its `replaced_by` to the end of the chain (forward the CHECK,
   remembering the numbers passed in `via`). Reaching `old` on the way is a cycle
   (`ReplacementCycle`, nothing changed yet). At the end of the chain: send RETIRE to the old
   INSZ, aimed at that end.
2. RETIRE, at the old INSZ: `retire_insz` (`replaced_by` recorded); send MERGE with the lines to
   the target. The retired state keeps the lines (never shown: `served_lines`), so an old INSZ
   already replaced by a number of the chain, a repeat, sends the same MERGE again and changes
   nothing. Replaced by another number: `ReplacementConflict`.
3. MERGE, at the target: `receive_lines` (the domain merge; one `InszReplaced` per tenant that had
   lines on the old INSZ; merging the same lines again changes nothing, and the notifications
   carry the same event ids, which a consumer drops). If the target was replaced meanwhile, the
   MERGE follows it, as commands do.

Chains end on the last number: A -> B, then B -> C leaves A and B forwarding to C.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from raas.domain.lines import tenants_of
from raas.domain.notifications import InszReplaced
from raas.domain.register import InszState
from raas.domain.replacement import (
    InszReplacement,
    ReplacementConflict,
    ReplacementCycle,
    receive_lines,
    retire_insz,
)
from raas.domain.results import RegisterLine


class StepKind(StrEnum):
    CHECK = "CHECK"
    RETIRE = "RETIRE"
    MERGE = "MERGE"


@dataclass(frozen=True, slots=True)
class ReplacementStep:
    """One step of `replacement`, to be handled at the INSZ `at`; `target` is where lines go."""

    kind: StepKind
    replacement: InszReplacement
    at: str
    target: str
    via: tuple[str, ...] = ()
    lines: tuple[RegisterLine, ...] = ()


def start_replacement(replacement: InszReplacement) -> ReplacementStep:
    """The first step: CHECK at the new INSZ; a self-replacement is a cycle at once."""
    if replacement.old_insz == replacement.new_insz:
        raise ReplacementCycle(
            f"replacement cycle: {replacement.old_insz} -> {replacement.new_insz}"
        )
    new = replacement.new_insz
    return ReplacementStep(StepKind.CHECK, replacement, at=new, target=new)


def _follow(state: InszState, step: ReplacementStep) -> ReplacementStep:
    """The same step, forwarded to the INSZ that replaced `state`; raises on a cycle."""
    assert state.replaced_by is not None
    via = (*step.via, state.insz)
    if state.replaced_by in (step.replacement.old_insz, *via):
        chain = " -> ".join([step.replacement.old_insz, *via, state.replaced_by])
        raise ReplacementCycle(f"replacement cycle: {chain}")
    return replace(step, at=state.replaced_by, target=state.replaced_by, via=via)


def check_step(state: InszState, step: ReplacementStep) -> ReplacementStep:
    """At a number of the chain: the CHECK forwarded along it, or RETIRE at its end."""
    if state.replaced_by is not None:
        return _follow(state, step)
    old = step.replacement.old_insz
    return replace(step, kind=StepKind.RETIRE, at=old, via=(*step.via, state.insz))


def retire_step(state: InszState, step: ReplacementStep) -> tuple[InszState, ReplacementStep]:
    """At the old INSZ: retired, its lines kept; the MERGE to send, sent again on a repeat.

    The retired state keeps the lines it gave (`served_lines` shows none: commands on it are
    forwarded), so a RETIRE arriving again, e.g. replayed after a crash that wrote the state but
    lost the MERGE, sends the same MERGE again; merging it twice equals merging it once, and its
    notifications carry the same event ids.
    """
    if state.replaced_by is not None and state.replaced_by not in step.via:
        raise ReplacementConflict(
            f"replacement conflict: {state.insz} is already replaced by {state.replaced_by}"
        )
    if state.replaced_by is None:
        retired, lines = retire_insz(state, replace(step.replacement, new_insz=step.target))
        state = replace(retired, lines=lines)
    return state, replace(step, kind=StepKind.MERGE, at=step.target, via=(), lines=state.lines)


def served_lines(state: InszState) -> tuple[RegisterLine, ...]:
    """The lines an INSZ shows: none once replaced (the lines it kept live on its successor)."""
    return state.lines if state.replaced_by is None else ()


def merge_step(
    state: InszState, step: ReplacementStep, *, now: datetime
) -> tuple[InszState, tuple[InszReplaced, ...], ReplacementStep | None]:
    """At the target: the lines merged and the tenants told, or the MERGE forwarded onwards."""
    if state.replaced_by is not None:
        return state, (), _follow(state, step)
    moved = tuple(replace(line, insz=state.insz) for line in step.lines)
    arrived = replace(step.replacement, new_insz=state.insz)
    merged, notes = receive_lines(state, moved, arrived, now=now)
    return merged, notes, None


def tenants_to_notify(lines: Iterable[RegisterLine]) -> tuple[str, ...]:
    """The tenants told about a person: every tenant with a line on the INSZ, ended or not.

    An ended line still earns notifications (our rule): the tenant keeps the person's history and
    may still be asked about the past period, so it must know the identity it will be shown.
    A tenant whose lines were all deleted has no line left and is not told.
    """
    return tenants_of(lines)
