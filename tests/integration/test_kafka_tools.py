"""`raas kafka TOOL`: Kafka's own tools from the jar cache, against the real broker."""

from __future__ import annotations

import uuid

import pytest
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from raas.config import Settings
from tests.integration.cli import raas

pytestmark = pytest.mark.integration


@pytest.fixture
def topic_with_a_record(settings: Settings) -> str:
    topic = f"raas.it.tools.{uuid.uuid4().hex[:12]}"
    admin = AdminClient({"bootstrap.servers": settings.bootstrap_servers})
    admin.create_topics([NewTopic(topic, 1, 1)])[topic].result(timeout=30)
    producer = Producer({"bootstrap.servers": settings.bootstrap_servers})
    producer.produce(topic, key=b"k", value=b"the first record")
    assert producer.flush(30) == 0
    return topic


def test_kafka_topics_lists_a_topic_of_our_broker_without_being_told_the_bootstrap_server(
    topic_with_a_record: str,
) -> None:
    done = raas("kafka", "topics", "--list")
    assert done.returncode == 0, done.stderr
    assert topic_with_a_record in done.stdout.splitlines()


def test_kafka_console_consumer_prints_the_first_record_of_a_topic(
    topic_with_a_record: str,
) -> None:
    done = raas(
        "kafka",
        "console-consumer",
        "--topic",
        topic_with_a_record,
        "--from-beginning",
        "--max-messages",
        "1",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["the first record"]


def test_kafka_consumer_groups_describes_a_group_with_its_committed_offset(
    settings: Settings, topic_with_a_record: str
) -> None:
    group = f"raas-it-tools-{uuid.uuid4().hex[:8]}"
    consumer = Consumer(
        {
            "bootstrap.servers": settings.bootstrap_servers,
            "group.id": group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([topic_with_a_record])
    message = None
    while message is None:
        message = consumer.poll(1.0)
    consumer.commit(message, asynchronous=False)
    consumer.close()

    done = raas("kafka", "consumer-groups", "--describe", "--group", group)
    assert done.returncode == 0, done.stderr
    row = next(line.split() for line in done.stdout.splitlines() if topic_with_a_record in line)
    assert row[:6] == [group, topic_with_a_record, "0", "1", "1", "0"]  # offset, end, lag


def test_kafka_passes_a_tools_own_help_through_and_refuses_an_unknown_tool() -> None:
    helped = raas("kafka", "topics", "--help")
    assert "--create" in helped.stdout + helped.stderr
    unknown = raas("kafka", "no-such-tool")
    assert unknown.returncode == 2
    assert "raas kafka --help" in unknown.stderr
