"""The ingress's rule for a record it cannot forward: tried alone, dead-lettered after two failures.

Hand-written fakes of the transactional producer and the consumer; the real broker's side is in
tests/integration/test_hostile_infrastructure.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from confluent_kafka import KafkaError, KafkaException

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
    _pending: list[tuple[str, bytes | None]] = field(default_factory=list)
    _offsets: list[tuple[str, int, int]] = field(default_factory=list)

    def begin_transaction(self) -> None:
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


def _ingress(producer: Producer) -> Ingress:
    ingress = Ingress(SETTINGS, Tenants(), Lifeline(stop_process=lambda: None))  # type: ignore[arg-type]
    ingress._producer, ingress._consumer = producer, Consumer()  # type: ignore[assignment]
    return ingress


def _command(insz: str, offset: int) -> FakeMessage:
    value = codec.encode(Consult(f"req-{offset}", None, insz))
    return FakeMessage(value, insz.encode(), TOPIC, 0, offset)


def test_a_record_that_fails_twice_alone_is_dead_lettered_and_the_others_go_on() -> None:
    producer = Producer()
    batch = [_command(GOOD, 10), _command(POISON, 11), _command(LATER, 12)]

    _ingress(producer)._forward_batch(batch)  # type: ignore[arg-type]

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

    _ingress(producer)._forward_batch([_command(POISON, 5)])  # type: ignore[arg-type]

    assert producer.committed == [(internal_commands_topic("t-ingress"), POISON.encode())]
    assert producer.offsets == [[(TOPIC, 0, 6)]]
