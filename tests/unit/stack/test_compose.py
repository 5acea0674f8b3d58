"""docker-compose.yml stays in step with the stack `raas stack up` starts.

There is no Docker here, so the compose file is checked against the launchers: the broker against
`raas/stack/kafka.py`'s server.properties (every setting but the listeners, which differ by
design), the registry against `registry/pom.xml` and `raas/stack/registry.py`, and each client
service against the addresses the others publish.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from raas.config import REGISTRY_PORT, REPO_ROOT, Settings
from raas.stack import kafka, registry

COMPOSE = REPO_ROOT / "docker-compose.yml"
# Where the compose broker differs on purpose: its listeners and its quorum address, and the
# data directory, which is the image's.
PER_DEPLOYMENT = {
    "listeners",
    "advertised.listeners",
    "inter.broker.listener.name",
    "listener.security.protocol.map",
    "controller.quorum.bootstrap.servers",
    "log.dirs",
}


def _service_environment(service: str) -> dict[str, str]:
    """The `environment:` of one service, read line by line (the file is plain block YAML)."""
    lines = COMPOSE.read_text().splitlines()
    start = lines.index(f"  {service}:")
    found: dict[str, str] = {}
    inside = False
    for line in lines[start + 1 :]:
        if re.match(r"^  \S", line):
            break  # the next service
        if line.strip() == "environment:":
            inside = True
        elif inside and (pair := re.match(r"^      ([A-Z0-9_]+): (.*)$", line)):
            found[pair[1]] = pair[2].strip().strip('"')
        elif inside:
            inside = False
    return found


def _service_line(service: str, key: str) -> str:
    """The value of a one-line `key:` of a service (image, ports, command, ...)."""
    lines = COMPOSE.read_text().splitlines()
    for line in lines[lines.index(f"  {service}:") + 1 :]:
        if re.match(r"^  \S", line):
            break
        if line.startswith(f"    {key}: "):
            return line.split(": ", 1)[1].strip()
    raise AssertionError(f"service {service} has no {key}")


def _advertised() -> dict[str, str]:
    """The broker's advertised listeners: listener name -> host:port."""
    listeners = _service_environment("kafka")["KAFKA_ADVERTISED_LISTENERS"].split(",")
    return dict(
        (name, address.removeprefix("//"))
        for name, address in (listener.split(":", 1) for listener in listeners)
    )


def _stack_properties(tmp_path: Path) -> dict[str, str]:
    settings = replace(Settings.from_env(), var_dir=tmp_path, partitions=8)
    text = kafka._server_properties(settings, kafka.BrokerPaths.of(settings))
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {key: value for key, value in pairs if key not in PER_DEPLOYMENT}


def test_the_compose_broker_has_every_setting_of_the_stack_broker(tmp_path: Path) -> None:
    environment = _service_environment("kafka")
    expected = {
        "KAFKA_" + key.upper().replace(".", "_"): value
        for key, value in _stack_properties(tmp_path).items()
    }
    assert {key: environment.get(key) for key in expected} == expected
    assert environment["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"


def test_the_compose_workers_bootstrap_is_the_listener_advertised_to_containers() -> None:
    broker = _service_environment("kafka")
    advertised = _advertised()
    assert advertised == {"INTERNAL": "kafka:9092", "EXTERNAL": "localhost:9092"}
    assert broker["KAFKA_INTER_BROKER_LISTENER_NAME"] == "INTERNAL"
    assert _service_environment("worker")["RAAS_BOOTSTRAP_SERVERS"] == advertised["INTERNAL"]


def test_the_compose_sink_reads_the_broker_and_writes_the_database_of_the_worker() -> None:
    sink, worker = _service_environment("sink"), _service_environment("worker")

    assert _service_line("sink", "command").endswith('raas sink"')
    assert sink["RAAS_BOOTSTRAP_SERVERS"] == _advertised()["INTERNAL"]
    assert sink["RAAS_DATABASE_URL"] == worker["RAAS_DATABASE_URL"]
    assert sink["RAAS_PARTITIONS"] == worker["RAAS_PARTITIONS"]


def test_the_compose_registry_is_the_version_and_jvm_of_the_stack_registry() -> None:
    pom = (REPO_ROOT / "registry" / "pom.xml").read_text()
    version = re.search(r"<apicurio.version>(.+)</apicurio.version>", pom)
    assert version is not None

    assert _service_line("registry", "image") == f"apicurio/apicurio-registry-mem:{version[1]}"
    environment = _service_environment("registry")
    assert environment["JAVA_OPTS_APPEND"] == " ".join(registry.JVM_OPTIONS)
    assert environment["REGISTRY_DATASOURCE_URL"].startswith("jdbc:h2:file:")


def test_the_compose_registry_is_filled_at_the_address_it_serves_containers() -> None:
    ports = re.fullmatch(r'\["(\d+):(\d+)"\]', _service_line("registry", "ports"))
    assert ports is not None
    published, served = ports.groups()

    assert int(published) == REGISTRY_PORT  # the host reaches it where `raas stack up` puts it
    assert "raas stack register-schemas" in _service_line("registry-schemas", "command")
    url = _service_environment("registry-schemas")["RAAS_REGISTRY_URL"]
    assert url == f"http://registry:{served}"
