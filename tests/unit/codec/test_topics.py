from __future__ import annotations

import pytest

from raas.topics import (
    TENANT_COMMANDS_REGEX,
    TOPICS,
    UnknownTopic,
    internal_commands_topic,
    tenant_of,
    topic_for,
    topic_map_markdown,
)


@pytest.mark.parametrize(
    ("name", "record"),
    [
        ("raas.admin.tenants", "TenantConfig"),
        ("raas.tenant.0403019261.commands", "Command"),
        ("raas.tenant.0403019261.results", "CommandResult"),
        ("raas.tenant.1000000021.notifications", "Notification"),
        ("raas.tenant.0403019261.dimona", "DimonaMutation"),
        ("authentic.persons", "PersonIdentity"),
        ("authentic.insz-replacements", "InszReplacement"),
        ("dimona.declarations", "DimonaDeclaration"),
        ("raas.dlq", "DeadLetter"),
        ("raas-tenant-commands", "TenantCommand"),
    ],
)
def test_each_concrete_topic_finds_the_record_it_carries(name: str, record: str) -> None:
    assert topic_for(name).record == record


def test_a_tenant_topic_names_its_tenant_and_others_name_none() -> None:
    assert tenant_of("raas.tenant.0403019261.results") == "0403019261"
    assert tenant_of("authentic.persons") is None


def test_a_topic_outside_the_map_is_refused() -> None:
    with pytest.raises(UnknownTopic):
        topic_for("raas.tenant.2000000042.commands")  # a KBO starts with 0 or 1


def test_the_internal_commands_topic_is_named_after_the_app_id() -> None:
    assert internal_commands_topic("raas") == "raas-tenant-commands"


def test_the_ingress_regex_matches_exactly_the_tenant_command_topics() -> None:
    import re

    assert re.match(TENANT_COMMANDS_REGEX, "raas.tenant.0403019261.commands")
    assert not re.match(TENANT_COMMANDS_REGEX, "raas.tenant.0403019261.results")


def test_the_markdown_topic_map_has_a_row_per_topic_naming_writers_and_readers() -> None:
    rows = topic_map_markdown().splitlines()
    assert rows[0] == "| topic | key | value (Avro record) | written by | read by |"
    assert len(rows) == 2 + len(TOPICS)
    assert all(f"`{t.record}`" in "\n".join(rows) for t in TOPICS)
