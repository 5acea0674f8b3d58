"""Each service user reaches what its part of the service needs, and no more (issue 13)."""

from __future__ import annotations

from confluent_kafka import KafkaError

from raas.config import Settings, as_user
from raas.service_users import INGRESS, SINK, WORKER
from raas.topics import ADMIN_TENANTS, tenant_topic
from tests.integration.secure.probes import delivery_error, subscribed_error


def test_only_the_ingress_reads_a_tenants_commands(
    deployment: Settings, tenant: tuple[str, Settings]
) -> None:
    kbo, login = tenant
    commands = tenant_topic(kbo, "commands")
    assert delivery_error(login, commands) is None  # there is a command to read
    app = deployment.app_id
    ingress = subscribed_error(as_user(deployment, INGRESS), f"{app}-ingress", commands)
    assert ingress is None
    worker = subscribed_error(as_user(deployment, WORKER), app, commands)
    assert worker == KafkaError.TOPIC_AUTHORIZATION_FAILED


def test_the_worker_cannot_join_a_sinks_group(
    deployment: Settings, tenant: tuple[str, Settings]
) -> None:
    # onboarding the tenant made the admin topic
    as_worker, group = as_user(deployment, WORKER), f"{deployment.app_id}-sink-audit"
    error = subscribed_error(as_worker, group, ADMIN_TENANTS)
    assert error == KafkaError.GROUP_AUTHORIZATION_FAILED


def test_the_sink_cannot_join_the_workers_group(
    deployment: Settings, tenant: tuple[str, Settings]
) -> None:
    kbo, _login = tenant
    as_sink, results = as_user(deployment, SINK), tenant_topic(kbo, "results")
    error = subscribed_error(as_sink, deployment.app_id, results)
    assert error == KafkaError.GROUP_AUTHORIZATION_FAILED
