"""Who may do what on the secure broker: SCRAM users and the literal ACLs of a tenant (issue 13).

A tenant logs in as `tenant-<KBO>` and may only WRITE its commands topic, READ its results,
notifications and Dimona topics, and READ (join, commit) consumer groups whose names start with its
KBO. ACLs have no suffix match (contracts.md), so onboarding adds literal ACLs on each of the
tenant's topics, for the tenant and for each service user that reads or writes it
(`SERVICE_TOPIC_RIGHTS`). READ and WRITE imply DESCRIBE. Nothing else is allowed: the broker
denies what no ACL allows.

The tenant's password is kept in the secrets file (mode 0600) so `raas tenant credentials` can
hand it out; SCRAM keeps only a salted hash.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from confluent_kafka import KafkaException
from confluent_kafka.admin import (  # type: ignore[attr-defined]
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    ResourcePatternType,
    ResourceType,
    ScramCredentialInfo,
    ScramMechanism,
    UserScramCredentialDeletion,
    UserScramCredentialUpsertion,
)

from raas.config import Settings
from raas.service_users import (
    SERVICE_TOPIC_RIGHTS,
    SERVICE_USERS,
    TENANT_TOPIC_RIGHTS,
    service_acls,
)
from raas.stack.secure import load_secrets, new_password, secrets_locked
from raas.topics import tenant_topic

SCRAM_ITERATIONS = 8192
READ, WRITE = AclOperation.READ, AclOperation.WRITE


class NotOnboarded(LookupError):
    """The tenant has no user on the secure broker (no password in the secrets file)."""


def tenant_user(kbo: str) -> str:
    return f"tenant-{kbo}"


def _allow(
    principal: str, kind: ResourceType, name: str, op: AclOperation, pattern: ResourcePatternType
) -> AclBinding:
    return AclBinding(kind, name, pattern, f"User:{principal}", "*", op, AclPermissionType.ALLOW)


def tenant_acls(kbo: str) -> list[AclBinding]:
    """The tenant's own ACLs and the service users' on the tenant's four topics, all literal."""
    literal, prefixed = ResourcePatternType.LITERAL, ResourcePatternType.PREFIXED
    user = tenant_user(kbo)
    acls = [
        _allow(user, ResourceType.TOPIC, tenant_topic(kbo, kind), op, literal)
        for kind, op in TENANT_TOPIC_RIGHTS.items()
    ]
    acls.append(_allow(user, ResourceType.GROUP, kbo, READ, prefixed))
    for service, rights in SERVICE_TOPIC_RIGHTS.items():
        acls.extend(
            _allow(service, ResourceType.TOPIC, tenant_topic(kbo, kind), op, literal)
            for kind, op in rights.items()
        )
    return acls


def _wait(futures: dict[Any, Any]) -> None:
    for future in futures.values():
        future.result()


def upsert_user(admin: AdminClient, username: str, password: str) -> None:
    """Create the SCRAM-SHA-512 user, or give it a new password."""
    info = ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS)
    _wait(
        admin.alter_user_scram_credentials(
            [UserScramCredentialUpsertion(username, info, password.encode())]
        )
    )


def delete_user(admin: AdminClient, username: str) -> None:
    """Delete the user's SCRAM credential; a user without one is left as it is."""
    deletion = UserScramCredentialDeletion(username, ScramMechanism.SCRAM_SHA_512)
    try:
        _wait(admin.alter_user_scram_credentials([deletion]))
    except KafkaException as exc:
        if exc.args[0].name() != "RESOURCE_NOT_FOUND":
            raise


def grant(admin: AdminClient, acls: Iterable[AclBinding]) -> None:
    """Create the ACLs; an ACL that exists already is left as it is (idempotent)."""
    _wait(admin.create_acls(list(acls)))


def _match(
    kind: ResourceType, name: str | None, pattern: ResourcePatternType, principal: str | None
) -> AclBindingFilter:
    """A filter of every ACL on `name` (any when None) of `principal` (any when None)."""
    return AclBindingFilter(
        kind,
        name,  # type: ignore[arg-type]  # None matches any; the stubs only know str
        pattern,
        principal,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        AclOperation.ANY,
        AclPermissionType.ANY,
    )


def revoke_tenant(admin: AdminClient, kbo: str) -> None:
    """Delete the tenant user's ACLs and every literal ACL on the tenant's four topics."""
    principal = f"User:{tenant_user(kbo)}"
    filters = [_match(ResourceType.ANY, None, ResourcePatternType.ANY, principal)]
    filters.extend(
        _match(ResourceType.TOPIC, tenant_topic(kbo, kind), ResourcePatternType.LITERAL, None)
        for kind in TENANT_TOPIC_RIGHTS
    )
    _wait(admin.delete_acls(filters))


def stored_password(settings: Settings, username: str) -> str | None:
    users: dict[str, str] = load_secrets(settings).get("users", {})
    return users.get(username)


def store_password(settings: Settings, username: str, password: str | None) -> None:
    """Keep (or, with None, forget) the user's password in the secrets file."""
    with secrets_locked(settings) as stored:
        users = stored.setdefault("users", {})
        if password is None:
            users.pop(username, None)
        else:
            users[username] = password


def ensure_user(settings: Settings, admin: AdminClient, user: str) -> None:
    """The SCRAM user, with its kept password (or a new one, then kept). Idempotent."""
    password = stored_password(settings, user) or new_password()
    upsert_user(admin, user, password)
    store_password(settings, user, password)


def onboard_tenant(settings: Settings, admin: AdminClient, kbo: str) -> None:
    """The tenant's SCRAM user and its ACLs, and the service users' on its topics. Idempotent."""
    ensure_user(settings, admin, tenant_user(kbo))
    grant(admin, tenant_acls(kbo))


def ensure_service_users(settings: Settings, admin: AdminClient) -> None:
    """Each service user and its ACLs for the app id (`raas.service_users`). Idempotent."""
    for user in SERVICE_USERS:
        ensure_user(settings, admin, user)
    grant(admin, service_acls(settings.app_id))


def credentials(settings: Settings, admin: AdminClient, kbo: str, rotate: bool) -> dict[str, str]:
    """The tenant's login: username, password, bootstrap_servers; a new password with `rotate`."""
    user = tenant_user(kbo)
    password = stored_password(settings, user)
    if password is None:
        raise NotOnboarded(f"tenant {kbo} has no user; add it with `raas tenant add {kbo}`")
    if rotate:
        password = new_password()
        upsert_user(admin, user, password)
        store_password(settings, user, password)
    return {"username": user, "password": password, "bootstrap_servers": settings.bootstrap_servers}


def offboard_tenant(settings: Settings, admin: AdminClient, kbo: str) -> None:
    """Remove the tenant's ACLs (and the service users' on its topics) and its user."""
    revoke_tenant(admin, kbo)
    delete_user(admin, tenant_user(kbo))
    store_password(settings, tenant_user(kbo), None)
