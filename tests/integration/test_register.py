"""The register pipeline on the real broker, with a real worker process."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime

import pytest
from confluent_kafka import TopicPartition

from raas import codec
from raas.clients import ensure_topics, make_admin, make_consumer, make_producer
from raas.codec.envelopes import TenantCommand
from raas.config import Settings
from raas.domain import codes
from raas.domain.birthdates import BirthDate
from raas.domain.commands import Consult, Delete, Register
from raas.domain.periods import Period
from raas.domain.persons import IdentityClaim
from raas.domain.results import CommandResult, Status
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant, tenant_topics
from raas.sources import person, publish_persons
from raas.topics import DLQ, internal_commands_topic, tenant_topic
from tests.integration.numbers import new_insz, new_kbo
from tests.integration.workers import Worker, send, wait_until_known

pytestmark = pytest.mark.usefixtures("worker")


def _id() -> str:
    return str(uuid.uuid4())


def _spans(result: CommandResult) -> list[tuple[int, date, date | None]]:
    return [(ln.type_dossier, ln.period.begin, ln.period.end) for ln in result.lines]


def _codes(result: CommandResult) -> set[int]:
    return {d.code for d in result.details}


@pytest.fixture
def tenant(worker_settings: Settings) -> str:
    kbo = new_kbo()
    add_tenant(
        worker_settings,
        kbo,
        "Test OCMW",
        [DossierType(1, "examination"), DossierType(2, "integration income")],
    )
    return kbo


@pytest.fixture
def insz(worker_settings: Settings, probe_tenant: str, worker: Worker) -> str:
    """A person the worker holds: identities and commands come on two topics, so a command sent
    right after the publish can overtake the identity (INSZ_UNKNOWN on a loaded machine)."""
    number = new_insz()
    publish_persons(worker_settings, [person(number, "Van den Broeck", "Ann-Sofie")])
    wait_until_known(worker_settings, probe_tenant, [number], [worker])
    return number


def test_register_merge_split_and_consult(
    worker_settings: Settings, tenant: str, insz: str
) -> None:
    s = worker_settings
    first = send(
        s, tenant, Register(_id(), "r1", insz, 1, Period(date(2024, 1, 1), date(2024, 6, 30)))
    )
    assert first.status is Status.OK, first.details
    assert _spans(first) == [(1, date(2024, 1, 1), date(2024, 6, 30))]

    merged = send(
        s, tenant, Register(_id(), "r2", insz, 1, Period(date(2024, 6, 1), date(2024, 12, 31)))
    )
    assert merged.status is Status.OK
    assert _spans(merged) == [(1, date(2024, 1, 1), date(2024, 12, 31))]

    split = send(
        s, tenant, Delete(_id(), "d1", insz, 1, Period(date(2024, 3, 1), date(2024, 3, 31)))
    )
    assert split.status is Status.OK
    assert _spans(split) == [
        (1, date(2024, 1, 1), date(2024, 2, 29)),
        (1, date(2024, 4, 1), date(2024, 12, 31)),
    ]

    open_ended = send(s, tenant, Register(_id(), "r3", insz, 2, Period(date(2025, 1, 1), None)))
    assert _spans(open_ended) == [(2, date(2025, 1, 1), None)]

    consulted = send(s, tenant, Consult(_id(), "c1", insz))
    assert consulted.status is Status.OK
    assert consulted.reference == "c1"
    assert _spans(consulted) == [
        (1, date(2024, 1, 1), date(2024, 2, 29)),
        (1, date(2024, 4, 1), date(2024, 12, 31)),
        (2, date(2025, 1, 1), None),
    ]
    only_march_to_may = send(
        s, tenant, Consult(_id(), None, insz, 1, Period(date(2024, 3, 1), date(2024, 5, 1)))
    )
    assert _spans(only_march_to_may) == [(1, date(2024, 4, 1), date(2024, 12, 31))]


def test_identity_data_is_matched_against_the_source(
    worker_settings: Settings, tenant: str, insz: str
) -> None:
    period = Period(date(2024, 1, 1), None)
    ok = send(
        worker_settings,
        tenant,
        Register(
            _id(), None, insz, 1, period, IdentityClaim("VAN DEN BROECK", "ann sofie", None, None)
        ),
    )
    assert ok.status is Status.OK, ok.details
    wrong = send(
        worker_settings,
        tenant,
        Register(
            _id(),
            None,
            insz,
            1,
            period,
            IdentityClaim("Peeters", None, BirthDate(1901, 1, 1), None),
        ),
    )
    assert wrong.status is Status.ERROR
    assert {codes.LAST_NAME_MISMATCH.code, codes.BIRTH_DATE_MISMATCH.code} <= _codes(wrong)


def test_each_error_case_gets_its_code(worker_settings: Settings, tenant: str, insz: str) -> None:
    s, period = worker_settings, Period(date(2024, 1, 1), date(2024, 1, 31))
    cases = {
        codes.INSZ_INVALID.code: Register(_id(), None, "85073003327", 1, period),
        codes.INSZ_UNKNOWN.code: Register(_id(), None, new_insz(), 1, period),
        codes.TYPE_DOSSIER_UNKNOWN.code: Register(_id(), None, insz, 99, period),
        codes.PERIOD_INVALID.code: Register(
            _id(), None, insz, 1, Period(date(2024, 2, 1), date(2024, 1, 1))
        ),
    }
    for code, command in cases.items():
        result = send(s, tenant, command)
        assert result.status is Status.ERROR
        assert code in _codes(result), (code, result.details)
        assert result.lines == ()
    nothing = send(s, tenant, Delete(_id(), None, insz, 1, period))
    assert nothing.status is Status.WARNING
    assert codes.NOTHING_TO_DELETE.code in _codes(nothing)


def test_an_unknown_tenant_gets_an_error(worker_settings: Settings, insz: str) -> None:
    stranger = new_kbo()  # its topics exist, but it was never added
    ensure_topics(make_admin(worker_settings), tenant_topics(stranger), partitions=2)
    result = send(worker_settings, stranger, Consult(_id(), None, insz), timeout=90)
    assert result.status is Status.ERROR
    assert codes.TENANT_UNKNOWN.code in _codes(result)


def test_a_command_sent_twice_is_applied_once(
    worker_settings: Settings, tenant: str, insz: str
) -> None:
    s = worker_settings
    again = Register(_id(), "twice", insz, 1, Period(date(2024, 1, 1), date(2024, 12, 31)))
    first = send(s, tenant, again)
    send(s, tenant, Delete(_id(), None, insz, 1))  # everything goes
    second = send(s, tenant, again)
    assert second == first  # the stored result, same ticket and event id
    assert send(s, tenant, Consult(_id(), None, insz)).lines == ()  # not registered again


def test_a_command_in_an_aborted_transaction_is_never_applied(
    worker_settings: Settings, tenant: str, insz: str
) -> None:
    """The ingress forwards in transactions and aborts one when its group moves on, then forwards
    the batch again: the worker must read only committed records, or it applies and answers the
    aborted copy too (the rolling restart's doubled answers)."""
    s = worker_settings
    producer = make_producer(s, **{"transactional.id": f"it-aborted-{_id()}"})
    producer.init_transactions(30)
    producer.begin_transaction()
    aborted = Register(_id(), "aborted", insz, 1, Period(date(2024, 1, 1), date(2024, 1, 31)))
    envelope = TenantCommand.of(tenant, aborted, datetime.now(UTC))
    producer.produce(
        internal_commands_topic(s.app_id), key=insz.encode(), value=codec.encode(envelope)
    )
    producer.flush(30)
    producer.abort_transaction(30)
    # Same INSZ, same internal partition, a later offset: once it is answered, the worker has
    # read past the aborted record.
    consulted = send(s, tenant, Consult(_id(), None, insz))
    assert consulted.status is Status.OK, consulted.details
    assert _spans(consulted) == []


def test_a_tenant_never_sees_another_tenants_lines(
    worker_settings: Settings, tenant: str, insz: str
) -> None:
    other = new_kbo()
    add_tenant(worker_settings, other, "Other fund", [DossierType(1, "member")])
    send(worker_settings, tenant, Register(_id(), None, insz, 1, Period(date(2024, 1, 1), None)))
    theirs = send(worker_settings, other, Consult(_id(), None, insz))
    assert theirs.lines == ()
    assert codes.NO_LINES_FOUND.code in _codes(theirs)
    mine = send(worker_settings, tenant, Consult(_id(), None, insz))
    assert [ln.tenant for ln in mine.lines] == [tenant]


def test_undecodable_bytes_go_to_the_dead_letter_topic(
    worker_settings: Settings, tenant: str, worker: Worker
) -> None:
    s = worker_settings
    consumer = make_consumer(s, group_id=f"it-dlq-{_id()}")
    partitions = consumer.list_topics(DLQ, timeout=10).topics[DLQ].partitions
    consumer.assign(
        [
            TopicPartition(
                DLQ, p, consumer.get_watermark_offsets(TopicPartition(DLQ, p), timeout=10)[1]
            )
            for p in partitions
        ]
    )
    producer = make_producer(s)
    topic = tenant_topic(tenant, "commands")
    producer.produce(topic, key=b"garbage", value=b"\x07not avro at all")
    producer.flush(10)
    letters = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not letters:
        msg = consumer.poll(0.5)
        if msg is not None and msg.error() is None and msg.key() == b"garbage":
            letters.append(codec.decode(msg.value(), codec.DEAD_LETTER))
    consumer.close()
    assert letters, f"no dead letter within 60 s\n{worker.log_tail()}"
    assert letters[0].topic == topic
    assert letters[0].value == b"\x07not avro at all"
    assert letters[0].reason == "BAD_MAGIC"
    # and the worker carries on
    assert send(s, tenant, Consult(_id(), None, new_insz())).status is Status.ERROR
