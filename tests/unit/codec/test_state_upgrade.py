"""InszState records written by version 1 (tests/data/inszstate_v1, made by its generate.py on
the tree before version 2) still load, and a repeated request answers as remembered."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from raas import codec
from raas.codec.wire import HEADER
from raas.domain.commands import Command, Consult
from raas.domain.register import InszState, handle
from raas.domain.results import CommandResult
from tests.unit.domain.builders import MAN, NOW, TENANT, config, period, person, register

DATA = Path(__file__).parents[2] / "data" / "inszstate_v1"


def load(name: str) -> tuple[bytes, dict[str, object]]:
    return (DATA / f"{name}.avro").read_bytes(), json.loads((DATA / f"{name}.json").read_text())


def test_the_test_data_is_written_with_the_first_schema_version() -> None:
    raw, _ = load("answered")
    _, schema_id = HEADER.unpack_from(raw)
    assert schema_id == codec.default_codec().wire.ids.id_for(
        codec.default_codec().wire.catalogue.released("InszState")[0]
    )


@pytest.mark.parametrize("name", ["empty", "answered", "replaced"])
def test_a_version_1_state_loads_with_its_lines_and_its_non_consult_answers(name: str) -> None:
    raw, facts = load(name)
    state = codec.decode(raw, codec.INSZ_STATE)
    assert (state.insz, state.replaced_by) == (facts["insz"], facts["replaced_by"])
    assert codec.to_json(state)["lines"] == facts["lines"]
    old = [a for a in facts["answers"] if "Consult" not in json.dumps(a["result"]["command"])]  # type: ignore[attr-defined]
    assert [(a.tenant, a.request_id) for a in state.answers] == [
        (a["tenant"], a["request_id"]) for a in old
    ]
    assert [[r.code for r in a.remarks] for a in state.answers] == [a["codes"] for a in old]


def test_a_request_repeated_after_the_upgrade_gets_its_status_codes_and_touched_lines() -> None:
    raw, facts = load("answered")
    state = codec.decode(raw, codec.INSZ_STATE)
    first = {a["request_id"]: a for a in facts["answers"]}  # type: ignore[union-attr]
    again, r1 = run(state, register("r1", period(0, 30)))
    assert again is state
    assert (r1.status.value, [d.code for d in r1.details]) == (
        first["r1"]["status"],
        first["r1"]["codes"],
    )
    assert r1.timestamp == NOW and r1.event_id == first["r1"]["result"]["event_id"]
    # version 1 showed every line of the TypeDossier; the touched one is among them
    assert [str(line.period) for line in r1.lines] == ["2024-01-01..2024-01-31"]
    reused = run(state, register("r1", period(0, 31)))[1]
    assert [d.code for d in reused.details] == [316]


def test_a_consult_remembered_by_version_1_is_answered_afresh() -> None:
    raw, _ = load("answered")
    state = codec.decode(raw, codec.INSZ_STATE)
    after, result = run(state, Consult("c1", "look", MAN, 1, None))
    assert after is state and result.timestamp == NOW + timedelta(days=1)


def test_a_version_1_state_is_written_back_as_version_2_and_reads_the_same() -> None:
    raw, _ = load("answered")
    state = codec.decode(raw, codec.INSZ_STATE)
    rewritten = codec.encode(state)
    assert rewritten != raw and codec.decode(rewritten, codec.INSZ_STATE) == state


def run(state: InszState, command: Command) -> tuple[InszState, CommandResult]:
    return handle(
        state,
        command,
        tenant=TENANT,
        config=config(),
        person=person(),
        now=NOW + timedelta(days=1),
    )
