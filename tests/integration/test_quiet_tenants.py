"""Quiet tenants on the real broker: the ingress pauses a tenant's partition after a silence and
still forwards the tenant's next command, once (issue 10).

The ingress runs in this process, with an app id of its own and a silence of half a second, so
the test can ask it which partitions it paused; its forwards are read from its internal topic.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest
from confluent_kafka import Consumer, TopicPartition

from raas import codec
from raas.clients import ensure_topics, make_admin, make_consumer, make_producer
from raas.codec.envelopes import TenantCommand
from raas.config import Settings
from raas.domain.commands import Consult
from raas.topics import internal_commands_topic, tenant_topic
from streams.ingress import Ingress
from streams.lifelines import Lifeline
from streams.tenants import TenantDirectory
from tests.integration.numbers import new_insz
from tests.integration.tenants import new_tenant

WAIT = 120.0  # seconds at most for an event of the broker or the ingress


@pytest.fixture
def quick(settings: Settings) -> Iterator[Settings]:
    """Settings of an ingress of its own that pauses a partition after half a second."""
    quick = replace(settings, app_id=f"raas-quiet-{uuid.uuid4().hex[:8]}", ingress_quiet_after=0.5)
    admin = make_admin(quick)
    ensure_topics(admin, [internal_commands_topic(quick.app_id)], 1)
    yield quick
    for future in admin.delete_topics([internal_commands_topic(quick.app_id)]).values():
        future.result()


@pytest.fixture
def tenant(settings: Settings) -> str:
    return new_tenant(settings, "quiet OCMW")


@pytest.fixture
def ingress(quick: Settings, tenant: str) -> Iterator[Ingress]:
    lifeline = Lifeline(stop_process=lambda: None)  # a death is asserted below instead
    started = Ingress(quick, TenantDirectory(quick), lifeline)
    started.start()
    yield started
    started.stop()
    assert lifeline.death is None, lifeline.death


@pytest.fixture
def forwarded(quick: Settings) -> Iterator[Consumer]:
    """A reader of the ingress's internal topic, committed records only, from its start."""
    reader = make_consumer(quick, group_id=f"{quick.app_id}-reader")
    reader.assign([TopicPartition(internal_commands_topic(quick.app_id), 0, 0)])
    yield reader
    reader.close()


def _send(settings: Settings, tenant: str) -> str:
    request_id = str(uuid.uuid4())
    producer = make_producer(settings)
    command = Consult(request_id, "quiet", new_insz())
    producer.produce(
        tenant_topic(tenant, "commands"), key=request_id.encode(), value=codec.encode(command)
    )
    assert producer.flush(30) == 0
    return request_id


def _wait_until_forwarded(reader: Consumer, request_ids: set[str]) -> list[str]:
    """The request ids forwarded, every one, once all of `request_ids` came."""
    seen: list[str] = []
    deadline = time.monotonic() + WAIT
    while not request_ids <= set(seen):
        assert time.monotonic() < deadline, f"not forwarded within {WAIT} s: {request_ids}"
        for msg in reader.consume(num_messages=100, timeout=1.0):
            if msg.error() is None:
                envelope = codec.decode(msg.value(), codec.TENANT_COMMAND)
                assert isinstance(envelope, TenantCommand)
                seen.append(envelope.command.request_id)
    return seen


def _wait_until_paused(ingress: Ingress, tenant: str) -> None:
    partition = (tenant_topic(tenant, "commands"), 0)
    deadline = time.monotonic() + WAIT
    while partition not in ingress.paused_partitions():
        assert time.monotonic() < deadline, f"{partition} not paused within {WAIT} s"
        time.sleep(0.1)  # polling the ingress's state, not waiting out an event


def test_a_tenant_whose_partition_was_paused_gets_its_next_command_forwarded_once(
    settings: Settings, tenant: str, ingress: Ingress, forwarded: Consumer
) -> None:
    first = _send(settings, tenant)
    assert first in _wait_until_forwarded(forwarded, {first})
    _wait_until_paused(ingress, tenant)

    second = _send(settings, tenant)
    seen = _wait_until_forwarded(forwarded, {second})

    assert seen.count(second) == 1
    assert first not in seen  # read once: pausing kept the position


def test_a_tenant_paused_before_its_first_command_gets_it_forwarded(
    settings: Settings, tenant: str, ingress: Ingress, forwarded: Consumer
) -> None:
    _wait_until_paused(ingress, tenant)

    only = _send(settings, tenant)

    assert _wait_until_forwarded(forwarded, {only}).count(only) == 1
