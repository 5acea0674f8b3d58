"""The ingress: every tenant's command topic, re-keyed by INSZ into the internal commands topic.

Faust's pattern subscription subscribes to nothing (faust-streaming #62), so this is a
confluent-kafka consumer subscribed by regex, with a short metadata refresh so a new tenant's first
command is seen within seconds. It forwards transactionally (consume, transform, produce, and
`send_offsets_to_transaction` in one transaction), so a crash neither loses nor doubles a command.

The tenant is taken from the topic name, never from the payload. Undecodable bytes become dead
letters inside the same transaction. A command over a limit (`raas/domain/limits.py`: its size,
a field's length, a number's range) is not forwarded: the ingress answers it at once with its
ERROR result on the tenant's results topic, inside the same transaction, echoing it clipped.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import UTC, datetime

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer, TopicPartition

from raas import codec
from raas.clients import make_consumer, make_producer
from raas.codec.envelopes import TenantCommand
from raas.config import Settings
from raas.deadletters import RawMessage, send_dead_letter
from raas.domain.commands import Command
from raas.domain.insz import InvalidInsz, parse_insz
from raas.domain.limits import refuse_over_limits
from raas.topics import TENANT_COMMANDS_REGEX, internal_commands_topic, tenant_of, tenant_topic

log = logging.getLogger(__name__)
BATCH = 500
TRANSACTION_TIMEOUT_MS = 10_000


def insz_key(command: Command) -> str:
    """The internal key: the INSZ's 11 digits, or the raw text when it does not parse."""
    raw = getattr(command, "insz", None)
    if raw is None:
        return command.request_id
    try:
        return parse_insz(raw).number
    except InvalidInsz:
        return str(raw)


class Ingress:
    """Forwards tenant commands into `<app>-commands`, keyed by INSZ, in transactions."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._target = internal_commands_topic(settings.app_id)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ingress", daemon=True)
        self._consumer: Consumer | None = None
        self._producer: Producer | None = None
        self._group = f"{settings.app_id}-ingress"
        self.forwarded = 0

    def start(self) -> None:
        settings = self._settings
        self._consumer = make_consumer(
            settings,
            group_id=self._group,
            **{
                "topic.metadata.refresh.interval.ms": 2000,
                "enable.partition.eof": False,
                "session.timeout.ms": 10_000,
            },
        )
        self._producer = make_producer(
            settings,
            **{
                "transactional.id": f"{settings.app_id}-ingress-{uuid.uuid4().hex}",
                # A crashed ingress's open transaction is aborted this soon, so its successor
                # (another transactional id) does not wait long for stable offsets.
                "transaction.timeout.ms": TRANSACTION_TIMEOUT_MS,
            },
        )
        self._producer.init_transactions(30)
        self._consumer.subscribe([TENANT_COMMANDS_REGEX], on_assign=_log_assignment)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        if self._consumer is not None:
            self._consumer.close()

    def _run(self) -> None:
        assert self._consumer is not None and self._producer is not None
        consumer, producer = self._consumer, self._producer
        while not self._stop.is_set():
            batch = [m for m in consumer.consume(num_messages=BATCH, timeout=0.2) if _ok(m)]
            if not batch:
                continue
            try:
                producer.begin_transaction()
                for msg in batch:
                    self._forward(producer, msg)
                producer.send_offsets_to_transaction(
                    consumer.position(consumer.assignment()), consumer.consumer_group_metadata()
                )
                producer.commit_transaction()
                self.forwarded += len(batch)
            except KafkaException as exc:
                log.error("ingress transaction failed, rewinding: %s", exc)
                self._abort_and_rewind(consumer, producer, exc)

    def _forward(self, producer: Producer, msg: Message) -> None:
        tenant = tenant_of(msg.topic() or "") or ""
        try:
            command = codec.decode(msg.value(), codec.COMMAND)
        except codec.CodecError as exc:
            send_dead_letter(producer, RawMessage.of(msg), exc, consumer=self._group)
            return
        now = datetime.now(UTC)
        refused = refuse_over_limits(command, tenant=tenant, now=now, size=len(msg.value() or b""))
        if refused is not None:
            results = tenant_topic(tenant, "results")
            producer.produce(results, key=refused.request_id.encode(), value=codec.encode(refused))
            return
        envelope = TenantCommand.of(tenant, command, now)
        producer.produce(self._target, key=insz_key(command).encode(), value=codec.encode(envelope))

    def _abort_and_rewind(
        self, consumer: Consumer, producer: Producer, exc: KafkaException
    ) -> None:
        error = exc.args[0]
        if error.txn_requires_abort():
            producer.abort_transaction()
        elif not error.retriable():
            raise exc
        # Go back to the last committed offsets, so the aborted batch is read again.
        committed = consumer.committed(consumer.assignment(), timeout=10)
        for tp in committed:
            if tp.offset >= 0:
                consumer.seek(tp)


def _log_assignment(consumer: Consumer, partitions: list[TopicPartition]) -> None:
    topics = sorted({tp.topic for tp in partitions})
    log.info("ingress: %d partitions of %d tenant command topics", len(partitions), len(topics))


def _ok(msg: Message) -> bool:
    error = msg.error()
    if error is None:
        return True
    if error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
        log.debug("ingress: no tenant command topic yet")  # before the first tenant is added
    elif error.code() != KafkaError._PARTITION_EOF:
        log.warning("ingress: %s", error)
    return False
