"""Issue 9 on the real broker: what once stopped the service, and the service going on after it.

The first tests run a worker of their own app id (they make it die, and reset its changelogs);
the others use the module's worker. Each ends with the worker serving another tenant.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date

import pytest
from confluent_kafka import TopicPartition
from confluent_kafka.admin import (  # type: ignore[attr-defined]
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
)

from raas import codec
from raas.clients import ensure_topics, make_admin, make_consumer, make_producer
from raas.codec import DeadLetter
from raas.config import Settings
from raas.deadletters import KEPT_KEY_BYTES, KEPT_VALUE_BYTES, TENANT_UNKNOWN
from raas.domain import codes
from raas.domain.commands import Consult, Register
from raas.domain.periods import Period
from raas.domain.results import Status
from raas.sources import person, publish_persons
from raas.topics import ADMIN_TENANTS, DLQ, tenant_topic
from tests.integration.cli import against, raas
from tests.integration.numbers import new_insz, new_kbo
from tests.integration.tenants import new_tenant
from tests.integration.workers import (
    Worker,
    send,
    wait_until_answering,
    wait_until_known,
)


def _id() -> str:
    return str(uuid.uuid4())


def _tenant(settings: Settings) -> str:
    return new_tenant(settings, "Hostile test fund", "member")


def _serves_another_tenant(settings: Settings) -> None:
    """The ingress and the register still answer: a new tenant registers a new person."""
    kbo, insz = _tenant(settings), new_insz()
    publish_persons(settings, [person(insz, "Peeters", "Jan")])
    register = Register(_id(), None, insz, 1, Period(date(2024, 1, 1), None))
    deadline = time.monotonic() + 120
    result = send(settings, kbo, register, timeout=120)
    while codes.INSZ_UNKNOWN.code in {d.code for d in result.details}:
        assert time.monotonic() < deadline, f"{insz} never known: {result.details}"
        result = send(settings, kbo, replace(register, request_id=_id()), timeout=60)
    assert result.status is not Status.ERROR, result.details


class DeadLetterWatch:
    """Reads raas.dlq from its end at creation: the dead letters written after it."""

    def __init__(self, settings: Settings) -> None:
        self._consumer = make_consumer(settings, group_id=None, **{"enable.partition.eof": False})
        partitions = self._consumer.list_topics(DLQ, timeout=10).topics[DLQ].partitions
        ends = [
            TopicPartition(
                DLQ, p, self._consumer.get_watermark_offsets(TopicPartition(DLQ, p), timeout=10)[1]
            )
            for p in partitions
        ]
        self._consumer.assign(ends)

    def wait_for(self, wanted: Callable[[DeadLetter], bool], timeout: float = 120) -> DeadLetter:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = self._consumer.poll(0.5)
            if msg is None or msg.error() is not None:
                continue
            letter = codec.decode(msg.value(), codec.DEAD_LETTER)
            if wanted(letter):
                return letter
        raise AssertionError(f"no such dead letter on {DLQ} within {timeout} s")

    def close(self) -> None:
        self._consumer.close()


@pytest.fixture
def dead_letters(settings: Settings) -> Iterator[DeadLetterWatch]:
    watch = DeadLetterWatch(settings)
    yield watch
    watch.close()


def _produce(settings: Settings, topic: str, value: bytes, key: bytes = b"hostile") -> None:
    producer = make_producer(settings, **{"message.max.bytes": 1_040_000})
    producer.produce(topic, key=key, value=value)
    assert producer.flush(30) == 0


def _set_dlq_max_bytes(settings: Settings, value: str | None) -> None:
    """Set (or, with None, remove) raas.dlq's own `max.message.bytes`."""
    op = AlterConfigOpType.DELETE if value is None else AlterConfigOpType.SET
    entry = ConfigEntry("max.message.bytes", value or "", incremental_operation=op)
    resource = ConfigResource("topic", DLQ, incremental_configs=[entry])
    admin = make_admin(settings)  # held: a client destroyed early fails its futures
    for future in admin.incremental_alter_configs([resource]).values():
        future.result(timeout=30)


@pytest.fixture(scope="module")
def own_settings(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """An app id of its own: its worker dies, and its changelogs are deleted."""
    app_id = f"raas-it-own-{uuid.uuid4().hex[:8]}"
    return replace(settings, app_id=app_id, var_dir=tmp_path_factory.mktemp("own"))


@pytest.fixture(scope="module")
def own_worker(own_settings: Settings) -> Iterator[Worker]:
    worker = Worker(own_settings, "worker-own")
    yield worker
    worker.stop()


def test_an_ingress_that_cannot_go_on_stops_the_worker_non_zero_and_a_restart_skips_the_record(
    own_settings: Settings, own_worker: Worker, dead_letters: DeadLetterWatch
) -> None:
    s = own_settings
    kbo = _tenant(s)
    own_worker.start()
    wait_until_answering(s, kbo, new_insz(), [own_worker])
    topic = tenant_topic(kbo, "commands")
    # The dead letter of 4 KB of bad bytes does not fit: the ingress cannot get past them. (Not
    # lower: below ~100 bytes the broker cannot write transaction markers, and every transaction
    # on raas.dlq stays open for good.)
    _set_dlq_max_bytes(s, "1024")
    try:
        _produce(s, topic, b"\x07" + os.urandom(4000))  # random: compression cannot shrink it
        assert own_worker.proc is not None
        code = own_worker.proc.wait(timeout=180)
    finally:
        _set_dlq_max_bytes(s, None)
    log = own_worker.log.read_text(errors="replace")
    assert code == 1, own_worker.log_tail()
    assert "worker stops: the ingress thread died" in log, own_worker.log_tail()

    own_worker.start()  # as a supervisor would: the record is dead-lettered and skipped
    letter = dead_letters.wait_for(lambda d: d.topic == topic)
    assert letter.reason == "BAD_MAGIC"
    _serves_another_tenant(s)


def test_a_worker_whose_changelogs_are_gone_rebuilds_from_them_warns_and_answers(
    own_settings: Settings, own_worker: Worker
) -> None:
    s = own_settings
    kbo, insz = _tenant(s), new_insz()
    if own_worker.proc is None or own_worker.proc.poll() is not None:
        own_worker.start()
    publish_persons(s, [person(insz, "Janssens", "Els")])
    wait_until_known(s, kbo, [insz], [own_worker])
    first = Register(_id(), None, insz, 1, Period(date(2024, 1, 1), None))
    assert send(s, kbo, first).status is Status.OK
    own_worker.stop()

    changelogs = [f"{s.app_id}-register-changelog", f"{s.app_id}-persons-changelog"]
    admin = make_admin(s)
    for future in admin.delete_topics(changelogs, operation_timeout=30).values():
        future.result(timeout=60)
    deadline = time.monotonic() + 60
    while set(changelogs) & set(admin.list_topics(timeout=10).topics):
        assert time.monotonic() < deadline, "changelog topics still listed after deletion"
        time.sleep(0.2)
    ensure_topics(admin, changelogs, partitions=s.partitions, config={"cleanup.policy": "compact"})

    own_worker.start()
    publish_persons(s, [person(insz, "Janssens", "Els")])  # the identity, published again
    wait_until_known(s, kbo, [insz], [own_worker])
    again = send(s, kbo, Register(_id(), None, insz, 1, Period(date(2024, 1, 1), None)))
    assert again.status is Status.OK, again.details
    log = own_worker.log.read_text(errors="replace")
    assert "is ahead of its changelog (persisted offset" in log, own_worker.log_tail()
    _serves_another_tenant(s)
    own_worker.stop()


def test_a_one_megabyte_record_becomes_a_bounded_dead_letter_and_the_ingress_goes_on(
    worker_settings: Settings, worker: Worker, dead_letters: DeadLetterWatch
) -> None:
    s = worker_settings
    topic = tenant_topic(_tenant(s), "commands")
    _produce(s, topic, b"\x07" + b"x" * 990_000, key=b"k" * 5000)
    letter = dead_letters.wait_for(lambda d: d.topic == topic)
    assert letter.reason == "BAD_MAGIC"
    assert len(letter.value or b"") == KEPT_VALUE_BYTES
    assert len(letter.key or b"") == KEPT_KEY_BYTES
    assert "of 990001 bytes]" in letter.error
    _serves_another_tenant(s)


def test_a_garbage_record_on_the_admin_topic_is_skipped_by_tenant_list_add_and_the_worker(
    worker_settings: Settings, worker: Worker
) -> None:
    s = worker_settings
    _produce(s, ADMIN_TENANTS, b"\x07garbage in the tenant configs", key=f"bad-{_id()}".encode())
    kbo = new_kbo()
    added = raas("tenant", "add", kbo, "--name", "After garbage", "-t", "1:member", env=against(s))
    assert added.returncode == 0, added.stdout + added.stderr
    listed = raas("tenant", "list", "--json", env=against(s))
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert kbo in listed.stdout
    assert "skipping the record at partition" in listed.stderr
    insz = new_insz()
    publish_persons(s, [person(insz, "Maes", "Lotte")])
    wait_until_known(s, kbo, [insz], [worker])
    _serves_another_tenant(s)


def test_a_command_of_a_tenant_never_added_is_dead_lettered_and_makes_no_topic(
    worker_settings: Settings, worker: Worker, dead_letters: DeadLetterWatch
) -> None:
    s = worker_settings
    stranger = new_kbo()
    commands = tenant_topic(stranger, "commands")
    ensure_topics(make_admin(s), [commands], partitions=2)  # by hand: no `raas tenant add`
    _produce(s, commands, codec.encode(Consult(_id(), None, new_insz())))
    letter = dead_letters.wait_for(lambda d: d.topic == commands)
    assert letter.reason == TENANT_UNKNOWN
    topics = make_admin(s).list_topics(timeout=10).topics
    assert tenant_topic(stranger, "results") not in topics
    _serves_another_tenant(s)


def test_a_tenant_without_config_but_with_a_results_topic_gets_error_302(
    worker_settings: Settings, worker: Worker
) -> None:
    s = worker_settings
    stranger = new_kbo()
    topics = [tenant_topic(stranger, "commands"), tenant_topic(stranger, "results")]
    ensure_topics(make_admin(s), topics, partitions=2)
    insz = new_insz()
    publish_persons(s, [person(insz, "Claes", "Noor")])
    wait_until_known(s, _tenant(s), [insz], [worker])
    result = send(s, stranger, Consult(_id(), None, insz), timeout=90)
    assert result.status is Status.ERROR
    assert codes.TENANT_UNKNOWN.code in {d.code for d in result.details}
    _serves_another_tenant(s)


def test_the_broker_creates_no_topic_on_a_first_write(settings: Settings) -> None:
    topic = tenant_topic(new_kbo(), "results")
    producer = make_producer(settings, **{"message.timeout.ms": 5000})
    failures: list[str] = []
    producer.produce(topic, value=b"x", on_delivery=lambda err, _m: failures.append(str(err)))
    producer.flush(30)
    assert failures, "a write to a topic nobody created was acknowledged"
    assert topic not in make_admin(settings).list_topics(timeout=10).topics
