"""The schema registry `raas stack up` starts, and a tenant's own Confluent tooling reading with it.

The registry is the real one (Apicurio Registry, through its Confluent-compatible API); the tenant
side is confluent-kafka's own `SchemaRegistryClient` and `AvroDeserializer`, as a tenant would use
them: the deserializer needs nothing but the schema id in each record.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import TopicPartition
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

from raas.clients import make_consumer
from raas.codec.ids import LocalIds, read_table
from raas.codec.schemas import Catalogue, fingerprint
from raas.config import Settings
from raas.domain.commands import Register
from raas.domain.periods import Period
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant
from raas.sources import person, publish_persons
from raas.stack import registry as launcher
from raas.stack.registry_schemas import ApicurioApi, Filled, fill_registry
from raas.topics import tenant_topic
from tests.integration.cli import NO_SINKS, raas
from tests.integration.numbers import new_insz, new_kbo
from tests.integration.ports import free_port
from tests.integration.workers import send


@pytest.fixture(scope="module")
def registry(settings: Settings) -> SchemaRegistryClient:
    """A Confluent client of the registry `raas stack up` started."""
    if ApicurioApi(settings.registry_url, timeout=10).version() is None:
        pytest.fail(
            f"No schema registry answers on {settings.registry_url}: run `make start` "
            "(`raas stack up`, which starts it; or `make test`)"
        )
    return SchemaRegistryClient({"url": settings.ccompat_url})


def test_every_id_of_the_table_resolves_in_the_registry_to_the_schema_the_table_gave_it(
    registry: SchemaRegistryClient,
) -> None:
    table = read_table()
    assert table, "avro/schema-ids.json has no ids"
    found = {
        entry.id: fingerprint(json.loads(registry.get_schema(entry.id).schema_str))
        for entry in table
    }
    assert found == {entry.id: entry.fingerprint for entry in table}


def test_the_registry_knows_each_current_schema_by_the_id_the_codec_writes(
    registry: SchemaRegistryClient,
) -> None:
    catalogue = Catalogue()
    local = LocalIds(catalogue, read_table())
    # A lookup registers nothing; it is what the codec's registration (RegistryIds) answers.
    found = {
        schema.fullname: registry.lookup_schema(
            schema.fullname, Schema(schema.text, "AVRO")
        ).schema_id
        for schema in catalogue
    }
    assert found == {schema.fullname: local.id_for(schema) for schema in catalogue}


def _results_record(settings: Settings, tenant: str, request_id: str) -> Any:
    """The record of the tenant's results topic keyed by `request_id`, read from the start."""
    topic = tenant_topic(tenant, "results")
    consumer = make_consumer(settings, group_id=f"it-registry-{uuid.uuid4()}")
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None and msg.key() == request_id.encode():
                return msg
    finally:
        consumer.close()
    raise AssertionError(f"no record keyed {request_id} on {topic}")


def test_a_tenants_confluent_deserializer_decodes_its_results_with_the_registry(
    worker_settings: Settings, worker: object, registry: SchemaRegistryClient
) -> None:
    tenant, insz = new_kbo(), new_insz()
    add_tenant(worker_settings, tenant, "Registry OCMW", [DossierType(3, "debt counselling")])
    publish_persons(worker_settings, [person(insz, "Claes", "Lotte")])
    request_id = str(uuid.uuid4())
    command = Register(request_id, "reg-1", insz, 3, Period(date(2025, 2, 1), None))
    answered = send(worker_settings, tenant, command)

    msg = _results_record(worker_settings, tenant, request_id)
    deserialize = AvroDeserializer(registry)
    decoded = deserialize(msg.value(), SerializationContext(msg.topic(), MessageField.VALUE))

    assert decoded["request_id"] == request_id
    assert decoded["tenant"] == tenant
    assert decoded["reference"] == "reg-1"
    assert decoded["insz"] == insz
    assert decoded["status"] == answered.status.name
    assert [(line["type_dossier"], line["period"]["begin"]) for line in decoded["lines"]] == [
        (3, date(2025, 2, 1))
    ]


def test_stack_status_shows_the_registry_up_with_its_version(
    registry: SchemaRegistryClient,
) -> None:
    result = raas("stack", "status", "--json")

    rows = {row["service"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert rows["schema-registry"]["up"] is True, result.stdout + result.stderr
    assert rows["schema-registry"]["version"] == "2.6.13.Final"
    assert str(rows["schema-registry"]["address"]).endswith("/apis/ccompat/v7")


def test_raas_status_lists_the_registry_among_the_services(
    registry: SchemaRegistryClient,
) -> None:
    result = raas("status", "--json", env={"RAAS_DATABASE_URL": NO_SINKS})

    services = {s["name"]: s for s in json.loads(result.stdout)["services"]}
    assert services["schema-registry"]["up"] is True, result.stdout + result.stderr
    assert services["schema-registry"]["version"] == "2.6.13.Final"


def _status_rows(env: dict[str, str]) -> tuple[int, dict[str, Any]]:
    result = raas("stack", "status", "--json", env=env)
    return result.returncode, {
        row["service"]: row for row in map(json.loads, result.stdout.splitlines())
    }


def test_stack_status_counts_a_registry_only_when_up_started_one(
    settings: Settings, tmp_path: Path
) -> None:
    elsewhere = {
        "RAAS_VAR_DIR": str(tmp_path),
        "RAAS_REGISTRY_URL": f"http://127.0.0.1:{free_port()}",
    }
    never_started = _status_rows(elsewhere)
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "registry.pid").write_text("999999999\n")  # started, and gone
    gone = _status_rows(elsewhere)

    assert never_started[0] == 0 and never_started[1]["schema-registry"]["up"] is None
    assert gone[0] == 4 and gone[1]["schema-registry"]["up"] is False


def test_register_schemas_checks_a_filled_registry_and_registers_nothing(
    settings: Settings, registry: SchemaRegistryClient
) -> None:
    result = raas("stack", "register-schemas", env={"RAAS_REGISTRY_URL": settings.registry_url})

    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        f"{len(read_table())} schemas under the ids of avro/schema-ids.json (0 registered now)"
        in (" ".join(result.stdout.split()))
    )


def test_register_schemas_exits_4_when_no_registry_answers() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = raas("stack", "register-schemas", "--timeout", "1", env={"RAAS_REGISTRY_URL": url})

    assert result.returncode == 4
    assert f"no schema registry answers on {url}" in result.stderr


def test_a_registry_starts_once_keeps_its_schemas_over_a_restart_and_stops(
    settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    own = replace(
        settings, var_dir=tmp_path, registry_port=port, registry_url=f"http://127.0.0.1:{port}"
    )
    api, table = ApicurioApi(own.registry_url), read_table()
    pid, started = launcher.start(own)
    try:
        assert started
        assert launcher.start(own) == (pid, False)
        assert fill_registry(api, Catalogue(), table) == Filled(present=0, registered=len(table))

        assert launcher.stop_registry(own)
        assert launcher.running_pid(own) is None
        assert api.version() is None

        launcher.start(own)
        assert fill_registry(api, Catalogue(), table) == Filled(present=len(table), registered=0)
    finally:
        launcher.stop_registry(own)
