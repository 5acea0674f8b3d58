"""The topic map, the one source of truth: name pattern, key, record, who writes, who reads.

`raas schemas list`, `raas tail` and the README's topic map (`topic_map_markdown()`) read it.
Keys are plain UTF-8 strings; values are the named Avro record in the Confluent wire format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

KBO_PATTERN = "[01][0-9]{9}"
TENANT_COMMANDS_REGEX = rf"^raas\.tenant\.{KBO_PATTERN}\.commands$"
DLQ = "raas.dlq"
ADMIN_TENANTS = "raas.admin.tenants"
AUTHENTIC_PERSONS = "authentic.persons"
AUTHENTIC_REPLACEMENTS = "authentic.insz-replacements"
DIMONA_DECLARATIONS = "dimona.declarations"
TENANT_TOPIC_KINDS = ("commands", "results", "notifications", "dimona")


@dataclass(frozen=True)
class Topic:
    pattern: str  # the name, with <KBO> for a tenant's number or <app> for the app id
    key: str
    record: str  # short Avro record name, avro/<record>.avsc
    writers: str
    readers: str
    note: str = ""

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The pattern as a regular expression, built once per entry."""
        escaped = re.escape(self.pattern)
        escaped = escaped.replace(re.escape("<KBO>"), f"({KBO_PATTERN})")
        return re.compile("^" + escaped.replace(re.escape("<app>"), r"[\w.-]+") + "$")

    def name(self, kbo: str = "", app: str = "raas") -> str:
        """The concrete topic name for a tenant's KBO (tenant topics) or an app id (internal)."""
        return self.pattern.replace("<KBO>", kbo).replace("<app>", app)


TOPICS: tuple[Topic, ...] = (
    Topic("raas.admin.tenants", "KBO", "TenantConfig", "operator CLI", "workers", "compacted"),
    Topic(
        "raas.tenant.<KBO>.commands",
        "INSZ (request id when the command has none)",
        "Command",
        "tenant",
        "ingress",
    ),
    Topic("<app>-tenant-commands", "INSZ", "TenantCommand", "ingress", "workers", "internal"),
    Topic(
        "<app>-persons",
        "INSZ",
        "PersonIdentity",
        "workers, re-keyed from authentic.persons",
        "workers",
        "internal",
    ),
    Topic(
        "<app>-dimona",
        "worker INSZ",
        "DimonaDeclaration",
        "workers, re-keyed from dimona.declarations",
        "workers",
        "internal",
    ),
    Topic(
        "<app>-bis",
        "new BIS INSZ",
        "PersonIdentity",
        "workers, after a CreateBis (its result in a header)",
        "workers",
        "internal",
    ),
    Topic("raas.tenant.<KBO>.results", "request id", "CommandResult", "workers", "tenant, gateway"),
    Topic(
        "raas.tenant.<KBO>.notifications",
        "INSZ",
        "Notification",
        "workers",
        "tenant, daily-file sink",
    ),
    Topic("raas.tenant.<KBO>.dimona", "INSZ", "DimonaMutation", "workers", "subscribed tenant"),
    Topic(
        "authentic.persons",
        "INSZ",
        "PersonIdentity",
        "National Register feed, BIS register",
        "workers",
    ),
    Topic(
        "authentic.insz-replacements",
        "old INSZ",
        "InszReplacement",
        "National Register feed, BIS register",
        "workers",
    ),
    # after authentic.insz-replacements: its pattern matches that name too (app `authentic.insz`)
    Topic(
        "<app>-replacements",
        "INSZ (the step's `at`)",
        "ReplacementStep",
        "workers, re-keyed from authentic.insz-replacements",
        "workers",
        "internal",
    ),
    Topic("dimona.declarations", "worker INSZ", "DimonaDeclaration", "Dimona feed", "workers"),
    Topic(DLQ, "original key", "DeadLetter", "workers, sinks", "operator"),
)


class UnknownTopic(KeyError):
    """A topic name that matches no entry of the topic map."""


def topic_for(name: str) -> Topic:
    """The map entry a concrete topic name belongs to."""
    for topic in TOPICS:
        if topic.regex.match(name):
            return topic
    raise UnknownTopic(name)


@lru_cache(maxsize=4096)
def tenant_of(name: str) -> str | None:
    """The KBO in a tenant topic's name, None for other topics (remembered: the ingress asks for
    every record it forwards)."""
    found = topic_for(name).regex.match(name)
    return found.group(1) if found and found.groups() else None


def internal_commands_topic(app_id: str) -> str:
    """The internal, INSZ-keyed topic the ingress forwards tenant commands into."""
    return topic_for(f"{app_id}-tenant-commands").name(app=app_id)


def internal_persons_topic(app_id: str) -> str:
    """The internal, INSZ-keyed topic identities are re-keyed into by our own partitioner."""
    return topic_for(f"{app_id}-persons").name(app=app_id)


def internal_dimona_topic(app_id: str) -> str:
    """The internal topic Dimona declarations are re-keyed into by the worker's INSZ."""
    return topic_for(f"{app_id}-dimona").name(app=app_id)


def internal_bis_topic(app_id: str) -> str:
    """The internal topic a new BIS person goes to its INSZ's partition by, before its result."""
    return topic_for(f"{app_id}-bis").name(app=app_id)


def internal_replacements_topic(app_id: str) -> str:
    """The internal, INSZ-keyed topic the steps of an INSZ replacement travel on."""
    return topic_for(f"{app_id}-replacements").name(app=app_id)


def internal_topics(app_id: str) -> list[str]:
    """Every internal, INSZ-keyed topic of an app: the register agent reads them all."""
    return [
        internal_commands_topic(app_id),
        internal_persons_topic(app_id),
        internal_dimona_topic(app_id),
        internal_bis_topic(app_id),
        internal_replacements_topic(app_id),
    ]


def tenant_topic(kbo: str, kind: str) -> str:
    """A tenant's topic: `kind` is one of TENANT_TOPIC_KINDS."""
    if kind not in TENANT_TOPIC_KINDS:
        raise ValueError(f"no tenant topic of kind {kind!r}")
    return f"raas.tenant.{kbo}.{kind}"


def shared_topics() -> list[str]:
    """The topics every deployment has, whatever its tenants and app id."""
    return [ADMIN_TENANTS, AUTHENTIC_PERSONS, AUTHENTIC_REPLACEMENTS, DIMONA_DECLARATIONS, DLQ]


def topic_map_markdown() -> str:
    """The topic map as a markdown table, for the README."""
    rows = [
        "| topic | key | value (Avro record) | written by | read by |",
        "|---|---|---|---|---|",
    ]
    for t in TOPICS:
        note = f" ({t.note})" if t.note else ""
        rows.append(f"| `{t.pattern}`{note} | {t.key} | `{t.record}` | {t.writers} | {t.readers} |")
    return "\n".join(rows) + "\n"
