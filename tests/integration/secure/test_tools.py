"""`svc-tools`, the feeds' and the operator's read-only tools' user: what it is granted works,
what it is not is refused by the broker."""

from __future__ import annotations

import pytest
from confluent_kafka import KafkaError, KafkaException

from raas.clients import make_producer
from raas.config import Settings, as_user
from raas.service_users import TOOLS
from raas.topics import ADMIN_TENANTS, tenant_topic
from tests.integration.numbers import new_insz
from tests.integration.secure.probes import (
    assigned_error,
    delivery_error,
    raas,
    subscribed_error,
)

Tenant = tuple[str, Settings]


@pytest.fixture(scope="module")
def tools(deployment: Settings) -> Settings:
    return as_user(deployment, TOOLS)


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (
            [
                "authentic",
                "person",
                "--insz",
                new_insz(),
                "--last-name",
                "Peeters",
                "--first-name",
                "Jan",
            ],
            "Published",
        ),
        (["tenant", "list"], "probe"),  # the onboarded tenant's dossier type
        (["tail", ADMIN_TENANTS, "--timeout", "1"], '"kbo"'),
        (["dlq", "list"], ""),
        (["status"], "healthy"),
        (["kafka", "topics", "--list"], "raas.tenant."),
    ],
)
def test_each_tool_works_as_svc_tools(
    tools: Settings, tenant: Tenant, command: list[str], shown: str
) -> None:
    ran = raas(tools, *command)
    assert ran.returncode == 0, ran.stderr
    assert shown in ran.stdout


def test_svc_tools_cannot_write_a_tenants_commands_nor_the_tenant_configs(
    tools: Settings, tenant: Tenant
) -> None:
    kbo, _login = tenant
    for topic in (tenant_topic(kbo, "commands"), ADMIN_TENANTS):
        error = delivery_error(tools, topic)
        assert error is not None and error.code() == KafkaError.TOPIC_AUTHORIZATION_FAILED


@pytest.mark.parametrize("kind", ["commands", "results", "notifications", "dimona"])
def test_svc_tools_cannot_read_a_tenants_topics(tools: Settings, tenant: Tenant, kind: str) -> None:
    kbo, _login = tenant
    assert assigned_error(tools, tenant_topic(kbo, kind)) == KafkaError.TOPIC_AUTHORIZATION_FAILED


@pytest.mark.parametrize("suffix", ["", "-ingress", "-sink-audit"])
def test_svc_tools_cannot_join_or_move_a_services_group(tools: Settings, suffix: str) -> None:
    group = f"{tools.app_id}{suffix}"
    error = subscribed_error(tools, group, ADMIN_TENANTS)
    assert error == KafkaError.GROUP_AUTHORIZATION_FAILED


def test_svc_tools_cannot_replay_dead_letters(tools: Settings) -> None:
    producer = make_producer(tools, **{"transactional.id": f"{tools.app_id}-dlq-replay"})
    with pytest.raises(KafkaException) as raised:
        producer.init_transactions(30)
    assert raised.value.args[0].code() == KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
