"""Tenant isolation is the broker's: with its own login, a tenant reaches its own topics only."""

from __future__ import annotations

from typing import Any

import pytest
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import (  # type: ignore[attr-defined]
    AclBinding,
    AclOperation,
    AclPermissionType,
    NewTopic,
    ResourcePatternType,
    ResourceType,
)

from raas.clients import make_admin, make_consumer
from raas.config import Settings
from raas.onboarding import remove_tenant
from raas.security import NotOnboarded, credentials, tenant_user
from raas.topics import tenant_topic
from tests.integration.secure.conftest import login_as, onboarded, refused
from tests.integration.secure.probes import WAIT, delivery_error, first_event

Tenant = tuple[str, Settings]


def error_code(future: Any) -> int:
    with pytest.raises(KafkaException) as raised:
        future.result()
    code: int = raised.value.args[0].code()
    return code


def test_a_tenant_can_write_its_own_commands_and_read_its_own_results(
    secure: Settings, tenant_a: Tenant
) -> None:
    kbo, a = tenant_a
    assert delivery_error(a, tenant_topic(kbo, "commands")) is None
    assert delivery_error(secure, tenant_topic(kbo, "results")) is None
    consumer = make_consumer(a, group_id=f"{kbo}-reader")
    consumer.subscribe([tenant_topic(kbo, "results")])
    msg = first_event(consumer)
    assert (msg.error(), msg.value()) == (None, b"v")


def test_a_tenant_cannot_write_another_tenants_commands(tenant_a: Tenant, tenant_b: Tenant) -> None:
    (_, a), (kbo_b, _) = tenant_a, tenant_b
    error = delivery_error(a, tenant_topic(kbo_b, "commands"))
    assert error is not None and error.code() == KafkaError.TOPIC_AUTHORIZATION_FAILED


@pytest.mark.parametrize("kind", ["results", "notifications", "dimona"])
def test_a_tenant_cannot_read_another_tenants_topics(
    secure: Settings, tenant_a: Tenant, tenant_b: Tenant, kind: str
) -> None:
    (kbo_a, a), (kbo_b, _) = tenant_a, tenant_b
    assert delivery_error(secure, tenant_topic(kbo_b, kind)) is None  # there is data to steal
    consumer = make_consumer(a, group_id=f"{kbo_a}-spy")
    consumer.subscribe([tenant_topic(kbo_b, kind)])
    msg = first_event(consumer)
    assert msg.error() is not None
    assert msg.error().code() == KafkaError.TOPIC_AUTHORIZATION_FAILED


def test_a_tenant_cannot_join_another_tenants_consumer_group(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    (kbo_a, a), (kbo_b, _) = tenant_a, tenant_b
    consumer = make_consumer(a, group_id=f"{kbo_b}-app")
    consumer.subscribe([tenant_topic(kbo_a, "results")])
    msg = first_event(consumer)
    assert msg.error() is not None
    assert msg.error().code() == KafkaError.GROUP_AUTHORIZATION_FAILED


def test_a_tenant_cannot_create_or_delete_topics(tenant_a: Tenant, tenant_b: Tenant) -> None:
    (kbo_a, a), (kbo_b, _) = tenant_a, tenant_b
    admin = make_admin(a)
    new = NewTopic(f"raas.tenant.{kbo_a}.extra", num_partitions=1, replication_factor=1)
    created = admin.create_topics([new], operation_timeout=WAIT)
    assert error_code(created[new.topic]) == KafkaError.TOPIC_AUTHORIZATION_FAILED
    for topic in (tenant_topic(kbo_a, "commands"), tenant_topic(kbo_b, "results")):
        deleted = admin.delete_topics([topic], operation_timeout=WAIT)
        assert error_code(deleted[topic]) == KafkaError.TOPIC_AUTHORIZATION_FAILED


def test_a_tenant_cannot_grant_itself_rights(tenant_a: Tenant, tenant_b: Tenant) -> None:
    (kbo_a, a), (kbo_b, _) = tenant_a, tenant_b
    acl = AclBinding(
        ResourceType.TOPIC,
        tenant_topic(kbo_b, "results"),
        ResourcePatternType.LITERAL,
        f"User:{tenant_user(kbo_a)}",
        "*",
        AclOperation.READ,
        AclPermissionType.ALLOW,
    )
    admin = make_admin(a)
    futures = admin.create_acls([acl])
    assert error_code(futures[acl]) == KafkaError.CLUSTER_AUTHORIZATION_FAILED


def test_a_wrong_password_is_refused(tenant_a: Tenant) -> None:
    kbo, a = tenant_a
    assert not refused(a)
    assert refused(login_as(a, tenant_user(kbo), "not-the-password"))


def test_a_rotated_password_stops_working(secure: Settings) -> None:
    kbo, before = onboarded(secure)
    rotated = credentials(secure, make_admin(secure), kbo, rotate=True)
    after = login_as(secure, rotated["username"], rotated["password"])
    assert rotated["password"] != before.sasl_password
    assert not refused(after)
    assert refused(before)


def test_a_removed_tenant_can_no_longer_log_in_and_its_topics_can_go(secure: Settings) -> None:
    kbo, tenant = onboarded(secure)
    assert not refused(tenant)
    remove_tenant(secure, kbo, delete_topics=True)
    assert refused(tenant)
    topics = make_admin(secure).list_topics(timeout=WAIT).topics
    assert not [t for t in topics if t.startswith(f"raas.tenant.{kbo}.")]
    with pytest.raises(NotOnboarded):
        credentials(secure, make_admin(secure), kbo, rotate=False)
