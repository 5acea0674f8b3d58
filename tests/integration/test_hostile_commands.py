"""Commands a careless or hostile tenant sends (issue 9): huge fields, a command near the broker's
record limit, a request id reused for another command. Each is answered on the real broker, and
the worker and the ingress go on serving another tenant. The last test restarts the worker.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from confluent_kafka import Producer

from raas import codec
from raas.clients import PARTITIONER, end_offset, make_consumer
from raas.config import Settings
from raas.domain import codes
from raas.domain.commands import Consult, Register
from raas.domain.limits import MAX_COMMAND_BYTES
from raas.domain.periods import Period
from raas.domain.persons import IdentityClaim
from raas.domain.results import CommandResult, Status
from raas.sources import person, publish_persons
from raas.tenant_client import command_key
from raas.topics import tenant_topic
from tests.integration.numbers import new_insz
from tests.integration.tenants import new_tenant
from tests.integration.workers import Worker, log_tails, send, wait_until_answering

pytestmark = pytest.mark.usefixtures("worker")

BROKER_RECORD_LIMIT = 1_048_588  # the broker's default message.max.bytes
JANUARY = Period(date(2024, 1, 1), date(2024, 1, 31))


def _id() -> str:
    return str(uuid.uuid4())


def _codes(result: CommandResult) -> set[int]:
    return {d.code for d in result.details}


@pytest.fixture
def tenant(worker_settings: Settings) -> str:
    return new_tenant(worker_settings, "Hostile")


@pytest.fixture
def other_tenant(worker_settings: Settings) -> str:
    return new_tenant(worker_settings, "Bystander")


@pytest.fixture
def insz(worker_settings: Settings) -> str:
    number = new_insz()
    publish_persons(worker_settings, [person(number, "Peeters", "An")])
    return number


def _send_raw(
    settings: Settings, tenant: str, command: Register, timeout: float = 90
) -> tuple[CommandResult, int]:
    """Produce `command` with a hand-written producer that allows records up to the broker's
    limit and does not compress; return its result and the size of the result's record."""
    value = codec.encode(command)
    results = tenant_topic(tenant, "results")
    consumer = make_consumer(settings, group_id="unused", **{"enable.partition.eof": False})
    try:
        partitions = consumer.list_topics(results, timeout=10).topics[results].partitions
        consumer.assign([end_offset(consumer, results, p) for p in partitions])
        producer = Producer(
            {
                "bootstrap.servers": settings.bootstrap_servers,
                "partitioner": PARTITIONER,
                "message.max.bytes": BROKER_RECORD_LIMIT + 100_000,
                "compression.type": "none",
            }
        )
        topic = tenant_topic(tenant, "commands")
        producer.produce(topic, key=command_key(command), value=value)
        assert producer.flush(30) == 0, "the broker refused the command's record"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None or msg.error() is not None:
                continue
            if msg.key() == command.request_id.encode():
                return codec.decode(msg.value(), codec.COMMAND_RESULT), len(msg.value())
    finally:
        consumer.close()
    raise AssertionError(f"no result for {command.request_id} within {timeout} s")


def _named(insz: str, last_name_chars: int) -> Register:
    claim = IdentityClaim(last_name="x" * last_name_chars)
    return Register(_id(), "huge", insz, 1, JANUARY, claim)


def _assert_refused_small(result: CommandResult, size: int) -> None:
    assert result.status is Status.ERROR, result.details
    assert {codes.COMMAND_TOO_LARGE.code, codes.FIELD_TOO_LONG.code} <= _codes(result)
    assert size < MAX_COMMAND_BYTES, f"the refusal itself is {size} bytes"
    assert result.lines == () and result.insz is None


def _assert_served(settings: Settings, tenant: str) -> None:
    """Another tenant's normal command gets its normal answer."""
    number = new_insz()
    publish_persons(settings, [person(number, "Maes", "Bo")])
    result = send(settings, tenant, Register(_id(), "fine", number, 1, JANUARY))
    assert result.status is Status.OK, result.details


def test_two_large_registers_on_one_insz_are_refused_and_the_worker_serves_on(
    worker_settings: Settings, worker: Worker, tenant: str, other_tenant: str, insz: str
) -> None:
    for chars in (900_000, 600_000):
        result, size = _send_raw(worker_settings, tenant, _named(insz, chars))
        _assert_refused_small(result, size)
    consulted = send(worker_settings, tenant, Consult(_id(), None, insz, 1))
    assert codes.NO_LINES_FOUND.code in _codes(consulted), "a refused command was stored"
    _assert_served(worker_settings, other_tenant)
    assert worker.proc is not None and worker.proc.poll() is None, log_tails([worker])


def test_a_command_of_a_megabyte_is_refused_and_the_ingress_forwards_on(
    worker_settings: Settings, tenant: str, other_tenant: str, insz: str
) -> None:
    command = _named(insz, 1_000_000)
    assert 1_000_000 < len(codec.encode(command)) < BROKER_RECORD_LIMIT - 1_000
    result, size = _send_raw(worker_settings, tenant, command)
    _assert_refused_small(result, size)
    _assert_served(worker_settings, other_tenant)


def test_a_request_id_reused_for_another_command_is_refused_and_a_repeat_answered_again(
    worker_settings: Settings, tenant: str, insz: str
) -> None:
    request_id = _id()
    first = send(worker_settings, tenant, Register(request_id, "r", insz, 1, JANUARY))
    assert first.status is Status.OK, first.details
    other = Period(date(2024, 3, 1), date(2024, 3, 31))
    reused = send(worker_settings, tenant, Register(request_id, "r", insz, 1, other))
    assert reused.status is Status.ERROR
    assert _codes(reused) == {codes.REQUEST_ID_REUSED.code}
    again = send(worker_settings, tenant, Register(request_id, "r", insz, 1, JANUARY))
    assert again == first
    consulted = send(worker_settings, tenant, Consult(_id(), None, insz, 1))
    assert [line.period for line in consulted.lines] == [JANUARY], "the reuse changed the lines"


def test_a_repeated_request_gets_the_same_answer_after_a_worker_restart(
    worker_settings: Settings, worker: Worker, tenant: str, insz: str, tmp_path: Path
) -> None:
    """Last in this file: it replaces the module's worker by one with empty local state, which
    restores the register from its changelog."""
    command = Register(_id(), "before", insz, 1, JANUARY)
    first = send(worker_settings, tenant, command)
    assert first.status is Status.OK, first.details
    later = Period(date(2024, 2, 1), date(2024, 2, 28))  # merges: the lines change after it
    assert send(worker_settings, tenant, Register(_id(), None, insz, 1, later)).status is Status.OK
    worker.stop()
    restarted = Worker(replace(worker_settings, var_dir=tmp_path / "fresh"), "worker-b").start()
    try:
        wait_until_answering(worker_settings, tenant, new_insz(), [restarted])
        again = send(worker_settings, tenant, command)
        assert again == first, log_tails([restarted])
        assert [line.period for line in again.lines] == [JANUARY]
    finally:
        restarted.stop()
