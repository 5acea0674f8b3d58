"""The ingress's transactions: records read one after another share the open transaction, which
commits with their offsets; a record it cannot forward is tried alone, dead-lettered after two
failures.

Hand-written fakes of the transactional producer and the consumer; the real broker's side is in
tests/integration/test_hostile_infrastructure.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from confluent_kafka import KafkaError, KafkaException

import streams.ingress as ingress_module
from raas import codec
from raas.config import Settings
from raas.domain.commands import Consult
from raas.topics import DLQ, internal_commands_topic
from streams.ingress import Ingress
from streams.lifelines import Lifeline
from tests.unit.codec.fakes import FakeMessage

SETTINGS = replace(Settings.from_env(), app_id="t-ingress")
TOPIC = "raas.tenant.0403019261.commands"
GOOD, POISON, LATER = "85073003328", "75060898009", "00010100195"


@dataclass
class Producer:
    """Commits what a transaction produced; refuses `fail_times` forwards of `poison_key`."""

    poison_key: bytes = POISON.encode()
    fail_times: int = 1000
    committed: list[tuple[str, bytes | None]] = field(default_factory=list)
    offsets: list[list[tuple[str, int, int]]] = field(default_factory=list)
    aborts: int = 0
    begun: int = 0
    _pending: list[tuple[str, bytes | None]] = field(default_factory=list)
    _offsets: list[tuple[str, int, int]] = field(default_factory=list)

    def begin_transaction(self) -> None:
        self.begun += 1
        self._pending, self._offsets = [], []

    def produce(self, topic: str, value: bytes | None = None, key: bytes | None = None) -> None:
        if topic != DLQ and key == self.poison_key and self.fail_times > 0:
            self.fail_times -= 1
            raise KafkaException(KafkaError(KafkaError.MSG_SIZE_TOO_LARGE))
        self._pending.append((topic, key))

    def send_offsets_to_transaction(self, offsets: Any, _group: Any, _timeout: float) -> None:
        self._offsets = [(tp.topic, tp.partition, tp.offset) for tp in offsets]

    def commit_transaction(self, _timeout: float) -> None:
        self.committed += self._pending
        self.offsets.append(self._offsets)

    def abort_transaction(self, _timeout: float) -> None:
        self.aborts += 1


class Consumer:
    def __init__(self, polls: list[list[FakeMessage]] | None = None) -> None:
        self.polls = polls or []
        self.stop: Callable[[], None] = lambda: None

    def consume(self, num_messages: int, timeout: float) -> list[FakeMessage]:
        """The first ask gets the next prepared poll's first record, the ask after it the rest
        (as much as it asks for); the ingress is stopped once every poll was served."""
        if not self.polls:
            self.stop()
            return []
        poll = self.polls[0]
        taken, self.polls[0] = poll[:num_messages], poll[num_messages:]
        if not self.polls[0]:
            self.polls.pop(0)
        return taken

    def consumer_group_metadata(self) -> None:
        return None

    def list_topics(self, topic: str, timeout: float) -> Any:
        @dataclass
        class Metadata:  # every results topic exists here
            topics: dict[str, Any]
            error: None = None

        return Metadata({topic: Metadata({})})


class Tenants:
    def get(self, kbo: str) -> object:
        return object()  # every tenant is known here


def _ingress(producer: Producer, consumer: Consumer | None = None) -> Ingress:
    ingress = Ingress(SETTINGS, Tenants(), Lifeline(stop_process=lambda: None))  # type: ignore[arg-type]
    consumer = consumer or Consumer()
    consumer.stop = ingress._stop.set
    ingress._producer, ingress._consumer = producer, consumer  # type: ignore[assignment]
    return ingress


def _forward(ingress: Ingress, batch: list[FakeMessage]) -> None:
    ingress._take(batch)  # type: ignore[arg-type]
    if ingress._due is not None:
        ingress._commit()


def _command(insz: str, offset: int) -> FakeMessage:
    value = codec.encode(Consult(f"req-{offset}", None, insz))
    return FakeMessage(value, insz.encode(), TOPIC, 0, offset)


def test_a_record_that_fails_twice_alone_is_dead_lettered_and_the_others_go_on() -> None:
    producer = Producer()
    batch = [_command(GOOD, 10), _command(POISON, 11), _command(LATER, 12)]

    _forward(_ingress(producer), batch)

    target = internal_commands_topic("t-ingress")
    assert producer.committed == [
        (target, GOOD.encode()),
        (DLQ, POISON.encode()),
        (target, LATER.encode()),
    ]
    assert producer.offsets[-1] == [(TOPIC, 0, 13)]
    assert producer.aborts == 3  # the batch, then the poison alone twice


def test_a_record_that_fails_once_is_forwarded_on_its_second_try() -> None:
    producer = Producer(fail_times=1)

    _forward(_ingress(producer), [_command(POISON, 5)])

    assert producer.committed == [(internal_commands_topic("t-ingress"), POISON.encode())]
    assert producer.offsets == [[(TOPIC, 0, 6)]]


def test_records_read_one_after_another_share_one_transaction_committed_when_the_ingress_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ingress_module, "COMMIT_INTERVAL", 3600.0)  # no commit on time here
    producer = Producer()
    polls = [[_command(GOOD, 1)], [_command(LATER, 2), _command(GOOD, 3)], [_command(LATER, 4)]]

    _ingress(producer, Consumer(polls))._run()

    target = internal_commands_topic("t-ingress")
    assert producer.begun == 1
    assert producer.committed == [(target, k.encode()) for k in (GOOD, LATER, GOOD, LATER)]
    assert producer.offsets == [[(TOPIC, 0, 5)]]


def test_a_transaction_commits_once_it_holds_a_batch_of_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ingress_module, "COMMIT_INTERVAL", 3600.0)
    monkeypatch.setattr(ingress_module, "BATCH", 2)
    producer = Producer()
    polls = [[_command(GOOD, 1), _command(LATER, 2)], [_command(GOOD, 3)]]

    _ingress(producer, Consumer(polls))._run()

    assert producer.begun == 2
    assert producer.offsets == [[(TOPIC, 0, 3)], [(TOPIC, 0, 4)]]


class RevokingConsumer(Consumer):
    """A consumer whose rebalance comes while the ingress asks for the rest of its first poll:
    the partition is revoked (and given back), and its record is read again from the
    committed offset."""

    def __init__(self, polls: list[list[FakeMessage]], ingress: Ingress) -> None:
        super().__init__(polls)
        self.ingress, self.asks = ingress, 0

    def consume(self, num_messages: int, timeout: float) -> list[FakeMessage]:
        self.asks += 1
        if self.asks == 2:
            self.ingress._on_revoke(self, [])  # type: ignore[arg-type]
            return []
        return super().consume(num_messages, timeout)


def test_a_record_read_before_a_revoke_is_left_to_the_next_owner_not_forwarded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A rolling restart forwarded one command twice: once by the ingress that held it when its
    # partition was revoked, once by the partition's next owner, from the committed offset.
    monkeypatch.setattr(ingress_module, "COMMIT_INTERVAL", 3600.0)
    producer = Producer()
    ingress = _ingress(producer)
    consumer = RevokingConsumer([[_command(GOOD, 1)], [_command(GOOD, 1)]], ingress)
    consumer.stop = ingress._stop.set
    ingress._consumer = consumer  # type: ignore[assignment]

    ingress._run()

    target = internal_commands_topic("t-ingress")
    assert producer.committed == [(target, GOOD.encode())]
    assert producer.offsets == [[(TOPIC, 0, 2)]]
