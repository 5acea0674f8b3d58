"""The InszState records in this folder, written with the code of version 1 (commit 4081774).

Kept for the record: it ran once, on the tree before InszState version 2, and must not be run
again (today's code writes version 2). `tests/unit/codec/test_state_upgrade.py` decodes the records.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from raas import codec
from raas.domain.commands import Consult
from raas.domain.persons import IdentityClaim
from raas.domain.register import InszState, handle
from tests.unit.domain.builders import (
    MAN,
    NOW,
    OTHER_TENANT,
    TENANT,
    config,
    delete,
    period,
    person,
    register,
)

HERE = Path(__file__).parent


def states() -> dict[str, InszState]:
    state = InszState(MAN)
    tenants = {TENANT: config(TENANT), OTHER_TENANT: config(OTHER_TENANT)}
    commands = [
        (TENANT, register("r1", period(0, 30))),
        (TENANT, register("r2", period(31, 40))),
        (TENANT, register("r3", period(100, None), type_dossier=2)),
        (OTHER_TENANT, register("o1", period(5, 9))),
        (TENANT, delete("d1", period(10, 12))),
        (TENANT, register("e1", period(0, 1), type_dossier=9)),
        (TENANT, Consult("c1", "look", MAN, 1, None)),
        (TENANT, register("i1", period(50, 60), identity=IdentityClaim(last_name="Peeters"))),
        (TENANT, delete("w1", period(500, 600))),
    ]
    for n, (tenant, command) in enumerate(commands):
        state, _ = handle(
            state,
            command,
            tenant=tenant,
            config=tenants[tenant],
            person=person(),
            now=NOW + timedelta(minutes=n),
        )
    return {
        "empty": InszState(MAN),
        "answered": state,
        "replaced": InszState(MAN, state.lines, state.answers, "75060898009"),
    }


def main() -> None:
    for name, state in states().items():
        (HERE / f"{name}.avro").write_bytes(codec.encode(state))
        facts = {
            "insz": state.insz,
            "replaced_by": state.replaced_by,
            "lines": codec.to_json(state)["lines"],
            "answers": [
                {
                    "tenant": a.tenant,
                    "request_id": a.request_id,
                    "status": a.result.status.value,
                    "codes": [d.code for d in a.result.details],
                    "result": codec.to_json(a.result),
                }
                for a in state.answers
            ],
        }
        (HERE / f"{name}.json").write_text(json.dumps(facts, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
