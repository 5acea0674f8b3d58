"""The register of one INSZ: its lines for every tenant, and the requests it answered.

The stream keeps one `InszState` per INSZ (keyed by the 11 digits `parse_insz(...).number`; a
command whose INSZ does not parse is keyed by its raw text and answered INSZ_INVALID here). For
each command the stream does:

    target = forward_target(state, command, tenant=tenant)
    if target is not None:
        # the INSZ was replaced: send the command, unchanged, to the partition of `target`
    else:
        state, result = handle(state, command, tenant=..., config=..., person=..., now=...)
        # store `state` (lines and answers in one value) and send `result`

`forward_target` is None when the command was already answered here (the stored result is then
returned by `handle`), even on a replaced INSZ. On the new INSZ, `handle` sees that the command
names another number and adds the INSZ_REPLACED info to the result. Calling `handle` on a
replaced INSZ for a new command raises `ForwardRequired`.

`decide` gives the events of a command, `evolve` applies one; `handle` is both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from raas.domain import codes
from raas.domain.answers import Answer, answer_again, answer_for, recall, remember
from raas.domain.commands import Command, Consult, Delete, Register
from raas.domain.limits import refuse_over_limits
from raas.domain.lines import touched_by, with_periods
from raas.domain.periods import Period
from raas.domain.persons import PersonIdentity
from raas.domain.registering import decide_consult, decide_delete, decide_register
from raas.domain.results import CommandResult, RegisterLine, detail, result_for
from raas.domain.tenants import TenantConfig


@dataclass(frozen=True, slots=True)
class InszState:
    """`lines` sorted; `answers` bounded as `answers.py` says; `replaced_by` once replaced."""

    insz: str
    lines: tuple[RegisterLine, ...] = ()
    answers: tuple[Answer, ...] = ()
    replaced_by: str | None = None


class ForwardRequired(Exception):
    """The INSZ is replaced: the command belongs to `target`'s register."""

    def __init__(self, target: str) -> None:
        super().__init__(f"forward to {target}")
        self.target = target


@dataclass(frozen=True, slots=True)
class LinesSet:
    """The periods of (tenant, TypeDossier) become `periods`."""

    tenant: str
    type_dossier: int
    periods: tuple[Period, ...]


@dataclass(frozen=True, slots=True)
class Answered:
    """The command's result, and what is remembered of it (None for a Consult: a read)."""

    result: CommandResult
    answer: Answer | None


Event = LinesSet | Answered


def forward_target(
    state: InszState, command: Command | None = None, *, tenant: str | None = None
) -> str | None:
    """The INSZ to forward to, or None to handle here (not replaced, or already answered)."""
    if state.replaced_by is None:
        return None
    if command is None or tenant is None:
        return state.replaced_by
    if recall(state.answers, tenant, command.request_id) is not None:
        return None
    return state.replaced_by


def decide(
    state: InszState,
    command: Register | Delete | Consult,
    *,
    tenant: str,
    config: TenantConfig | None,
    person: PersonIdentity | None,
    now: datetime,
) -> tuple[Event, ...]:
    """The events of a new command: its line changes, then its answer (always last)."""
    if state.replaced_by is not None:
        raise ForwardRequired(state.replaced_by)
    if isinstance(command, Register):
        insz, details, change = decide_register(
            state.insz, state.lines, command, tenant, config, person
        )
    elif isinstance(command, Delete):
        insz, details, change = decide_delete(
            state.insz, state.lines, command, tenant, config, person
        )
    else:
        insz, details, change = decide_consult(
            state.insz, state.lines, command, tenant, config, person
        )
    events: list[Event] = []
    lines = state.lines
    if change is not None:
        events.append(LinesSet(tenant, change[0], change[1]))
        lines = with_periods(lines, tenant, state.insz, change[0], change[1])
    shown = touched_by(command, lines, tenant) if insz is not None else ()
    result = result_for(command, tenant, insz, details, shown, now)
    events.append(
        Answered(result, None if isinstance(command, Consult) else answer_for(result, now))
    )
    return tuple(events)


def evolve(state: InszState, event: Event) -> InszState:
    """The state after one event."""
    if isinstance(event, LinesSet):
        lines = with_periods(
            state.lines, event.tenant, state.insz, event.type_dossier, event.periods
        )
        return replace(state, lines=lines)
    if event.answer is None:
        return state
    return replace(state, answers=remember(state.answers, event.answer))


def handle(
    state: InszState,
    command: Command,
    *,
    tenant: str,
    config: TenantConfig | None,
    person: PersonIdentity | None,
    now: datetime,
) -> tuple[InszState, CommandResult]:
    """Answer a Register, Delete or Consult; a repeated request id gets its stored result.

    `state` itself comes back, unchanged, for a repeated request id (its first answer again, or
    REQUEST_ID_REUSED when the command differs) and for any Consult (a read is not remembered);
    callers test `is` to skip the write. A new Register or Delete returns a new state, since its
    answer is remembered (`answers.py`: a small constant each). A command over
    a limit (`limits.py`) is refused and `state` returned: the ingress refuses it first, this is
    the defence behind it.
    """
    refused = refuse_over_limits(command, tenant=tenant, now=now)
    if refused is not None:
        return state, refused
    stored = recall(state.answers, tenant, command.request_id)
    if stored is not None:
        return state, answer_again(stored, command, now)
    if not isinstance(command, Register | Delete | Consult):
        raise TypeError(f"{type(command).__name__} is not a register command")
    events = decide(state, command, tenant=tenant, config=config, person=person, now=now)
    after = state
    for event in events:
        after = evolve(after, event)
    answered = events[-1]
    assert isinstance(answered, Answered)
    return after, answered.result


def refuse_unserved(command: Command, *, tenant: str, now: datetime) -> CommandResult:
    """The answer to a command this worker does not serve (CreateBis, UpdateBisIdentity)."""
    refused = refuse_over_limits(command, tenant=tenant, now=now)
    if refused is not None:
        return refused
    insz = getattr(command, "insz", None)
    return result_for(command, tenant, insz, (detail(codes.COMMAND_NOT_SERVED),), (), now)
