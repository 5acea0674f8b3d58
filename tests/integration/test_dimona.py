"""Dimona declarations routed to the tenants' dimona topics by a real worker (issue 11).

A tenant that should get nothing is proven so by its topic's order: a later declaration that it
does receive (same INSZ, same partition) comes first on its topic.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from confluent_kafka import OFFSET_BEGINNING, TopicPartition

from raas import codec
from raas.clients import make_admin, make_consumer, make_producer
from raas.config import Settings
from raas.domain.commands import Register
from raas.domain.dimona import DimonaDeclaration, DimonaKind, DimonaMutation
from raas.domain.identifiers import event_id_for
from raas.domain.periods import Period
from raas.domain.results import Status
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant, authorize_dimona_for, subscribe_dimona_for
from raas.sources import person, publish_persons
from raas.topics import DIMONA_DECLARATIONS, DLQ, internal_dimona_topic, tenant_topic
from tests.integration.numbers import new_insz, new_kbo
from tests.integration.workers import send

pytestmark = pytest.mark.usefixtures("worker")

WAIT = 60.0  # seconds a tenant's mutations may take to arrive


def tenant(settings: Settings, *, subscribed: bool) -> str:
    kbo = new_kbo()
    add_tenant(settings, kbo, "Dimona fund", [DossierType(1, "member")])
    if subscribed:
        authorize_dimona_for(settings, kbo, "DEL-1")
        subscribe_dimona_for(settings, kbo)
    return kbo


def person_in_register(settings: Settings, lines: dict[str, Period]) -> str:
    """A new INSZ with one line per tenant."""
    insz = new_insz()
    publish_persons(settings, [person(insz, "Peeters", "Jan")])
    for kbo, period in lines.items():
        result = send(settings, kbo, Register(str(uuid.uuid4()), None, insz, 1, period))
        assert result.status is Status.OK, result.details
    return insz


def declare(
    settings: Settings, insz: str, kind: DimonaKind, period_id: str, begin: date, end: date | None
) -> DimonaDeclaration:
    declaration = DimonaDeclaration(
        declaration_id=str(uuid.uuid4()),
        period_id=period_id,
        kind=kind,
        employer=new_kbo(),
        worker_insz=insz,
        worker_type="STU",
        joint_committee="302",
        begin=begin,
        end=end,
        event_id=str(uuid.uuid4()),
        timestamp=datetime.now(UTC).replace(microsecond=0),  # Avro keeps milliseconds
    )
    producer = make_producer(settings)
    producer.produce(DIMONA_DECLARATIONS, key=insz.encode(), value=codec.encode(declaration))
    assert producer.flush(30) == 0
    return declaration


class DimonaTopic:
    """A tenant's dimona topic, read from its beginning, as a tenant reads it: a copy written
    again after a worker's restart or rebalance (same event id) is dropped."""

    def __init__(self, settings: Settings, kbo: str) -> None:
        self.kbo = kbo
        self.received: list[tuple[str, DimonaMutation]] = []
        self._consumer = make_consumer(settings, group_id=f"dimona-test-{uuid.uuid4()}")
        topic = tenant_topic(kbo, "dimona")
        partitions = self._consumer.list_topics(topic, timeout=30).topics[topic].partitions
        self._consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])

    def read(self, count: int, within: float = WAIT) -> list[tuple[str, DimonaMutation]]:
        """The first `count` mutations; fails when they do not arrive `within` seconds."""
        deadline = time.monotonic() + within
        while len(self.received) < count and time.monotonic() < deadline:
            message = self._consumer.poll(1.0)
            if message is None or message.error() is not None:
                continue
            key = (message.key() or b"").decode()
            mutation = codec.decode(message.value(), codec.DIMONA_MUTATION)
            if all(mutation.event_id != seen.event_id for _, seen in self.received):
                self.received.append((key, mutation))  # a copy (at least once) is dropped
        assert len(self.received) >= count, f"{self.kbo} got only {self.received}"
        return self.received[:count]

    def periods(self, count: int) -> list[tuple[str, DimonaKind]]:
        return [(m.declaration.period_id, m.declaration.kind) for _, m in self.read(count)]

    def close(self) -> None:
        self._consumer.close()


def test_a_declaration_reaches_only_subscribed_tenants_whose_lines_overlap_its_period(
    worker_settings: Settings,
) -> None:
    s = worker_settings
    spring, autumn = Period(date(2025, 1, 1), date(2025, 6, 30)), Period(date(2025, 9, 1), None)
    within, outside, unsubscribed = (
        tenant(s, subscribed=True),
        tenant(s, subscribed=True),
        tenant(s, subscribed=False),
    )
    insz = person_in_register(s, {within: spring, outside: autumn, unsubscribed: spring})
    topics = [DimonaTopic(s, kbo) for kbo in (within, outside, unsubscribed)]
    try:
        declaration = declare(s, insz, DimonaKind.IN, "p1", date(2025, 3, 1), date(2025, 3, 31))
        declare(s, insz, DimonaKind.IN, "p2", date(2025, 10, 1), date(2025, 10, 31))

        [(key, mutation)] = topics[0].read(1)
        assert (key, mutation.tenant) == (insz, within)
        assert mutation.declaration == declaration
        assert mutation.event_id == event_id_for(declaration.event_id, within)
        assert topics[1].periods(1) == [("p2", DimonaKind.IN)]  # p1 is outside its line

        authorize_dimona_for(s, unsubscribed, "DEL-2")
        subscribe_dimona_for(s, unsubscribed)
        first = received_after_subscribing(s, insz, topics[2])
        assert first[0] != "p1", "a declaration reached a tenant before it subscribed"
    finally:
        for topic in topics:
            topic.close()


def received_after_subscribing(
    settings: Settings, insz: str, topic: DimonaTopic
) -> tuple[str, DimonaKind]:
    """Declare again until the worker has seen the subscription; the tenant's first mutation."""
    deadline = time.monotonic() + WAIT
    attempt = 0
    while time.monotonic() < deadline:
        attempt += 1
        declare(settings, insz, DimonaKind.IN, f"late-{attempt}", date(2025, 4, 1), None)
        try:
            return topic.periods(1)[0]
        except AssertionError:
            continue
    raise AssertionError(f"{topic.kbo} received nothing after subscribing")


def test_a_cancel_reaches_every_tenant_that_received_the_in_and_those_of_the_new_period(
    worker_settings: Settings,
) -> None:
    s = worker_settings
    spring, later = Period(date(2025, 1, 1), date(2025, 6, 30)), Period(date(2027, 1, 1), None)
    first, second, newcomer = (tenant(s, subscribed=True) for _ in range(3))
    insz = person_in_register(s, {first: spring, second: spring, newcomer: later})
    topics = [DimonaTopic(s, kbo) for kbo in (first, second, newcomer)]
    try:
        declare(s, insz, DimonaKind.IN, "7", date(2025, 2, 1), date(2025, 2, 28))
        declare(s, insz, DimonaKind.UPDATE, "7", date(2027, 2, 1), date(2027, 2, 28))
        declare(s, insz, DimonaKind.CANCEL, "7", date(2027, 2, 1), date(2027, 2, 28))

        everything = [("7", DimonaKind.IN), ("7", DimonaKind.UPDATE), ("7", DimonaKind.CANCEL)]
        assert topics[0].periods(3) == everything
        assert topics[1].periods(3) == everything
        assert topics[2].periods(2) == everything[1:]  # it had no line in the IN's period
    finally:
        for topic in topics:
            topic.close()


def test_a_tenant_without_its_dimona_topic_costs_a_dead_letter_and_the_others_still_get_theirs(
    worker_settings: Settings,
) -> None:
    s = worker_settings
    spring = Period(date(2025, 1, 1), date(2025, 6, 30))
    present, gone = tenant(s, subscribed=True), tenant(s, subscribed=True)
    insz = person_in_register(s, {present: spring, gone: spring})
    admin = make_admin(s)  # kept: its futures fail once the client is gone
    deleted = admin.delete_topics([tenant_topic(gone, "dimona")])
    assert all(future.result(timeout=30) is None for future in deleted.values())
    letters = DeadLetterTopic(s)
    topic = DimonaTopic(s, present)
    try:
        declare(s, insz, DimonaKind.IN, "9", date(2025, 5, 1), None)

        assert topic.periods(1) == [("9", DimonaKind.IN)]
        letter = letters.first_with_key(insz)
        assert letter.topic == internal_dimona_topic(s.app_id)
        assert tenant_topic(gone, "dimona") in letter.error
    finally:
        topic.close()
        letters.close()


class DeadLetterTopic:
    """raas.dlq from its end now."""

    def __init__(self, settings: Settings) -> None:
        self._consumer = make_consumer(settings, group_id=f"dimona-dlq-{uuid.uuid4()}")
        partitions = self._consumer.list_topics(DLQ, timeout=30).topics[DLQ].partitions
        ends = {
            p: self._consumer.get_watermark_offsets(TopicPartition(DLQ, p), timeout=30)[1]
            for p in partitions
        }
        self._consumer.assign([TopicPartition(DLQ, p, o) for p, o in ends.items()])

    def first_with_key(self, key: str) -> Any:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            message = self._consumer.poll(1.0)
            if message is not None and message.error() is None and message.key() == key.encode():
                return codec.decode(message.value(), codec.DEAD_LETTER)
        raise AssertionError(f"no dead letter keyed {key} within {WAIT:g} s")

    def close(self) -> None:
        self._consumer.close()
