from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from io import BytesIO
from typing import Any

import pytest
from fastavro import parse_schema, schemaless_writer
from hypothesis import given, settings
from hypothesis import strategies as st

from raas.codec import COMMAND, NOTIFICATION, CodecError, Reason, decode, encode
from raas.codec.wire import HEADER
from raas.deadletters import DLQ, RawMessage, decode_or_dead_letter
from raas.domain.commands import Register
from raas.domain.notifications import IdentityChanged
from raas.domain.periods import Period
from raas.domain.persons import FieldChange
from tests.unit.codec.fakes import FakeProducer
from tests.unit.codec.strategies import commands

REGISTER = Register("r-1", "ref", "85073003328", 1, Period(date(2024, 1, 1), None))
GOOD = encode(REGISTER)
NOTIFIED = encode(
    IdentityChanged(
        "0403019261", "85073003328", (FieldChange("last_name", "A", "B"),), "e-1",
        datetime(2024, 1, 1, tzinfo=UTC),
    )
)  # fmt: skip
UNKNOWN_ID = HEADER.pack(0, 999_999) + GOOD[5:]

MALFORMED = {
    "a tombstone": (None, Reason.NO_VALUE),
    "no bytes": (b"", Reason.TRUNCATED),
    "a short header": (b"\x00\x00\x01", Reason.TRUNCATED),
    "a wrong magic byte": (b"\x01" + GOOD[1:], Reason.BAD_MAGIC),
    "an unknown schema id": (UNKNOWN_ID, Reason.UNKNOWN_SCHEMA_ID),
    "another record's schema": (NOTIFIED, Reason.SCHEMA_MISMATCH),
    "a body cut short": (GOOD[:-3], Reason.TRUNCATED),
    "bytes after the record": (GOOD + b"\x00\x00", Reason.INVALID_VALUE),
}


def _body_with_bad_birth_date() -> bytes:
    from raas.codec import default_codec

    datum = {
        "event_id": "e",
        "timestamp": datetime(2024, 1, 1, tzinfo=UTC),
        "request_id": "r",
        "reference": None,
        "body": (
            "be.raas.CreateBis",
            {
                "last_name": "X",
                "first_names": "Y",
                "birth_date": {"value": "1990-13-45"},
                "sex": "M",
                "birth_place": None,
                "address": None,
                "confirm_distinct": False,
            },
        ),
    }
    return default_codec().wire.write("Command", datum)


def _body_with_a_sixth_command() -> bytes:
    """A Command whose body is a branch the command union does not have."""
    from raas.codec import default_codec

    schema = copy.deepcopy(default_codec().wire.catalogue.record("Command").expanded)
    body = next(f for f in schema["fields"] if f["name"] == "body")
    body["type"].append({"type": "record", "name": "Bogus", "fields": []})
    datum = {
        "event_id": "e",
        "timestamp": datetime(2024, 1, 1, tzinfo=UTC),
        "request_id": "r",
        "reference": None,
        "body": ("be.raas.Bogus", {}),
    }
    out = BytesIO(GOOD[:5])
    out.seek(5)
    schemaless_writer(out, parse_schema(schema), datum)
    return out.getvalue()


MALFORMED["a birth date no calendar has"] = (_body_with_bad_birth_date(), Reason.INVALID_VALUE)
MALFORMED["a union branch the schema lacks"] = (_body_with_a_sixth_command(), Reason.INVALID_VALUE)


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_each_malformed_input_raises_a_codec_error_with_its_reason(case: str) -> None:
    data, reason = MALFORMED[case]
    with pytest.raises(CodecError) as raised:
        decode(data, COMMAND)
    assert raised.value.reason is reason


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_each_malformed_input_reaches_the_dead_letter_topic_with_its_reason(case: str) -> None:
    data, reason = MALFORMED[case]
    producer = FakeProducer()
    message = RawMessage("raas.tenant.0403019261.commands", 3, 42, b"85073003328", data)

    assert decode_or_dead_letter(producer, message, COMMAND, consumer="ingress") is None

    (topic, value, key), = producer.sent  # fmt: skip
    letter = decode(value, "DeadLetter")
    assert (topic, key) == (DLQ, b"85073003328")
    assert letter.reason == reason.value  # type: ignore[attr-defined]
    assert letter.value == data  # type: ignore[attr-defined]
    assert (letter.partition, letter.offset) == (3, 42)  # type: ignore[attr-defined]


def test_a_good_message_is_decoded_and_nothing_is_dead_lettered() -> None:
    producer = FakeProducer()
    message = RawMessage("raas.tenant.0403019261.commands", 0, 0, None, GOOD)
    assert decode_or_dead_letter(producer, message, COMMAND, consumer="ingress") == REGISTER
    assert producer.sent == []


def test_the_error_says_what_was_expected_and_what_was_found() -> None:
    with pytest.raises(CodecError, match="is a Notification, expected a Command"):
        decode(NOTIFIED, COMMAND)
    assert decode(NOTIFIED, NOTIFICATION).insz == "85073003328"


def test_an_object_no_record_holds_cannot_be_encoded() -> None:
    with pytest.raises(CodecError) as raised:
        encode(object())
    assert raised.value.reason is Reason.UNKNOWN_RECORD


@settings(max_examples=40, deadline=None)
@given(command=commands, data=st.data())
def test_a_command_cut_anywhere_in_its_body_is_reported_truncated(command: Any, data: Any) -> None:
    whole = encode(command)
    cut = data.draw(st.integers(HEADER.size, len(whole) - 1))
    with pytest.raises(CodecError) as raised:
        decode(whole[:cut], COMMAND)
    assert raised.value.reason is Reason.TRUNCATED
