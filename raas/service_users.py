"""The service users of the secure broker, each with the least it needs (issue 13).

- `svc-worker` runs `raas worker`'s Faust agents and tenant directory. Its internal topics and
  changelogs start with the app id; its consumer group is the app id itself, so it cannot join
  the sinks' groups (`<app>-sink-...`) nor the ingress's.
- `svc-ingress` is the ingress, a thread of `raas worker` with its own clients and login
  (`raas.config.ingress_login`): the only service user that reads the tenants' commands topics. It
  writes the internal commands topic, the answers to commands over a limit and dead letters, in
  transactions of its own transactional ids, with the offsets of its group `<app>-ingress`.
- `svc-sink` runs `raas sink`: it reads the tenants' results, notifications and Dimona topics,
  `authentic.persons` and the register changelog, and writes dead letters.
- `svc-tools` runs the feeds and the operator's read-only tools: it writes the authentic sources
  and reads the dead letters and the tenant configs; of the rest it sees only offsets and groups
  (DESCRIBE), so it can neither read a tenant's data nor join or move a service's group.

The rights on each tenant's topics are literal ACLs that onboarding adds (`SERVICE_TOPIC_RIGHTS`);
the rest are granted here, for one app id, when the secure broker starts. The README's ACL table
lists them all.
"""

from __future__ import annotations

from confluent_kafka.admin import (  # type: ignore[attr-defined]
    AclBinding,
    AclOperation,
    AclPermissionType,
    ResourcePatternType,
    ResourceType,
)

from raas.config import INGRESS_USER
from raas.topics import (
    ADMIN_TENANTS,
    AUTHENTIC_PERSONS,
    AUTHENTIC_REPLACEMENTS,
    DIMONA_DECLARATIONS,
    DLQ,
)

WORKER, INGRESS, SINK, TOOLS = "svc-worker", INGRESS_USER, "svc-sink", "svc-tools"
SERVICE_USERS = (WORKER, INGRESS, SINK, TOOLS)
READ, WRITE, CREATE = AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE
DESCRIBE, DESCRIBE_CONFIGS = AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS
# kind of tenant topic -> the tenant's own right on it (READ and WRITE imply DESCRIBE)
TENANT_TOPIC_RIGHTS = {"commands": WRITE, "results": READ, "notifications": READ, "dimona": READ}
# service user -> {kind of tenant topic: its right}, granted per tenant by onboarding
SERVICE_TOPIC_RIGHTS: dict[str, dict[str, AclOperation]] = {
    INGRESS: {"commands": READ, "results": WRITE},  # it answers a command over a limit at once
    WORKER: {"results": WRITE, "notifications": WRITE, "dimona": WRITE},
    SINK: {"results": READ, "notifications": READ, "dimona": READ},
    TOOLS: {"commands": DESCRIBE, "results": DESCRIBE},  # their offsets, for raas status
}
# (user, resource type, name or prefix ("<app>" for the app id), prefixed?, operations)
Grant = tuple[str, ResourceType, str, bool, tuple[AclOperation, ...]]
TOPIC, GROUP, TXN = ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID
SOURCES = (AUTHENTIC_PERSONS, AUTHENTIC_REPLACEMENTS, DIMONA_DECLARATIONS)
SERVICE_GRANTS: tuple[Grant, ...] = (
    (WORKER, TOPIC, "<app>-", True, (READ, WRITE, CREATE, DESCRIBE_CONFIGS)),
    (WORKER, GROUP, "<app>", False, (READ,)),  # Faust's group is the app id
    # the tenant directory's consumer only reads by assignment, but asks for its coordinator
    (WORKER, GROUP, "<app>-tenants-unused", False, (DESCRIBE,)),
    (WORKER, TOPIC, ADMIN_TENANTS, False, (READ, CREATE)),
    *((WORKER, TOPIC, source, False, (READ, CREATE)) for source in SOURCES),
    (WORKER, TOPIC, DLQ, False, (WRITE, CREATE)),
    (INGRESS, TOPIC, "<app>-tenant-commands", False, (WRITE,)),
    (INGRESS, GROUP, "<app>-ingress", False, (READ,)),
    (INGRESS, TXN, "<app>-ingress-", True, (WRITE,)),
    (INGRESS, TOPIC, DLQ, False, (WRITE,)),
    (SINK, TOPIC, "<app>-register-changelog", False, (READ,)),
    (SINK, TOPIC, AUTHENTIC_PERSONS, False, (READ,)),
    (SINK, GROUP, "<app>-sink-", True, (READ,)),
    (SINK, TOPIC, DLQ, False, (WRITE,)),
    *((TOOLS, TOPIC, source, False, (WRITE, CREATE)) for source in SOURCES),
    (TOOLS, TOPIC, DLQ, False, (READ,)),
    (TOOLS, TOPIC, ADMIN_TENANTS, False, (READ,)),
    # The tools read by assignment and commit nothing: DESCRIBE lets them find a group's
    # coordinator and show groups, offsets and lag (raas status), never join or commit.
    (TOOLS, GROUP, "<app>", True, (DESCRIBE,)),
    (TOOLS, TOPIC, "<app>-", True, (DESCRIBE,)),
)


def service_acls(app_id: str) -> list[AclBinding]:
    """The service users' ACLs that do not depend on a tenant, for the app id `app_id`."""
    return [
        AclBinding(
            kind,
            name.replace("<app>", app_id),
            ResourcePatternType.PREFIXED if prefixed else ResourcePatternType.LITERAL,
            f"User:{user}",
            "*",
            op,
            AclPermissionType.ALLOW,
        )
        for user, kind, name, prefixed, ops in SERVICE_GRANTS
        for op in ops
    ]


def acl_table_markdown() -> str:
    """Every user's ACLs as a markdown table, for the README (a unit test keeps them equal)."""
    tenant = "tenant-<KBO>"
    rows: dict[str, list[str]] = {user: [] for user in (tenant, *SERVICE_USERS)}
    for user, rights in {tenant: TENANT_TOPIC_RIGHTS, **SERVICE_TOPIC_RIGHTS}.items():
        for op in dict.fromkeys(rights.values()):
            if kinds := [kind for kind, right in rights.items() if right == op]:
                names = ", ".join(f"`raas.tenant.<KBO>.{kind}`" for kind in kinds)
                rows[user].append(f"topic {names} | literal | {op.name}")
    rows[tenant].append("group `<KBO>` | prefixed | READ")
    for user, kind, name, prefixed, ops in SERVICE_GRANTS:
        what = kind.name.lower().replace("_", " ")
        pattern = "prefixed" if prefixed else "literal"
        rows[user].append(f"{what} `{name}` | {pattern} | {', '.join(op.name for op in ops)}")
    lines = [
        "| user | resource | pattern | operations |",
        "|---|---|---|---|",
        "| `admin` | everything: the super user, made at format time | | all |",
    ]
    lines.extend(f"| `{user}` | {row} |" for user, found in rows.items() for row in found)
    return "\n".join(lines) + "\n"
