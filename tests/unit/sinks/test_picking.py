"""A picker reads the kept fields of a record the way a full decode reads them, or gives up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given

from raas.codec import COMMAND_RESULT, NOTIFICATION, default_codec, encode
from raas.codec.picking import BRANCH, KEEP, Picker
from raas.codec.wire import HEADER
from raas.domain.results import CommandResult
from sinks.routes import result_picker
from sinks.rows import audit_row, audit_row_of
from tests.unit.codec.strategies import results
from tests.unit.sinks.records import identity_changed, result

TENANT = "0403019261"
MAN = "85073003328"
GOOD = encode(result(TENANT, MAN, 1))


@given(results)
def test_a_picked_result_gives_the_audit_row_of_the_whole_decoded_result(
    answer: CommandResult,
) -> None:
    picked = result_picker(default_codec()).read(encode(answer))
    assert picked is not None
    assert audit_row_of(picked) == audit_row(answer)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2025, 3, 30, 0, 59, 59, 999000, tzinfo=UTC),  # Brussels 01:59 on the 30th
        datetime(2025, 10, 25, 22, 0, tzinfo=UTC),  # Brussels midnight, summer time
        datetime(2025, 12, 31, 23, 0, tzinfo=UTC),  # Brussels midnight, winter time
        datetime(1969, 12, 31, 22, 59, tzinfo=UTC),  # before the epoch
    ],
)
def test_a_picked_result_falls_on_the_brussels_day_around_midnight_and_clock_changes(
    moment: datetime,
) -> None:
    answer = result(TENANT, MAN, 1, moment)
    picked = result_picker(default_codec()).read(encode(answer))
    assert picked is not None
    assert audit_row_of(picked) == audit_row(answer)


def test_a_picker_keeps_a_unions_branch_name_and_only_the_kept_fields_of_each_item() -> None:
    picker = Picker(
        default_codec().wire, COMMAND_RESULT, {"command": BRANCH, "details": {"code": KEEP}}
    )
    assert picker.read(GOOD) == {"command": "Register", "details": [{"code": 100}]}


@pytest.mark.parametrize(
    "data",
    [
        None,
        b"",
        b"\x01" + GOOD[1:],  # another magic byte
        HEADER.pack(0, 999_999) + GOOD[5:],  # an unknown schema id
        encode(identity_changed(TENANT, MAN, 1)),  # another record
        GOOD[:-3],  # cut short
        GOOD[:40],  # cut inside a string
        GOOD + b"\x00",  # a byte left over
    ],
    ids=["none", "empty", "magic", "unknown id", "other record", "short", "cut", "left over"],
)
def test_a_picker_gives_up_on_what_it_cannot_read_and_leaves_the_verdict_to_the_decoder(
    data: bytes | None,
) -> None:
    assert result_picker(default_codec()).read(data) is None


def test_a_picker_gives_up_on_a_writer_without_a_field_it_keeps() -> None:
    picker = Picker(default_codec().wire, COMMAND_RESULT, {"nickname": KEEP})
    assert picker.read(GOOD) is None


def test_a_picker_of_notifications_reads_no_command_result() -> None:
    picker = Picker(default_codec().wire, NOTIFICATION, {"event_id": KEEP})
    assert picker.read(GOOD) is None
