"""A tenant's side of the register: send a command to its topic, wait for the matching result.

Results are keyed by `request_id`. The client reads the results topic by assignment (no consumer
group), starting from the end offsets taken before the command is sent, so it never misses its
own reply and never takes another reader's.
"""

from __future__ import annotations

import time

from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition

from raas import codec
from raas.clients import make_consumer, make_producer
from raas.config import Settings
from raas.domain.commands import Command
from raas.domain.results import CommandResult
from raas.topics import tenant_topic


class Unavailable(RuntimeError):
    """The broker could not be reached."""


def command_key(command: Command) -> bytes:
    """Commands are keyed by INSZ, or by request id when the command has none."""
    return str(getattr(command, "insz", None) or command.request_id).encode()


_NOT_READY = {
    KafkaError.NOT_LEADER_FOR_PARTITION,
    KafkaError.LEADER_NOT_AVAILABLE,
    KafkaError.UNKNOWN_TOPIC_OR_PART,
}


def end_offset(
    consumer: Consumer, topic: str, partition: int, wait: float = 15.0
) -> TopicPartition:
    """The partition's end offset; a new topic's partitions may take a moment to get a leader."""
    deadline = time.monotonic() + wait
    while True:
        try:
            _low, high = consumer.get_watermark_offsets(
                TopicPartition(topic, partition), timeout=wait
            )
            return TopicPartition(topic, partition, high)
        except KafkaException as exc:
            if exc.args[0].code() not in _NOT_READY or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def request(
    settings: Settings, tenant: str, command: Command, timeout: float
) -> CommandResult | None:
    """Send `command` as `tenant` and return its result, or None when none came in `timeout`."""
    results_topic = tenant_topic(tenant, "results")
    consumer = make_consumer(
        settings,
        group_id=f"{settings.app_id}-client",
        **{
            "enable.partition.eof": False,
            "isolation.level": "read_uncommitted",
        },
    )
    try:
        try:
            metadata = consumer.list_topics(results_topic, timeout=min(timeout, 10))
        except KafkaException as exc:
            raise Unavailable(
                f"the broker at {settings.bootstrap_servers} does not answer"
            ) from exc
        partitions = metadata.topics[results_topic].partitions
        consumer.assign([end_offset(consumer, results_topic, p) for p in partitions])
        producer = make_producer(settings)
        producer.produce(
            tenant_topic(tenant, "commands"), key=command_key(command), value=codec.encode(command)
        )
        if producer.flush(min(timeout, 30)) != 0:
            raise Unavailable("the command was not acknowledged by the broker")
        wanted = command.request_id.encode()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = consumer.poll(min(0.5, max(0.0, deadline - time.monotonic())))
            if msg is None:
                continue
            error = msg.error()
            if error is not None:
                if error.code() == KafkaError._TRANSPORT:
                    raise Unavailable(str(error))
                continue
            if msg.key() == wanted:
                return codec.decode(msg.value(), codec.COMMAND_RESULT)
        return None
    finally:
        consumer.close()
