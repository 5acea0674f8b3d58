"""The one place that builds Kafka clients (confluent-kafka) from the settings.

In secure mode every client logs in with SASL/SCRAM-SHA-512 (`raas.config.client_security`), and
the first client of a login checks it (`check_login`): librdkafka takes a refused password for a
passing fault and retries until the caller's timeout, so a wrong one would look like a broker that
does not answer.
Our producers use librdkafka's `murmur2_random` partitioner so that a key lands on the partition
where Faust, aiokafka and Java clients put it; librdkafka's default (CRC32) would not.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from raas.config import SCRAM_MECHANISM, Settings, client_security
from raas.topics import ADMIN_TENANTS

PARTITIONER = "murmur2_random"


class LoginRefused(Exception):
    """The secure broker refused the login: the user name or its password is wrong."""


_LOGGED_IN: set[tuple[str, str, str]] = set()  # (bootstrap servers, user, password) accepted


def check_login(settings: Settings, wait: float = 10.0) -> None:
    """Raise LoginRefused as soon as the secure broker refuses `settings`' login (SASL
    authentication failed), instead of retrying until a timeout as librdkafka does.

    Once per process and login; nothing in plain mode. A broker that does not answer (within
    `wait` seconds, or with another error) is no refusal: the caller finds that out its own way.
    """
    if not settings.secure:
        return
    login = client_security(settings)
    key = (settings.bootstrap_servers, login["sasl.username"], login["sasl.password"])
    if key in _LOGGED_IN:
        return
    errors: list[KafkaError] = []
    config: dict[str, Any] = {
        "bootstrap.servers": settings.bootstrap_servers,
        "log_level": 0,  # the refusal is told once, by the exception
        "error_cb": errors.append,
        **login,
    }
    admin = AdminClient(config)
    deadline = time.monotonic() + wait
    while not errors and time.monotonic() < deadline:
        try:
            admin.list_topics(ADMIN_TENANTS, timeout=0.25)  # one topic: a small request
        except KafkaException:
            admin.poll(0)  # serves error_cb
            continue
        _LOGGED_IN.add(key)
        return
    if any(_refusal(error) for error in errors):
        raise LoginRefused(
            f"the broker at {settings.bootstrap_servers} refused the login of "
            f"{login['sasl.username']!r} ({SCRAM_MECHANISM}): wrong user name or password; "
            "check RAAS_SASL_USERNAME and RAAS_SASL_PASSWORD, or the secrets file "
            f"{settings.secrets_path}"
        )


def _refusal(error: KafkaError) -> bool:
    """True when the broker refused the login; a connection lost during the handshake is also
    reported as an authentication error, but with a local cause ("...failed: Local: Broker
    transport failure"), and is none."""
    return error.code() == KafkaError._AUTHENTICATION and "Local:" not in error.str()


def producer_config(settings: Settings, **overrides: Any) -> dict[str, Any]:
    check_login(settings)
    config: dict[str, Any] = {
        "bootstrap.servers": settings.bootstrap_servers,
        "partitioner": PARTITIONER,
        "enable.idempotence": True,
        "linger.ms": 5,
        "compression.type": "lz4",
        **client_security(settings),
    }
    config.update(overrides)
    return config


def make_producer(settings: Settings, **overrides: Any) -> Producer:
    return Producer(producer_config(settings, **overrides))


def make_consumer(settings: Settings, group_id: str | None = None, **overrides: Any) -> Consumer:
    check_login(settings)
    config: dict[str, Any] = {
        "bootstrap.servers": settings.bootstrap_servers,
        "group.id": group_id or f"{settings.app_id}-tool",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
        **client_security(settings),
    }
    config.update(overrides)
    return Consumer(config)


def make_admin(settings: Settings) -> AdminClient:
    check_login(settings)
    return AdminClient(
        {"bootstrap.servers": settings.bootstrap_servers, **client_security(settings)}
    )


def ensure_topics(
    admin: AdminClient,
    topics: Iterable[str],
    partitions: int,
    config: Mapping[str, str] | None = None,
    timeout: float = 30.0,
) -> list[str]:
    """Create the topics that do not exist yet; return the names created. Idempotent."""
    existing = set(admin.list_topics(timeout=timeout).topics)
    wanted = [t for t in dict.fromkeys(topics) if t not in existing]
    if not wanted:
        return []
    futures = admin.create_topics(
        [
            NewTopic(t, num_partitions=partitions, replication_factor=1, config=dict(config or {}))
            for t in wanted
        ],
        operation_timeout=timeout,
    )
    created = []
    for topic, future in futures.items():
        try:
            future.result()
            created.append(topic)
        except KafkaException as exc:
            if exc.args[0].name() != "TOPIC_ALREADY_EXISTS":
                raise
    _wait_for_leaders(admin, wanted, timeout)
    return created


def _wait_for_leaders(admin: AdminClient, topics: list[str], timeout: float) -> None:
    """Block until every partition of `topics` has a leader, so clients can use them at once."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        metadata = admin.list_topics(timeout=timeout).topics
        if all(
            t in metadata
            and metadata[t].error is None
            and metadata[t].partitions
            and all(p.leader >= 0 for p in metadata[t].partitions.values())
            for t in topics
        ):
            return
        time.sleep(0.1)
    raise KafkaException(f"topics {topics} have no leader after {timeout:.0f} s")


_NOT_READY = {
    KafkaError.NOT_LEADER_FOR_PARTITION,
    KafkaError.LEADER_NOT_AVAILABLE,
    KafkaError.UNKNOWN_TOPIC_OR_PART,
}


def end_offset(
    consumer: Consumer, topic: str, partition: int, wait: float = 15.0
) -> TopicPartition:
    """The partition's end offset; a new topic's partitions may take a moment to get a leader."""
    deadline = time.monotonic() + wait
    while True:
        try:
            _low, high = consumer.get_watermark_offsets(
                TopicPartition(topic, partition), timeout=wait
            )
            return TopicPartition(topic, partition, high)
        except KafkaException as exc:
            if exc.args[0].code() not in _NOT_READY or time.monotonic() > deadline:
                raise
            time.sleep(0.2)
