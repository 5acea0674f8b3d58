"""InszState: the register table's value for one INSZ (internal, on the table's changelog).

Version 2 writes each remembered answer small (`remembered`) and `answers` empty. A version 1
record's `answers` (whole results) are converted on reading (`answers.answer_of_old_result`), so
a changelog written before the upgrade loads; the first write after it is version 2.
"""

from __future__ import annotations

from datetime import UTC, datetime

from raas.codec.records import common
from raas.codec.records.record import AvroDict, Record
from raas.codec.records.results import result_from
from raas.domain.answers import Answer, Remark, answer_of_old_result
from raas.domain.identifiers import event_id_for
from raas.domain.register import InszState

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def state_to(state: InszState) -> AvroDict:
    last = state.answers[-1] if state.answers else None
    return {
        "event_id": (
            event_id_for(last.tenant, last.request_id, "result")
            if last
            else event_id_for("state", state.insz)
        ),
        "timestamp": last.answered_at if last else _EPOCH,
        "insz": state.insz,
        "lines": [common.line_to(line) for line in state.lines],
        "answers": [],
        "remembered": [_answer_to(a) for a in state.answers],
        "replaced_by": state.replaced_by,
    }


def state_from(datum: AvroDict) -> InszState:
    old = (
        answer_of_old_result(result_from(a["result"]), a["answered_at"]) for a in datum["answers"]
    )
    answers = (*(a for a in old if a is not None), *map(_answer_from, datum["remembered"]))
    return InszState(
        insz=datum["insz"],
        lines=tuple(common.line_from(line) for line in datum["lines"]),
        answers=answers,
        replaced_by=datum["replaced_by"],
    )


def _answer_to(answer: Answer) -> AvroDict:
    return {
        "tenant": answer.tenant,
        "request_id": answer.request_id,
        "digest": answer.digest,
        "answered_at": answer.answered_at,
        "insz": answer.insz,
        "remarks": [{"code": r.code, "extra": r.extra} for r in answer.remarks],
        "periods": [common.period_to(p) for p in answer.periods],
    }


def _answer_from(datum: AvroDict) -> Answer:
    return Answer(
        tenant=datum["tenant"],
        request_id=datum["request_id"],
        digest=datum["digest"],
        answered_at=datum["answered_at"],
        insz=datum["insz"],
        remarks=tuple(Remark(r["code"], r["extra"]) for r in datum["remarks"]),
        periods=tuple(common.period_from(p) for p in datum["periods"]),
    )


INSZ_STATE: Record[InszState] = Record("InszState", (InszState,), state_to, state_from)
