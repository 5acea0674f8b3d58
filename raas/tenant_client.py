"""A tenant's side of the register: send a command to its topic, wait for the matching result.

Results are keyed by `request_id`. The client reads the results topic by assignment (no consumer
group), so it never takes another reader's replies. The partitions that exist when it starts
listening are read from their end offsets, taken before the command is sent, so it never misses
its own reply. It keeps asking the broker for the topic's partitions while it waits: a partition
(or the whole topic) that appears later is read from its beginning, all of it being newer than the
start (issue 9: a results topic created after the client started listening was never read).

Before sending, the client checks that the tenant's commands and results topics exist. They are
created by `raas tenant add` (the broker does not create topics on first use), so a tenant without
them is not onboarded; `request` says so at once instead of sending a command nobody can answer.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from confluent_kafka import (
    OFFSET_BEGINNING,
    Consumer,
    KafkaError,
    KafkaException,
    Message,
    TopicPartition,
)

from raas import codec
from raas.clients import end_offset, make_consumer, make_producer
from raas.config import Settings
from raas.domain.commands import Command
from raas.domain.results import CommandResult
from raas.topics import tenant_topic

# librdkafka logs each failed connection attempt on stderr; the client says it once (Unavailable).
QUIET = {"log_level": 2}
BROKER_TIMEOUT = 10.0  # seconds for the broker to answer a metadata request or take the command
METADATA_INTERVAL = 1.0  # seconds between two looks for new partitions of the results topic


class Unavailable(RuntimeError):
    """The broker could not be reached."""


class NotOnboarded(RuntimeError):
    """The tenant's commands or results topic does not exist: nobody ran `raas tenant add`."""

    def __init__(self, tenant: str, missing: list[str]) -> None:
        super().__init__(
            f"tenant {tenant} is not onboarded: {' and '.join(missing)} "
            f"{'does' if len(missing) == 1 else 'do'} not exist; "
            f"an operator adds the tenant with `raas tenant add {tenant}`"
        )
        self.tenant = tenant
        self.missing = missing


def command_key(command: Command) -> bytes:
    """Commands are keyed by INSZ, or by request id when the command has none."""
    return str(getattr(command, "insz", None) or command.request_id).encode()


def partitions_of(consumer: Consumer, topic: str) -> set[int]:
    """The topic's partitions as the broker knows them now; none when the topic does not exist.

    A consumer's metadata request never creates the topic (`allow.auto.create.topics` is false
    for consumers), whatever the broker's `auto.create.topics.enable`.
    """
    try:
        found = consumer.list_topics(topic, timeout=BROKER_TIMEOUT).topics.get(topic)
    except KafkaException as exc:
        raise Unavailable(exc.args[0].str()) from exc
    return set(found.partitions) if found is not None else set()


class TopicFollower:
    """Reads one topic by assignment (no group) and sees partitions that appear while it reads.

    The partitions there at `start` are read from their end offsets at that moment (`from_end`)
    or from their beginning. A partition that appears later, or the whole topic when it did not
    exist yet, is read from its beginning: all of it is newer than the start.
    """

    def __init__(self, consumer: Consumer, topic: str) -> None:
        self.consumer = consumer
        self.topic = topic
        self.assigned: set[int] = set()
        self._next_look = 0.0

    def start(self, from_end: bool = True) -> None:
        present = partitions_of(self.consumer, self.topic)
        self.consumer.assign(
            [
                end_offset(self.consumer, self.topic, p)
                if from_end
                else TopicPartition(self.topic, p, OFFSET_BEGINNING)
                for p in sorted(present)
            ]
        )
        self.assigned = present
        self._next_look = time.monotonic() + METADATA_INTERVAL

    def look_for_new_partitions(self) -> None:
        """Assign, from their beginning, the partitions that appeared since the last look."""
        new = partitions_of(self.consumer, self.topic) - self.assigned
        if new:
            self.consumer.incremental_assign(
                [TopicPartition(self.topic, p, OFFSET_BEGINNING) for p in sorted(new)]
            )
            self.assigned |= new
        self._next_look = time.monotonic() + METADATA_INTERVAL

    def poll(self, timeout: float) -> Message | None:
        """The next record (or error) within `timeout`, after a look for new partitions when due."""
        if time.monotonic() >= self._next_look:
            self.look_for_new_partitions()
        wait = min(timeout, max(0.0, self._next_look - time.monotonic()))
        message: Message | None = self.consumer.poll(wait)
        return message

    def wait_for(self, key: bytes, timeout: float) -> bytes | None:
        """The value of the first record with `key`, or None when none came within `timeout`."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            msg = self.poll(min(0.5, left))
            if msg is None:
                continue
            error = msg.error()
            if error is not None:
                if error.code() == KafkaError._TRANSPORT:
                    raise Unavailable(str(error))
                continue
            if msg.key() == key:
                value: bytes | None = msg.value()
                return value
        return None


@contextmanager
def listening(settings: Settings, tenant: str) -> Iterator[TopicFollower]:
    """A follower of the tenant's results topic, from its end now, closed on leaving."""
    consumer = make_consumer(
        settings,
        group_id=f"{settings.app_id}-client",
        **{"enable.partition.eof": False, "isolation.level": "read_uncommitted", **QUIET},
    )
    try:
        follower = TopicFollower(consumer, tenant_topic(tenant, "results"))
        follower.start(from_end=True)
        yield follower
    finally:
        consumer.close()


def require_onboarded(consumer: Consumer, tenant: str) -> None:
    """Raise NotOnboarded unless the tenant's commands and results topics exist."""
    wanted = [tenant_topic(tenant, "commands"), tenant_topic(tenant, "results")]
    missing = [topic for topic in wanted if not partitions_of(consumer, topic)]
    if missing:
        raise NotOnboarded(tenant, missing)


def send_command(settings: Settings, tenant: str, command: Command) -> None:
    """Write `command` to the tenant's commands topic and wait until the broker has it."""
    producer = make_producer(
        settings,
        **{
            "allow.auto.create.topics": False,
            # Delivered or failed within the flush below, never sent later by a forgotten queue.
            "message.timeout.ms": int(BROKER_TIMEOUT * 1000),
            **QUIET,
        },
    )
    failures: list[KafkaError] = []
    producer.produce(
        tenant_topic(tenant, "commands"),
        key=command_key(command),
        value=codec.encode(command),
        on_delivery=lambda error, _msg: failures.append(error) if error else None,
    )
    if producer.flush(BROKER_TIMEOUT + 5) != 0 or failures:
        why = failures[0].str() if failures else f"no answer in {BROKER_TIMEOUT:g} s"
        raise Unavailable(f"the command was not taken: {why}")


def request(
    settings: Settings, tenant: str, command: Command, timeout: float
) -> CommandResult | None:
    """Send `command` as `tenant` and return its result, or None when none came in `timeout`.

    Raises NotOnboarded, before sending, when the tenant's topics do not exist, and Unavailable
    when the broker does not answer.
    """
    with listening(settings, tenant) as results:
        require_onboarded(results.consumer, tenant)
        try:
            send_command(settings, tenant, command)
        except Unavailable:
            require_onboarded(results.consumer, tenant)  # a topic deleted meanwhile says so
            raise
        value = results.wait_for(command.request_id.encode(), timeout)
    return None if value is None else codec.decode(value, codec.COMMAND_RESULT)
