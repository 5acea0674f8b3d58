"""The ingress: every tenant's command topic, re-keyed by INSZ into the internal commands topic.

Faust's pattern subscription subscribes to nothing (faust-streaming #62), so this is a
confluent-kafka consumer subscribed by regex, with a short metadata refresh so a new tenant's first
command is seen within seconds. It forwards transactionally (consume, transform, produce, and
`send_offsets_to_transaction` in one transaction), so a crash neither loses nor doubles a command.
A record is forwarded as soon as it is read, into the transaction that is open; that transaction
commits COMMIT_INTERVAL after it opened (or at BATCH records, or when partitions are revoked).
The worker reads the internal topic committed (fix 9, `streams.faust_isolation`: an aborted batch
is forwarded again, and must not be applied twice), so a command waits for that commit: the
interval trades latency against the broker's cost of a transaction, which is spread over every
command of that interval, however slow the traffic. The producer lingers as long as a transaction
stays open: nothing it forwards is seen before the commit anyway, and `commit_transaction` sends
what is left, so its produce requests are fewer and fuller at no cost in latency.
In secure mode it logs in as its own user, `svc-ingress` (`raas.config.ingress_login`), not as the
worker's: only it reads the tenants' commands topics.
Topics whose names do not follow the rule (`raas.tenant.<10-digit KBO>.commands`) are never read.

Quiet tenants cost no fetches (issue 10, `streams.quiet_partitions`): a partition with no record
for RAAS_INGRESS_QUIET_AFTER seconds (10) is paused, and once a second the end offsets of all
paused partitions are asked in one request; a partition with a record past its position resumes.
So a quiet tenant's first command waits up to about a second longer (WATCH_INTERVAL, plus that
lookup's round trip); its next commands, while it stays active, do not.

The tenant is taken from the topic name, never from the payload. Undecodable bytes become dead
letters inside the same transaction. A command is forwarded only when the tenant's results topic
exists, since the broker creates no topic on a first write: a tenant with no config then gets
ERROR 302 from the worker. Otherwise the command is dead-lettered, with reason TENANT_UNKNOWN when
the tenant has no config either. A command over a limit (`raas/domain/limits.py`: its size, a
field's length, a number's range) is not forwarded: the ingress answers it at once with its
ERROR result on the tenant's results topic, inside the same transaction, echoing it clipped.

A batch whose transaction fails because the group moved on (a rebalance) is read again. Any other
failure is tried again one record per transaction; a record that fails twice is dead-lettered and
skipped, so one bad record never stops the others, before or after a restart. A failure the
ingress cannot get past (a fenced producer, a dead letter the broker refuses) ends the thread,
and `streams.lifelines` then stops the worker.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer, TopicPartition

from raas import codec
from raas.clients import make_admin, make_consumer, make_producer
from raas.codec.envelopes import TenantCommand
from raas.config import Settings, ingress_login
from raas.deadletters import (
    PROCESSING_ERROR,
    TENANT_UNKNOWN,
    Failure,
    RawMessage,
    send_dead_letter,
)
from raas.domain.bisregister import bis_key
from raas.domain.commands import Command, CreateBis
from raas.domain.insz import InvalidInsz, parse_insz
from raas.domain.limits import refuse_over_limits
from raas.topics import TENANT_COMMANDS_REGEX, internal_commands_topic, tenant_of, tenant_topic
from streams.lifelines import Lifeline
from streams.quiet_partitions import PartitionPauser, QuietPartitions, latest_offsets
from streams.repeats import client_logs
from streams.tenants import TenantDirectory

log = logging.getLogger(__name__)
BATCH = 500  # records a transaction holds at most
POLL = 0.2  # seconds to wait for a first record when no transaction is open
COMMIT_INTERVAL = 0.1  # seconds a transaction stays open at most
TRANSACTION_TIMEOUT_MS = 10_000
ATTEMPTS = 2  # a record whose forward fails this many times is dead-lettered
RESULTS_TOPIC_TTL = 60.0  # seconds a results topic, once seen, is taken to exist
FETCH_WAIT_MS = 25  # at most this added to a command's way at low rates
FETCH_MIN_BYTES = 64 * 1024
LINGER_MS = int(COMMIT_INTERVAL * 1000)  # a transaction's records go out together, at its commit
CALL_TIMEOUT = 30.0  # seconds for a transaction call; librdkafka waits for ever without one


def insz_key(command: Command) -> str:
    """The internal key: the INSZ's 11 digits, or the raw text when it does not parse; a CreateBis
    is keyed by its birth date, so the numbers of a birth date are allocated in one partition."""
    if isinstance(command, CreateBis):
        return bis_key(command)
    raw = getattr(command, "insz", None)
    if raw is None:
        return command.request_id
    try:
        return parse_insz(raw).number
    except InvalidInsz:
        return str(raw)


class Ingress:
    """Forwards tenant commands into `<app>-commands`, keyed by INSZ, in transactions."""

    def __init__(
        self, settings: Settings, tenants: TenantDirectory, lifeline: Lifeline | None = None
    ) -> None:
        self._settings = settings
        self._tenants = tenants
        self._target = internal_commands_topic(settings.app_id)
        self._stop = threading.Event()
        self._thread = (lifeline or Lifeline()).thread("ingress", self._run)
        self._consumer: Consumer | None = None
        self._producer: Producer | None = None
        self._group = f"{settings.app_id}-ingress"
        self._results_seen: dict[str, float] = {}  # tenant -> when its results topic was seen
        self._refusals: dict[str, Failure | None] = {}  # per transaction: why no answer reaches
        self._pending: list[Message] = []  # forwarded in the open transaction
        self._due: float | None = None  # when the open transaction is to commit; None: none open
        self.forwarded = 0
        self._revokes = 0  # revokes so far: a poll drops what it held from before one
        self._pauser: PartitionPauser | None = None  # pauses quiet tenants' partitions (start)

    def start(self) -> None:
        settings = ingress_login(self._settings)  # its own user in secure mode, not the worker's
        self._consumer = make_consumer(
            settings,
            group_id=self._group,
            **{
                "client.id": f"{settings.app_id}-ingress",
                # Tenant topics have one partition each (RAAS_TENANT_PARTITIONS): the range
                # assignor, which splits each topic alone, would give every one to one worker.
                "partition.assignment.strategy": "roundrobin",
                "topic.metadata.refresh.interval.ms": 2000,
                "enable.partition.eof": False,
                "session.timeout.ms": 10_000,
                # Each fetch names every partition of every tenant's commands topic (librdkafka
                # sends full fetches), so the broker's cost follows fetches, not records: a
                # fetch waits up to FETCH_WAIT_MS for FETCH_MIN_BYTES instead of returning with
                # the first record.
                "fetch.wait.max.ms": FETCH_WAIT_MS,
                "fetch.min.bytes": FETCH_MIN_BYTES,
                **client_logs(),
            },
        )
        self._producer = make_producer(
            settings,
            **{
                "client.id": f"{settings.app_id}-ingress",
                "transactional.id": f"{settings.app_id}-ingress-{uuid.uuid4().hex}",
                # A crashed ingress's open transaction is aborted this soon, so its successor
                # (another transactional id) does not wait long for stable offsets.
                "transaction.timeout.ms": TRANSACTION_TIMEOUT_MS,
                "linger.ms": LINGER_MS,  # fewer, fuller produce requests (module doc)
            },
        )
        self._producer.init_transactions(30)
        admin = make_admin(settings)
        self._pauser = PartitionPauser(
            self._consumer,
            lambda keys: latest_offsets(admin, keys),
            QuietPartitions(settings.ingress_quiet_after),
        )
        self._consumer.subscribe(
            [TENANT_COMMANDS_REGEX], on_assign=self._on_assign, on_revoke=self._on_revoke
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)
        if self._consumer is not None:
            self._consumer.close()

    def _run(self) -> None:
        assert self._consumer is not None
        while not self._stop.is_set():
            wait = POLL if self._due is None else max(0.0, self._due - time.monotonic())
            batch = self._poll(wait)
            if batch:
                self._take(batch)
            if self._due is not None and (
                len(self._pending) >= BATCH or time.monotonic() >= self._due
            ):
                self._commit()
            if self._pauser is not None:
                self._pauser.heard(batch)
                if self._due is None:  # its lookups never hold an open transaction up
                    self._pauser.tick()
        if self._due is not None:
            self._commit()  # what was forwarded is committed, not read again by the next owner

    def _poll(self, wait: float) -> list[Message]:
        """The records at hand: waits up to `wait` for the first, then takes what else is there.

        (librdkafka's `consume(n, timeout)` waits out its whole timeout unless n records come, so
        a first record alone is asked for, then the rest without waiting.)
        """
        assert self._consumer is not None
        first = self._consumer.consume(num_messages=1, timeout=wait)
        if not first:
            return []
        revokes = self._revokes
        rest = self._consumer.consume(num_messages=BATCH - 1, timeout=0)
        if self._revokes != revokes:  # `first` came before a revoke: its new owner reads it
            first = []
        return [m for m in first + rest if _ok(m)]

    def _take(self, batch: list[Message]) -> None:
        """Forward `batch` inside the open transaction, opening one if none is; it is committed
        COMMIT_INTERVAL after it opened, or once it holds BATCH records. The worker reads committed
        records only, so a command's way includes the wait for that commit."""
        assert self._producer is not None
        new = _tenants(batch) - self._refusals.keys()
        if self._due is not None and any(not self._results_fresh(t) for t in new):
            # A lookup may be slow, and inside the transaction it could outlast
            # transaction.timeout.ms, after which the coordinator fences the producer for good.
            self._commit()
            new = _tenants(batch)
        self._refusals.update({tenant: self._refusal(tenant) for tenant in new})
        if self._due is None:
            self._producer.begin_transaction()
            self._due = time.monotonic() + COMMIT_INTERVAL
        try:
            for msg in batch:
                self._forward(self._producer, msg)
        except Exception as exc:  # a record we cannot forward: find it
            self._failed(self._pending + batch, exc)
            return
        self._pending += batch

    def _commit(self) -> None:
        """Commit the open transaction with the offsets of what it forwarded."""
        assert self._consumer is not None and self._producer is not None
        pending, self._pending, self._due = self._pending, [], None
        self._refusals = {}
        try:
            self._commit_offsets(self._producer, pending)
        except Exception as exc:
            self._failed(pending, exc)
            return
        self.forwarded += len(pending)

    def _failed(self, batch: list[Message], exc: Exception) -> None:
        """Abort the open transaction; read `batch` again after a rebalance, else try it one
        record at a time."""
        assert self._producer is not None
        self._pending, self._due = [], None
        _abort(self._producer, exc)
        if isinstance(exc, KafkaException) and _group_moved(exc):
            log.warning("ingress: the group moved on, reading the batch again: %s", exc)
            self._refusals = {}
            self._rewind()
            return
        log.warning("ingress: forwarding failed, one record at a time now: %s", exc)
        self._refusals = {tenant: self._refusal(tenant) for tenant in _tenants(batch)}
        for msg in batch:
            if not self._forward_alone(msg):
                break
        self._refusals = {}

    def _on_revoke(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """Commit before the partitions go: the next owner then starts after what was forwarded.
        A record `_poll` holds from before the revoke is not forwarded: the next owner (this one
        too, after an assignment) reads it again from the committed offset. Forwarded after
        the revoke, a rolling restart saw it forwarded twice, by this ingress and the next."""
        if self._due is not None:
            self._commit()
        self._revokes += 1
        if self._pauser is not None:
            self._pauser.revoked(partitions)

    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """A newly assigned partition starts active (resumed: librdkafka keeps a pause)."""
        if self._pauser is not None:
            self._pauser.assigned(partitions)
        _log_assignment(consumer, partitions)

    def paused_partitions(self) -> frozenset[tuple[str, int]]:
        """The (topic, partition)s paused now because they were quiet."""
        return frozenset() if self._pauser is None else self._pauser.paused

    def _forward_alone(self, msg: Message) -> bool:
        """Forward `msg` in a transaction of its own, or dead-letter it after ATTEMPTS failures.

        False when the group moved on and the batch is to be read again."""
        failure: Exception | None = None
        for _attempt in range(ATTEMPTS):
            try:
                self._transact([msg], self._forward)
                return True
            except KafkaException as exc:
                if _group_moved(exc):
                    self._rewind()
                    return False
                failure = exc
            except Exception as exc:  # counted, then dead-lettered
                failure = exc
        assert failure is not None
        where = RawMessage.of(msg)
        log.warning(
            "ingress: %s[%d]@%d failed %d times, dead-lettering it",
            where.topic,
            where.partition,
            where.offset,
            ATTEMPTS,
        )
        # If this fails too, the ingress cannot go on: the thread ends and the worker with it.
        self._transact([msg], lambda producer, m: self._dead_letter(producer, m, failure))
        return True

    def _transact(self, batch: list[Message], forward: Callable[[Producer, Message], None]) -> None:
        """Forward the batch and commit its offsets in one transaction; abort on any failure."""
        assert self._consumer is not None and self._producer is not None
        producer = self._producer
        producer.begin_transaction()
        try:
            for msg in batch:
                forward(producer, msg)
            self._commit_offsets(producer, batch)
        except BaseException as exc:
            _abort(producer, exc)
            raise
        self.forwarded += len(batch)

    def _commit_offsets(self, producer: Producer, batch: list[Message]) -> None:
        """Add the offsets after `batch` to the open transaction and commit it."""
        assert self._consumer is not None
        producer.send_offsets_to_transaction(
            _next_offsets(batch), self._consumer.consumer_group_metadata(), CALL_TIMEOUT
        )
        producer.commit_transaction(CALL_TIMEOUT)

    def _forward(self, producer: Producer, msg: Message) -> None:
        tenant = tenant_of(msg.topic() or "") or ""
        try:
            command = codec.decode(msg.value(), codec.COMMAND)
        except codec.CodecError as exc:
            self._dead_letter(producer, msg, exc)
            return
        refusal = self._refusals.get(tenant)
        if refusal is not None:
            self._dead_letter(producer, msg, refusal)
            return
        now = datetime.now(UTC)
        refused = refuse_over_limits(command, tenant=tenant, now=now, size=len(msg.value() or b""))
        if refused is not None:
            results = tenant_topic(tenant, "results")
            producer.produce(results, key=refused.request_id.encode(), value=codec.encode(refused))
            return
        envelope = TenantCommand.of(tenant, command, now)
        producer.produce(self._target, key=insz_key(command).encode(), value=codec.encode(envelope))

    def _dead_letter(self, producer: Producer, msg: Message, error: BaseException) -> None:
        send_dead_letter(producer, RawMessage.of(msg), error, consumer=self._group)

    def _refusal(self, tenant: str) -> Failure | None:
        """Why no answer can reach `tenant`, or None: the worker answers on the tenant's results
        topic (ERROR 302 when it has no config), and the broker makes no topic on a first write,
        where the worker's producer would wait for it for minutes."""
        if self._results_topic_exists(tenant):
            return None
        if self._tenants.get(tenant) is None:
            why = f"tenant {tenant} has no config and no results topic; run `raas tenant add`"
            return Failure(TENANT_UNKNOWN, why)
        why = f"tenant {tenant} has no results topic; `raas tenant add {tenant}` creates it"
        return Failure(PROCESSING_ERROR, why)

    def _results_fresh(self, tenant: str) -> bool:
        """Whether the tenant's results topic was seen lately (no lookup needed)."""
        seen = self._results_seen.get(tenant)
        return seen is not None and time.monotonic() - seen < RESULTS_TOPIC_TTL

    def _results_topic_exists(self, tenant: str) -> bool:
        if self._results_fresh(tenant):
            return True
        assert self._consumer is not None
        topic = tenant_topic(tenant, "results")
        metadata = self._consumer.list_topics(topic, timeout=10).topics.get(topic)
        if metadata is None or metadata.error is not None:
            return False
        self._results_seen[tenant] = time.monotonic()
        return True

    def _rewind(self) -> None:
        """Go back to the last committed offsets, so the aborted batch is read again."""
        assert self._consumer is not None
        committed = self._consumer.committed(self._consumer.assignment(), timeout=10)
        for tp in committed:
            if tp.offset >= 0:
                self._consumer.seek(tp)
        if self._pauser is not None:
            self._pauser.resume_all()  # what a paused partition had read may be read again


def _next_offsets(batch: list[Message]) -> list[TopicPartition]:
    """The offsets to commit after `batch`: one past its last record, per partition."""
    ends: dict[tuple[str, int], int] = {}
    for msg in batch:
        where = (msg.topic() or "", msg.partition() or 0)
        ends[where] = max(ends.get(where, 0), (msg.offset() or 0) + 1)
    return [TopicPartition(topic, partition, end) for (topic, partition), end in ends.items()]


# The group moved on (a rebalance), its coordinator is away or the broker is: the batch is read
# again, and no record is to blame. Any other failure counts against the record.
GROUP_ERRORS = frozenset(
    {
        KafkaError.REBALANCE_IN_PROGRESS,
        KafkaError.ILLEGAL_GENERATION,
        KafkaError.UNKNOWN_MEMBER_ID,
        KafkaError.FENCED_INSTANCE_ID,
        KafkaError.NOT_COORDINATOR,
        KafkaError.COORDINATOR_NOT_AVAILABLE,
        KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
        KafkaError.CONCURRENT_TRANSACTIONS,
        KafkaError._TRANSPORT,
        KafkaError._ALL_BROKERS_DOWN,
    }
)


def _tenants(batch: list[Message]) -> set[str]:
    """The tenants whose commands topics `batch` came from."""
    return {tenant_of(m.topic() or "") or "" for m in batch}


def _group_moved(exc: KafkaException) -> bool:
    """True when the batch should simply be read again: the group, not a record, failed."""
    error = exc.args[0] if exc.args else None
    if not isinstance(error, KafkaError) or error.fatal():
        return False
    return error.code() in GROUP_ERRORS


def _abort(producer: Producer, cause: BaseException) -> None:
    """Abort the open transaction; a producer that cannot abort cannot go on (fatal)."""
    try:
        producer.abort_transaction(30)
    except KafkaException as exc:
        raise exc from cause


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
