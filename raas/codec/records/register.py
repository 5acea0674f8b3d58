"""InszState: the register table's value for one INSZ (internal, on the table's changelog)."""

from __future__ import annotations

from datetime import UTC, datetime

from raas.codec.records import common
from raas.codec.records.record import AvroDict, Record
from raas.codec.records.results import result_from, result_to
from raas.domain.answers import Answer
from raas.domain.identifiers import event_id_for
from raas.domain.register import InszState

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def state_to(state: InszState) -> AvroDict:
    last = state.answers[-1] if state.answers else None
    return {
        "event_id": last.result.event_id if last else event_id_for("state", state.insz),
        "timestamp": last.answered_at if last else _EPOCH,
        "insz": state.insz,
        "lines": [common.line_to(line) for line in state.lines],
        "answers": [
            {
                "tenant": a.tenant,
                "request_id": a.request_id,
                "answered_at": a.answered_at,
                "result": result_to(a.result),
            }
            for a in state.answers
        ],
        "replaced_by": state.replaced_by,
    }


def state_from(datum: AvroDict) -> InszState:
    return InszState(
        insz=datum["insz"],
        lines=tuple(common.line_from(line) for line in datum["lines"]),
        answers=tuple(
            Answer(a["tenant"], a["request_id"], result_from(a["result"]), a["answered_at"])
            for a in datum["answers"]
        ),
        replaced_by=datum["replaced_by"],
    )


INSZ_STATE: Record[InszState] = Record("InszState", (InszState,), state_to, state_from)
