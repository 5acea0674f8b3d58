"""The register follows the authentic sources, on the real broker with a real worker: identity
changes notified to the tenants that know the person, INSZ replacements moving their lines.

Each test has its own tenants and persons. A notification that must not come is shown absent by a
later one that must come after it on the same partition (a marker), never by waiting."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime

import pytest
from confluent_kafka import TopicPartition

from raas import codec
from raas.clients import make_consumer, make_producer
from raas.config import Settings
from raas.domain import codes
from raas.domain.commands import Consult, Register
from raas.domain.notifications import IdentityChanged, InszReplaced, Notification
from raas.domain.periods import Period
from raas.domain.persons import FieldChange
from raas.domain.replacement import InszReplacement
from raas.domain.replacing import StepKind
from raas.domain.results import CommandResult, RegisterLine, Status
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant
from raas.outside.replacements import replacement
from raas.sources import person, publish_persons
from raas.topics import AUTHENTIC_REPLACEMENTS, internal_replacements_topic, tenant_topic
from tests.integration.numbers import new_insz, new_kbo
from tests.integration.test_hostile_infrastructure import DeadLetterWatch
from tests.integration.workers import send

pytestmark = pytest.mark.usefixtures("worker")

JAN, JUN, DEC = date(2024, 1, 1), date(2024, 6, 30), date(2024, 12, 31)


class Notifications:
    """A tenant's notifications topic, read from its beginning (each tenant is new).

    As a tenant's consumer does, it drops a notification whose event id it has seen: a copy
    (a replacement arriving again re-sends its MERGE, whose notifications keep their ids).
    """

    def __init__(self, settings: Settings, kbo: str) -> None:
        topic = tenant_topic(kbo, "notifications")
        self._consumer = make_consumer(settings, group_id=None, **{"enable.partition.eof": False})
        partitions = self._consumer.list_topics(topic, timeout=10).topics[topic].partitions
        self._consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
        self._seen: set[str] = set()

    def next(self, timeout: float = 120) -> tuple[str, Notification]:
        """The next notification not seen before, and its key."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = self._consumer.poll(0.5)
            if msg is None or msg.error() is not None:
                continue
            note = codec.decode(msg.value(), codec.NOTIFICATION)
            if note.event_id in self._seen:
                continue
            self._seen.add(note.event_id)
            return (msg.key() or b"").decode(), note
        raise AssertionError(f"no notification within {timeout} s")

    def close(self) -> None:
        self._consumer.close()


@pytest.fixture
def tenants(worker_settings: Settings) -> Iterator[list[tuple[str, Notifications]]]:
    made: list[tuple[str, Notifications]] = []
    for _ in range(2):
        kbo = new_kbo()
        add_tenant(worker_settings, kbo, "OCMW", [DossierType(1, "aid"), DossierType(2, "income")])
        made.append((kbo, Notifications(worker_settings, kbo)))
    yield made
    for _, notes in made:
        notes.close()


@pytest.fixture
def dead_letters(worker_settings: Settings) -> Iterator[DeadLetterWatch]:
    watch = DeadLetterWatch(worker_settings)
    yield watch
    watch.close()


def known(settings: Settings, *names: str) -> list[str]:
    numbers = [new_insz() for _ in names]
    publish_persons(
        settings, [person(n, name, "Jan") for n, name in zip(numbers, names, strict=True)]
    )
    return numbers


def register(settings: Settings, kbo: str, insz: str, kind: int, begin: date, end: date) -> None:
    """Register a line, again while the person is not yet stored (identities come on their own
    topic: the first command may beat its person)."""
    while True:
        command = Register(str(uuid.uuid4()), "r", insz, kind, Period(begin, end))
        result = send(settings, kbo, command, timeout=120)
        if codes.INSZ_UNKNOWN.code not in {d.code for d in result.details}:
            assert result.status is Status.OK, result.details
            return


def consult(settings: Settings, kbo: str, insz: str) -> CommandResult:
    return send(settings, kbo, Consult(str(uuid.uuid4()), "c", insz), timeout=120)


def spans(lines: Iterable[RegisterLine]) -> list[tuple[str, int, date, date | None]]:
    return sorted((ln.insz, ln.type_dossier, ln.period.begin, ln.period.end) for ln in lines)


def retires_reached(settings: Settings, old: str, count: int, timeout: float = 120) -> None:
    """Wait until `count` RETIRE steps of `old` are on the internal replacements topic."""
    topic = internal_replacements_topic(settings.app_id)
    consumer = make_consumer(settings, group_id=None, **{"enable.partition.eof": False})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
        seen, deadline = 0, time.monotonic() + timeout
        while seen < count:
            assert time.monotonic() < deadline, f"{seen} RETIRE steps of {old}, not {count}"
            msg = consumer.poll(0.5)
            if msg is None or msg.error() is not None or msg.key() != old.encode():
                continue
            step = codec.decode(msg.value(), codec.REPLACEMENT_STEP)
            seen += step.kind is StepKind.RETIRE and step.replacement.old_insz == old
    finally:
        consumer.close()


def replaced(notes: Notifications) -> InszReplaced:
    key, note = notes.next()
    assert isinstance(note, InszReplaced), note
    assert key == note.new_insz
    return note


def test_an_identity_change_tells_each_tenant_every_changed_field_and_an_equal_one_nobody(
    worker_settings: Settings, tenants: list[tuple[str, Notifications]]
) -> None:
    s = worker_settings
    (kbo, notes), (other, other_notes) = tenants
    insz = new_insz()
    first = person(insz, "Peeters", "Jan", address="Kerkstraat 1, 2000 Antwerpen")
    publish_persons(s, [first])
    register(s, kbo, insz, 1, JAN, JUN)
    register(s, other, insz, 2, JAN, DEC)

    moved = person(insz, "Peeters", "Jan Pieter", address="Markt 3, 9000 Gent")
    publish_persons(s, [moved])
    for tenant, inbox in tenants:
        key, note = inbox.next()
        assert key == insz
        assert isinstance(note, IdentityChanged)
        assert (note.tenant, note.insz) == (tenant, insz)
        assert set(note.changes) == {
            FieldChange("first_names", "Jan", "Jan Pieter"),
            FieldChange("address", "Kerkstraat 1, 2000 Antwerpen", "Markt 3, 9000 Gent"),
        }

    again = person(insz, "Peeters", "Jan Pieter", address="Markt 3, 9000 Gent")  # equal
    renamed = person(insz, "Peeters-Claes", "Jan Pieter", address="Markt 3, 9000 Gent")
    publish_persons(s, [again, renamed])
    _, note = notes.next()  # the renaming comes next: the equal snapshot told nobody
    assert isinstance(note, IdentityChanged)
    assert note.changes == (FieldChange("last_name", "Peeters", "Peeters-Claes"),)
    assert note.event_id != other_notes.next()[1].event_id  # one id per tenant


def test_a_replacement_merges_every_tenants_lines_onto_the_new_insz_and_tells_each_once(
    worker_settings: Settings, tenants: list[tuple[str, Notifications]]
) -> None:
    s = worker_settings
    (kbo, notes), (other, other_notes) = tenants
    old, new = known(s, "Janssens", "Janssens")
    register(s, kbo, old, 1, JAN, JUN)
    register(s, other, old, 2, JAN, JUN)
    register(s, kbo, new, 1, date(2024, 7, 1), DEC)

    publish_persons(s, [replacement(old, new)])
    mine, theirs = replaced(notes), replaced(other_notes)
    assert (mine.old_insz, mine.new_insz, theirs.old_insz, theirs.new_insz) == (old, new) * 2
    assert spans(mine.lines) == [(new, 1, JAN, DEC)]  # touching periods merged
    assert spans(theirs.lines) == [(new, 2, JAN, JUN)]

    on_old = consult(s, kbo, old)  # forwarded to the new INSZ, answered there
    assert on_old.insz == new
    assert codes.INSZ_REPLACED.code in {d.code for d in on_old.details}
    assert spans(on_old.lines) == [(new, 1, JAN, DEC)]
    assert consult(s, kbo, new).lines == on_old.lines

    later = Register(str(uuid.uuid4()), "r", old, 2, Period(date(2025, 1, 1), date(2025, 3, 31)))
    acted = send(s, kbo, later, timeout=120)
    assert acted.insz == new
    assert codes.INSZ_REPLACED.code in {d.code for d in acted.details}
    assert (new, 2, date(2025, 1, 1), date(2025, 3, 31)) in spans(consult(s, kbo, new).lines)


def test_a_chain_of_replacements_ends_on_its_last_number(
    worker_settings: Settings, tenants: list[tuple[str, Notifications]]
) -> None:
    s = worker_settings
    (kbo, notes), _ = tenants
    a, b, c = known(s, "Maes", "Maes", "Maes")
    register(s, kbo, a, 1, JAN, JUN)
    publish_persons(s, [replacement(b, c)])
    publish_persons(s, [replacement(a, b)])
    note = replaced(notes)
    assert (note.old_insz, note.new_insz) == (a, c)
    on_a = consult(s, kbo, a)
    assert on_a.insz == c
    assert spans(on_a.lines) == [(c, 1, JAN, JUN)]


def test_a_replacement_closing_a_cycle_is_a_dead_letter_and_moves_nothing(
    worker_settings: Settings,
    tenants: list[tuple[str, Notifications]],
    dead_letters: DeadLetterWatch,
) -> None:
    s = worker_settings
    (kbo, notes), _ = tenants
    a, b = known(s, "Wouters", "Wouters")
    register(s, kbo, a, 1, JAN, JUN)
    register(s, kbo, b, 2, JAN, JUN)
    publish_persons(s, [replacement(a, b)])
    assert replaced(notes).old_insz == a

    publish_persons(s, [replacement(b, a)])
    letter = dead_letters.wait_for(lambda d: f"{b} -> {a}" in d.error)
    assert letter.error.startswith("replacement cycle: ")
    assert spans(consult(s, kbo, b).lines) == [(b, 1, JAN, JUN), (b, 2, JAN, JUN)]


def test_a_replacement_arriving_twice_changes_nothing_the_second_time(
    worker_settings: Settings, tenants: list[tuple[str, Notifications]]
) -> None:
    s = worker_settings
    (kbo, notes), _ = tenants
    a, b, marker = known(s, "Claes", "Claes", "Claes")
    register(s, kbo, a, 1, JAN, JUN)
    register(s, kbo, marker, 2, JAN, JUN)
    publish_persons(s, [replacement(a, b)])
    assert replaced(notes).old_insz == a

    publish_persons(s, [replacement(a, b)])
    retires_reached(s, a, 2)  # the repeat's step at a is on a's partition: the marker follows it
    publish_persons(s, [replacement(marker, a)])  # checked at a, ends on b
    note = replaced(notes)
    assert (note.old_insz, note.new_insz) == (marker, b)
    assert spans(consult(s, kbo, b).lines) == [(b, 1, JAN, JUN), (b, 2, JAN, JUN)]


def test_a_replacement_with_an_invalid_number_is_a_dead_letter_with_its_reason(
    worker_settings: Settings, dead_letters: DeadLetterWatch
) -> None:
    valid = new_insz()
    invalid = valid[:-2] + f"{(int(valid[-2:]) + 1) % 100:02d}"  # its check digits wrong
    bad = InszReplacement(invalid, new_insz(), str(uuid.uuid4()), datetime.now(UTC))
    producer = make_producer(worker_settings)
    producer.produce(AUTHENTIC_REPLACEMENTS, key=invalid.encode(), value=codec.encode(bad))
    assert producer.flush(30) == 0
    letter = dead_letters.wait_for(lambda d: d.key == invalid.encode())
    assert letter.topic == AUTHENTIC_REPLACEMENTS
    assert invalid in letter.error
