"""The broker's generated settings and the jar cache, without starting anything."""

from __future__ import annotations

import uuid
from base64 import urlsafe_b64encode
from dataclasses import replace
from pathlib import Path

from raas.config import Settings
from raas.stack import kafka


def _settings(tmp_path: Path) -> Settings:
    return replace(Settings.from_env(), var_dir=tmp_path, kafka_port=19092, controller_port=19093)


def test_a_single_node_has_one_replica_for_every_internal_topic(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    props = kafka._server_properties(settings, kafka.BrokerPaths.of(settings))
    lines = set(props.splitlines())
    for needed in (
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "group.initial.rebalance.delay.ms=0",
        "process.roles=broker,controller",
        "listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093",
    ):
        assert needed in lines


def test_the_broker_version_is_read_from_the_cached_jar(tmp_path: Path) -> None:
    (tmp_path / "kafka_2.13-4.1.1.jar").write_bytes(b"x")
    (tmp_path / "kafka-clients-4.1.1.jar").write_bytes(b"x")
    assert kafka.broker_version(tmp_path) == "4.1.1"


def test_an_empty_or_missing_cache_has_no_version(tmp_path: Path) -> None:
    assert kafka.broker_version(tmp_path) is None
    assert kafka.broker_version(tmp_path / "missing") is None


def test_a_cache_missing_the_log4j_backend_is_incomplete(tmp_path: Path) -> None:
    for name in ("kafka_2.13-4.1.1.jar", "kafka-clients-4.1.1.jar", "kafka-server-4.1.1.jar"):
        (tmp_path / name).write_bytes(b"x")
    assert not kafka._cache_complete(tmp_path)
    (tmp_path / "log4j-core-2.25.3.jar").write_bytes(b"x")
    (tmp_path / "log4j-slf4j2-impl-2.25.3.jar").write_bytes(b"x")
    (tmp_path / "kafka-tools-4.1.1.jar").write_bytes(b"x")
    assert kafka._cache_complete(tmp_path)


def test_a_cache_made_before_the_kafka_tools_joined_the_pom_is_incomplete(tmp_path: Path) -> None:
    for name in (
        "kafka_2.13-4.1.1.jar",
        "kafka-clients-4.1.1.jar",
        "kafka-server-4.1.1.jar",
        "kafka-tools-api-4.1.1.jar",
        "log4j-core-2.25.3.jar",
        "log4j-slf4j2-impl-2.25.3.jar",
    ):
        (tmp_path / name).write_bytes(b"x")
    assert not kafka._cache_complete(tmp_path)
    (tmp_path / "kafka-tools-4.1.1.jar").write_bytes(b"x")
    assert kafka._cache_complete(tmp_path)


def test_a_cluster_id_never_starts_with_a_dash_so_the_storage_tool_takes_it_for_a_value() -> None:
    dash_first = uuid.UUID(bytes=bytes([0xF8]) + bytes(15))  # base64 of 0b111110... is "-"
    zero = uuid.UUID(int=0)
    plain = uuid.UUID("12345678-1234-5678-1234-567812345678")
    draws = iter([dash_first, zero, plain])
    assert urlsafe_b64encode(dash_first.bytes).decode().startswith("-")
    cluster_id = kafka.new_cluster_id(lambda: next(draws))
    assert cluster_id == urlsafe_b64encode(plain.bytes).decode().rstrip("=")
    assert len(cluster_id) == 22


def test_random_cluster_ids_are_22_characters_and_none_starts_with_a_dash() -> None:
    ids = {kafka.new_cluster_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(len(i) == 22 and not i.startswith("-") for i in ids)
