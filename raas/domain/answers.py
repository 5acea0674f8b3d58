"""The request ids one INSZ's register has answered, with their results: the idempotency memory.

Bound (contracts.md asks for one): per tenant, at most `MAX_ANSWERS_PER_TENANT` answers are kept,
and none older than `ANSWERS_KEPT_FOR` before the newest answer written to this INSZ. A command
repeated later than that is handled afresh, which for Register and Delete is harmless: both are
idempotent by content (the line is already there / already gone).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from raas.domain.results import CommandResult

MAX_ANSWERS_PER_TENANT = 100
ANSWERS_KEPT_FOR = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Answer:
    tenant: str
    request_id: str
    result: CommandResult
    answered_at: datetime


def recall(answers: Iterable[Answer], tenant: str, request_id: str) -> CommandResult | None:
    """The stored result of this tenant's request, if it is remembered."""
    for answer in answers:
        if answer.tenant == tenant and answer.request_id == request_id:
            return answer.result
    return None


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
        if count < MAX_ANSWERS_PER_TENANT:
            per_tenant[answer.tenant] = count + 1
            result.append(answer)
    return tuple(reversed(result))
