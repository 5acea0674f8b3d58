"""Records become rows: the pure functions the sinks are built on, and a batch's Changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from raas import codec
from raas.domain.birthdates import BirthDate
from sinks.rows import (
    Changes,
    audit_row,
    brussels_day,
    dimona_row,
    line_rows,
    notification_row,
    person_row,
)
from sinks.search import first_name_key, last_name_key
from tests.unit.sinks.records import (
    identity_changed,
    insz_replaced,
    mutation,
    result,
    snapshot,
    state,
)

TENANT = "0403019261"
OTHER = "1000000021"
MAN = "85073003328"
WOMAN = "75060898009"
V1_STATE = Path(__file__).parents[2] / "data" / "inszstate_v1" / "answered.avro"


def test_a_result_becomes_an_audit_row_with_its_command_kind_status_and_codes() -> None:
    at = datetime(2025, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)
    row = audit_row(result(TENANT, MAN, 7, at))
    assert row["tenant"] == TENANT
    assert row["request_id"] == "req-7"
    assert row["kind"] == "Register"
    assert row["insz"] == MAN
    assert row["status"] == "OK"
    assert row["codes"] == [100]
    assert row["time"] == datetime(2025, 3, 1, 12, 0, 0, 123000)  # naive UTC
    assert row["day"] == "2025-03-01"


def test_a_result_late_in_the_utc_evening_counts_on_the_next_brussels_day() -> None:
    assert brussels_day(datetime(2025, 7, 31, 22, 30, tzinfo=UTC)) == "2025-08-01"
    assert brussels_day(datetime(2025, 1, 31, 22, 30, tzinfo=UTC)) == "2025-01-31"


def test_an_identity_change_is_a_notification_of_its_person_with_the_record_as_payload() -> None:
    notification = identity_changed(TENANT, MAN, 1)
    row = notification_row(notification)
    assert (row["tenant"], row["insz"], row["kind"]) == (TENANT, MAN, "IdentityChanged")
    assert row["event_id"] == notification.event_id
    assert row["payload"] == codec.to_json(notification)


def test_a_replacement_notification_is_filed_under_the_new_insz() -> None:
    row = notification_row(insz_replaced(TENANT, WOMAN, MAN))
    assert (row["insz"], row["kind"]) == (MAN, "InszReplaced")


def test_a_dimona_mutation_is_filed_under_its_worker_with_the_declaration_kind() -> None:
    row = dimona_row(mutation(TENANT, MAN, 1))
    assert (row["tenant"], row["insz"], row["kind"]) == (TENANT, MAN, "UPDATE")


def test_a_person_keeps_an_incomplete_birth_date_as_written() -> None:
    row = person_row(replace(snapshot(MAN, "Peeters"), birth_date=BirthDate(1985, 7, 0)))
    assert row["birth_date"] == "1985-07-00"
    assert (row["sex"], row["source"]) == ("M", "RN")


def test_a_person_row_carries_the_phonetic_keys_the_search_looks_it_up_by() -> None:
    person = replace(snapshot(MAN, "Van den Berghe"), first_names="Jan-Pieter Karel")
    row = person_row(person)
    assert (row["last_name_key"], row["first_name_key"]) == (
        last_name_key("Vandenberg"),
        first_name_key("Jan-Pieter"),
    )
    assert row["last_name_key"] and row["first_name_key"]


def test_a_state_gives_every_tenants_lines_and_a_tombstone_none() -> None:
    rows = line_rows(state(MAN, (TENANT, OTHER), 3))
    assert len(rows) == 6
    assert {r["tenant"] for r in rows} == {TENANT, OTHER}
    assert rows[0] == {
        "tenant": TENANT,
        "insz": MAN,
        "type_dossier": 1,
        "begin": date(2024, 1, 1),
        "end": date(2024, 1, 31),
    }
    assert line_rows(None) == []


def test_a_replaced_insz_gives_no_line_though_its_state_keeps_them() -> None:
    retired = replace(state(MAN, (TENANT, OTHER), 3), replaced_by=WOMAN)
    assert retired.lines
    assert line_rows(retired) == []


def test_a_state_written_by_version_1_gives_its_lines() -> None:
    old = codec.decode(V1_STATE.read_bytes(), codec.INSZ_STATE)
    found = [(r["tenant"], r["type_dossier"], r["begin"], r["end"]) for r in line_rows(old)]
    assert found == [
        (TENANT, 1, date(2024, 1, 1), date(2024, 1, 10)),
        (TENANT, 1, date(2024, 1, 14), date(2024, 2, 10)),
        (TENANT, 2, date(2024, 4, 10), None),
        (OTHER, 1, date(2024, 1, 6), date(2024, 1, 10)),
    ]


def test_the_newer_snapshot_of_a_person_wins_in_a_batch_whatever_their_order() -> None:
    old = person_row(snapshot(MAN, "Old", datetime(2025, 1, 1, tzinfo=UTC)))
    new = person_row(snapshot(MAN, "New", datetime(2025, 1, 1, tzinfo=UTC) + timedelta(1)))
    for order in ((old, new), (new, old)):
        changes = Changes()
        for row in order:
            changes.add("persons", (MAN,), row)
        assert changes.rows["persons"][(MAN,)]["last_name"] == "New"


def test_the_last_state_of_an_insz_in_a_batch_replaces_its_lines() -> None:
    changes = Changes()
    changes.replace_lines(MAN, line_rows(state(MAN, (TENANT,), 2)))
    changes.replace_lines(MAN, [])
    assert changes.lines == {MAN: []}
    assert len(changes) == 1
