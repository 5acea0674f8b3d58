"""Probes of what the secure broker lets a login do: write one record, read the first event, run
`raas`."""

from __future__ import annotations

import subprocess
import time
from typing import Any

from confluent_kafka import Consumer, KafkaError, TopicPartition

from raas.clients import make_consumer, make_producer
from raas.config import Settings, security_environment
from tests.integration import cli

WAIT = 30.0


def delivery_error(settings: Settings, topic: str) -> KafkaError | None:
    """Produce one record as `settings`' user; the delivery report's error (None: written)."""
    producer = make_producer(settings)
    reports: list[KafkaError | None] = []
    producer.produce(topic, key=b"k", value=b"v", on_delivery=lambda err, _msg: reports.append(err))
    producer.flush(WAIT)
    assert len(reports) == 1, "no delivery report"
    return reports[0]


def first_event(consumer: Consumer) -> Any:
    """The first record or error (other than a partition's end) the consumer gets."""
    deadline = time.monotonic() + WAIT
    try:
        while time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            error = msg.error()
            if error is not None and error.code() == KafkaError._PARTITION_EOF:
                continue
            return msg
        raise AssertionError(f"nothing within {WAIT:g} s")
    finally:
        consumer.close()


def subscribed_error(settings: Settings, group: str, topic: str) -> int | None:
    """Subscribe as `settings`' user in `group` to `topic`: the first event's error code, None
    when the first event is a record."""
    consumer = make_consumer(settings, group_id=group)
    consumer.subscribe([topic])
    error = first_event(consumer).error()
    return None if error is None else int(error.code())


def assigned_error(settings: Settings, topic: str) -> int | None:
    """Read `topic`'s partition 0 by assignment (no group) as `settings`' user: the error code of
    its metadata (a topic it may not even see) or of the first event, None when that is a record."""
    consumer = make_consumer(settings, group_id=f"{settings.app_id}-tool")
    described = consumer.list_topics(topic, timeout=WAIT).topics[topic].error
    if described is not None:
        consumer.close()
        return int(described.code())
    consumer.assign([TopicPartition(topic, 0, 0)])
    error = first_event(consumer).error()
    return None if error is None else int(error.code())


def raas(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """`raas ARGS...` logged in as `settings`' user, for its app id."""
    return cli.raas(*args, env={**security_environment(settings), **cli.against(settings)})
