"""docker-compose.yml's broker stays in step with the broker `raas stack up` starts.

There is no Docker here, so the compose file is checked against `raas/stack/kafka.py`'s
server.properties: every setting but the listeners (which differ by design) must be the same.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from raas.config import REPO_ROOT, Settings
from raas.stack import kafka

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
    advertised = dict(
        (name, address.removeprefix("//"))
        for name, address in (
            listener.split(":", 1) for listener in broker["KAFKA_ADVERTISED_LISTENERS"].split(",")
        )
    )
    assert advertised == {"INTERNAL": "kafka:9092", "EXTERNAL": "localhost:9092"}
    assert broker["KAFKA_INTER_BROKER_LISTENER_NAME"] == "INTERNAL"
    assert _service_environment("worker")["RAAS_BOOTSTRAP_SERVERS"] == advertised["INTERNAL"]
