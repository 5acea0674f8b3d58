"""A batch of messages becomes Changes and offsets; bad records go to raas.dlq, the rest on."""

from __future__ import annotations

from raas import codec
from raas.topics import DLQ
from sinks.batches import batch_changes
from sinks.routes import register_changelog, sink_specs
from tests.unit.codec.fakes import FakeMessage, FakeProducer
from tests.unit.sinks.records import result, state

TENANT = "0403019261"
MAN = "85073003328"
WOMAN = "75060898009"
RESULTS = f"raas.tenant.{TENANT}.results"
CHANGELOG = register_changelog("raas")
SPECS = {spec.name: spec for spec in sink_specs("raas")}


def test_a_batch_of_results_gives_one_audit_row_each_and_the_offset_after_the_last() -> None:
    messages = [
        FakeMessage(codec.encode(result(TENANT, MAN, n)), b"k", RESULTS, 3, 10 + n)
        for n in range(3)
    ]
    changes, offsets = batch_changes(
        SPECS["audit"], codec.default_codec(), FakeProducer(), messages
    )
    assert len(changes.rows["audit"]) == 3
    assert offsets == {(RESULTS, 3): 13}


def test_an_unreadable_record_is_dead_lettered_and_its_offset_still_passed() -> None:
    producer = FakeProducer()
    messages = [
        FakeMessage(b"not avro", b"key", RESULTS, 0, 5),
        FakeMessage(codec.encode(result(TENANT, MAN, 1)), b"k", RESULTS, 0, 6),
    ]
    changes, offsets = batch_changes(SPECS["audit"], codec.default_codec(), producer, messages)
    assert len(changes.rows["audit"]) == 1
    assert offsets == {(RESULTS, 0): 7}
    [(topic, value, key)] = producer.sent
    letter = codec.decode(value, codec.DEAD_LETTER)
    assert (topic, key, letter.offset, letter.reason) == (DLQ, b"key", 5, "BAD_MAGIC")
    assert letter.consumer == "sink-audit"


def test_a_changelog_tombstone_clears_the_lines_of_its_insz() -> None:
    messages = [
        FakeMessage(codec.encode(state(MAN, (TENANT,), 2)), MAN.encode(), CHANGELOG, 0, 0),
        FakeMessage(None, MAN.encode(), CHANGELOG, 0, 1),
    ]
    changes, _ = batch_changes(SPECS["register"], codec.default_codec(), FakeProducer(), messages)
    assert changes.lines == {MAN: []}


def test_a_state_filed_under_another_insz_is_refused_as_a_dead_letter() -> None:
    producer = FakeProducer()
    messages = [FakeMessage(codec.encode(state(MAN, (TENANT,), 1)), WOMAN.encode(), CHANGELOG)]
    changes, _ = batch_changes(SPECS["register"], codec.default_codec(), producer, messages)
    assert changes.lines == {}
    assert len(producer.sent) == 1


def test_every_tenants_results_and_no_other_topic_go_to_the_audit_sink() -> None:
    audit = SPECS["audit"]
    assert audit.route_for(RESULTS) is not None
    assert audit.route_for("raas.tenant.0403019261.commands") is None
    assert audit.route_for("raas.tenant.403019261.results") is None
    assert SPECS["register"].route_for("raas-register-changelog") is not None
