"""Secure mode's settings, secrets file, broker settings and ACLs, without starting anything."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from confluent_kafka.admin import (  # type: ignore[attr-defined]
    AclOperation,
    ResourcePatternType,
    ResourceType,
)

from raas.config import (
    ADMIN_USER,
    SECURE,
    MissingCredentials,
    Settings,
    as_user,
    client_security,
    ingress_login,
    security_environment,
)
from raas.security import store_password, tenant_acls, tenant_user
from raas.service_users import INGRESS, SINK, TOOLS, WORKER, service_acls
from raas.stack import StackError, kafka, secure


def _secure(tmp_path: Path) -> Settings:
    return replace(
        Settings.from_env(),
        var_dir=tmp_path,
        kafka_port=19096,
        controller_port=19097,
        security=SECURE,
        sasl_username="",
        sasl_password="",
        secrets_file=None,
    )


def test_plain_mode_is_the_default_and_clients_log_in_only_in_secure_mode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("RAAS_SECURITY", raising=False)
    plain = Settings.from_env()
    assert not plain.secure
    assert client_security(plain) == {}
    assert security_environment(plain) == {"RAAS_SECURITY": "plain"}


def test_an_unknown_security_mode_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAAS_SECURITY", "tls")
    with pytest.raises(ValueError, match="RAAS_SECURITY must be plain or secure"):
        Settings.from_env()


def test_the_secrets_file_is_made_with_mode_0600_and_holds_the_admin(tmp_path: Path) -> None:
    settings = _secure(tmp_path)
    stored = secure.ensure_secrets(settings, formatted=False)
    mode = stat.S_IMODE(settings.secrets_path.stat().st_mode)
    assert mode == 0o600
    assert stat.S_IMODE(settings.secrets_path.parent.stat().st_mode) == 0o700
    login = client_security(settings)
    assert login["sasl.username"] == ADMIN_USER
    assert login["sasl.password"] == stored["users"][ADMIN_USER]
    assert (login["security.protocol"], login["sasl.mechanism"]) == (
        "SASL_PLAINTEXT",
        "SCRAM-SHA-512",
    )
    assert secure.ensure_secrets(settings, formatted=True) == stored  # kept, not made anew


def test_formatted_storage_without_its_secrets_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StackError, match="secrets file"):
        secure.ensure_secrets(_secure(tmp_path), formatted=True)


def test_a_client_without_a_password_is_told_where_to_find_one(tmp_path: Path) -> None:
    with pytest.raises(MissingCredentials, match="raas stack up --secure"):
        client_security(_secure(tmp_path))
    settings = _secure(tmp_path)
    secure.ensure_secrets(settings, formatted=False)
    with pytest.raises(MissingCredentials, match="nobody"):
        client_security(replace(settings, sasl_username="nobody"))


def test_the_secure_broker_authorises_with_scram_and_keeps_anonymous_out(tmp_path: Path) -> None:
    settings = _secure(tmp_path)
    stored = secure.ensure_secrets(settings, formatted=False)
    props = kafka._server_properties(settings, kafka.BrokerPaths.of(settings), stored)
    lines = set(props.splitlines())
    for needed in (
        "listeners=SASL_PLAINTEXT://127.0.0.1:19096,CONTROLLER://127.0.0.1:19097",
        "sasl.enabled.mechanisms=SCRAM-SHA-512",
        "sasl.mechanism.controller.protocol=PLAIN",
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "allow.everyone.if.no.acl.found=false",
        "super.users=User:admin;User:controller",
        "auto.create.topics.enable=false",
    ):
        assert needed in lines
    assert "ANONYMOUS" not in props
    assert (
        kafka.BrokerPaths.of(settings).data
        != kafka.BrokerPaths.of(replace(settings, security="plain")).data
    )


def test_a_tool_error_never_shows_a_password(tmp_path: Path) -> None:
    stored = secure.ensure_secrets(_secure(tmp_path), formatted=False)
    admin = stored["users"][ADMIN_USER]
    assert admin not in secure.redact(f"bad argument password={admin}", stored)


def test_a_tenant_gets_literal_rights_on_its_own_four_topics_and_its_groups_only() -> None:
    kbo = "0403019261"
    mine = {
        (acl.restype, acl.name, acl.resource_pattern_type, acl.operation)
        for acl in tenant_acls(kbo)
        if acl.principal == f"User:{tenant_user(kbo)}"
    }
    literal, topic = ResourcePatternType.LITERAL, ResourceType.TOPIC
    assert mine == {
        (topic, f"raas.tenant.{kbo}.commands", literal, AclOperation.WRITE),
        (topic, f"raas.tenant.{kbo}.results", literal, AclOperation.READ),
        (topic, f"raas.tenant.{kbo}.notifications", literal, AclOperation.READ),
        (topic, f"raas.tenant.{kbo}.dimona", literal, AclOperation.READ),
        (ResourceType.GROUP, kbo, ResourcePatternType.PREFIXED, AclOperation.READ),
    }
    others = [acl for acl in tenant_acls(kbo) if acl.principal != f"User:{tenant_user(kbo)}"]
    assert all(acl.resource_pattern_type == literal and kbo in acl.name for acl in others)


def test_passwords_stored_in_parallel_are_all_kept(tmp_path: Path) -> None:
    settings = _secure(tmp_path)
    secure.ensure_secrets(settings, formatted=False)
    users = [f"tenant-{n:010d}" for n in range(24)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda user: store_password(settings, user, user[::-1]), users))
    kept = secure.load_secrets(settings)["users"]
    assert {user: kept.get(user) for user in users} == {user: user[::-1] for user in users}
    assert stat.S_IMODE(settings.secrets_path.stat().st_mode) == 0o600


def test_the_ingress_logs_in_as_svc_ingress_beside_the_workers_own_login(tmp_path: Path) -> None:
    worker = as_user(_secure(tmp_path), WORKER)
    stored = secure.ensure_secrets(worker, formatted=False)
    store_password(worker, WORKER, "worker-password")
    store_password(worker, INGRESS, "ingress-password")
    assert client_security(worker)["sasl.username"] == WORKER
    login = client_security(ingress_login(worker))
    assert (login["sasl.username"], login["sasl.password"]) == (INGRESS, "ingress-password")
    told = replace(worker, ingress_username="other", ingress_password="given")
    assert client_security(ingress_login(told))["sasl.username"] == "other"
    assert security_environment(told)["RAAS_INGRESS_SASL_PASSWORD"] == "given"
    assert stored["users"][ADMIN_USER] not in security_environment(told).values()


def _groups_granted(user: str) -> list[tuple[str, ResourcePatternType, AclOperation]]:
    return [
        (acl.name, acl.resource_pattern_type, acl.operation)
        for acl in service_acls("raas")
        if acl.principal == f"User:{user}" and acl.restype == ResourceType.GROUP
    ]


def _covers(name: str, pattern: ResourcePatternType, group: str) -> bool:
    return group == name or (pattern == ResourcePatternType.PREFIXED and group.startswith(name))


def test_no_service_user_may_join_another_ones_group() -> None:
    own = {WORKER: "raas", INGRESS: "raas-ingress", SINK: "raas-sink-audit"}
    for user in (WORKER, INGRESS, SINK, TOOLS):
        joinable = {
            group
            for group in own.values()
            for name, pattern, op in _groups_granted(user)
            if op == AclOperation.READ and _covers(name, pattern, group)
        }
        assert joinable == ({own[user]} if user in own else set()), user


def test_only_the_ingress_reads_a_tenants_commands() -> None:
    commands = "raas.tenant.0403019261.commands"
    readers = {
        acl.principal
        for acl in tenant_acls("0403019261")
        if acl.name == commands and acl.operation == AclOperation.READ
    }
    assert readers == {f"User:{INGRESS}"}
