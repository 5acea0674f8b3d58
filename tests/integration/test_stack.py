"""The real parts work: the broker carries messages, PostgreSQL answers, status reports both."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from dataclasses import replace

import pytest
import sqlalchemy

from raas.clients import ensure_topics, make_admin, make_consumer, make_producer
from raas.config import Settings
from raas.stack import StackError, kafka


def test_a_message_goes_through_the_broker(settings: Settings, unique: str) -> None:
    topic = f"it.roundtrip.{unique}"
    created = ensure_topics(make_admin(settings), [topic], partitions=3)
    assert created == [topic]
    assert ensure_topics(make_admin(settings), [topic], partitions=3) == []  # idempotent

    producer = make_producer(settings)
    producer.produce(topic, key=b"85073003328", value=b"hello")
    assert producer.flush(10) == 0

    consumer = make_consumer(settings, group_id=f"it-{unique}")
    consumer.subscribe([topic])
    try:
        got = None
        for _ in range(60):
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                got = msg
                break
        assert got is not None, "no message came back within 30 s"
        assert (got.key(), got.value()) == (b"85073003328", b"hello")
    finally:
        consumer.close()


def test_postgresql_answers_a_query(settings: Settings) -> None:
    engine = sqlalchemy.create_engine(settings.postgres_url)
    with engine.connect() as conn:
        assert conn.execute(sqlalchemy.text("SELECT 40 + 2")).scalar_one() == 42
        assert conn.execute(sqlalchemy.text("SELECT current_database()")).scalar_one() == "raas"
    engine.dispose()


def test_stack_status_reports_kafka_4_and_postgresql_up(settings: Settings) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "raas.cli", "stack", "status", "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {row["service"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert rows["kafka"]["up"] is True
    assert str(rows["kafka"]["version"]).startswith("4.")
    assert rows["kafka"]["address"] == settings.bootstrap_servers
    assert rows["postgresql"]["up"] is True


def test_starting_on_a_taken_port_says_so(settings: Settings, tmp_path: object) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        other = replace(
            settings,
            kafka_port=port,
            controller_port=port + 1,
            bootstrap_servers=f"127.0.0.1:{port}",
            var_dir=settings.var_dir / "taken",
        )
        with pytest.raises(StackError, match=f"Port {port}.*already taken"):
            kafka.start(other)
