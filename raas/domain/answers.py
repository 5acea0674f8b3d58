"""The requests one INSZ's register has answered: the idempotency memory, a small constant each.

An `Answer` keeps what gives the same result again, not the result: the command's digest
(`digests.py`), the INSZ acted on, the codes of its details with what their messages add, the
time, and the periods of the lines it showed. A result shows the lines its command touched
(`lines.touched_by`: for a Register the one line now covering its period, for a Delete what is
left on either side of the deleted period, so at most two), so an answer holds at most two
periods, whatever the number of lines. The repeated request carries the same content (its digest
says so), so its echo, reference and TypeDossier are rebuilt from it: same status, same codes,
same lines, same ticket, event id and timestamp as the first time.

A Consult is a read: it is not remembered (contracts.md).

Ids are remembered per INSZ and per tenant. Bound: per tenant, at most `MAX_ANSWERS_PER_TENANT`
answers are kept, at most `MAX_ANSWERS_PER_INSZ` of all tenants together (an answer within the
limits of `limits.py` is a few hundred bytes at most, a usual one about 100, so the answers of an
INSZ stay far under the broker's record limit), and none older than `ANSWERS_KEPT_FOR` before the
newest answer written to this INSZ. A command repeated later than that is handled afresh, which
for Register and Delete is harmless: both are idempotent by content (the line is already there /
already gone).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from raas.domain import codes
from raas.domain.commands import Command, Consult
from raas.domain.digests import digest_of
from raas.domain.identifiers import event_id_for
from raas.domain.lines import touched_by
from raas.domain.periods import Period
from raas.domain.results import CommandResult, Detail, RegisterLine, detail, result_for

MAX_ANSWERS_PER_TENANT = 100
MAX_ANSWERS_PER_INSZ = 1000
ANSWERS_KEPT_FOR = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Remark:
    """A detail as remembered: its code, and what its message adds to the catalogue's."""

    code: int
    extra: str | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    tenant: str
    request_id: str
    digest: bytes
    answered_at: datetime
    insz: str | None
    remarks: tuple[Remark, ...]
    periods: tuple[Period, ...] = ()


def answer_for(result: CommandResult, answered_at: datetime) -> Answer:
    """What to remember of `result`, the answer to its command."""
    return Answer(
        tenant=result.tenant,
        request_id=result.request_id,
        digest=digest_of(result.command),
        answered_at=answered_at,
        insz=result.insz,
        remarks=tuple(_remark(d) for d in result.details),
        periods=tuple(line.period for line in result.lines),
    )


def answer_of_old_result(result: CommandResult, answered_at: datetime) -> Answer | None:
    """An answer kept whole by InszState version 1, as remembered now (a consult: not at all)."""
    if isinstance(result.command, Consult):
        return None
    shown = touched_by(result.command, result.lines, result.tenant)
    return answer_for(replace(result, lines=shown), answered_at)


def recall(answers: Iterable[Answer], tenant: str, request_id: str) -> Answer | None:
    """The remembered answer to this tenant's request id, if any."""
    for answer in answers:
        if answer.tenant == tenant and answer.request_id == request_id:
            return answer
    return None


def answer_again(stored: Answer, command: Command, now: datetime) -> CommandResult:
    """The result for a request id answered before: the same result for the same command, an
    ERROR REQUEST_ID_REUSED for a different one (its own event id, so no consumer takes it for
    a copy of the first result)."""
    if stored.digest != digest_of(command):
        first = stored.answered_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        reused = detail(codes.REQUEST_ID_REUSED, f"(first answered {first})")
        refused = result_for(command, stored.tenant, None, (reused,), (), now)
        event_id = event_id_for(stored.tenant, command.request_id, digest_of(command).hex())
        return replace(refused, event_id=event_id)
    type_dossier = getattr(command, "type_dossier", None)
    lines = tuple(
        RegisterLine(stored.tenant, stored.insz, type_dossier, period)
        for period in stored.periods
        if stored.insz is not None and type_dossier is not None
    )
    details = tuple(detail(codes.BY_CODE[r.code], r.extra) for r in stored.remarks)
    return result_for(command, stored.tenant, stored.insz, details, lines, stored.answered_at)


def remember(answers: Iterable[Answer], new: Answer) -> tuple[Answer, ...]:
    """`answers` plus `new`, then pruned to the bound, oldest first."""
    horizon = new.answered_at - ANSWERS_KEPT_FOR
    kept = [
        a
        for a in answers
        if a.answered_at >= horizon
        and not (a.tenant == new.tenant and a.request_id == new.request_id)
    ]
    kept.append(new)
    kept.sort(key=lambda a: (a.answered_at, a.tenant, a.request_id))
    per_tenant: dict[str, int] = {}
    result: list[Answer] = []
    for answer in reversed(kept):
        count = per_tenant.get(answer.tenant, 0)
        if count < MAX_ANSWERS_PER_TENANT and len(result) < MAX_ANSWERS_PER_INSZ:
            per_tenant[answer.tenant] = count + 1
            result.append(answer)
    return tuple(reversed(result))


def _remark(found: Detail) -> Remark:
    message = codes.BY_CODE[found.code].message
    extra = found.message[len(message) + 1 :] if found.message != message else None
    return Remark(found.code, extra)
