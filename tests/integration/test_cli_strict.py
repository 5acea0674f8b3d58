"""Issue 9, items 4, 5 and 6, through the real `raas` command against the real broker and worker.

Topics are created here by hand with the admin client: the broker is meant to run with
`auto.create.topics.enable=false`, so no test relies on a topic appearing on first use.
Each test ends by showing that the worker still answers another tenant.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import pytest
from confluent_kafka import TopicPartition

from raas import codec
from raas.clients import ensure_topics, make_admin, make_consumer, make_producer
from raas.codec import encode, encode_key
from raas.config import Settings
from raas.domain.codes import TENANT_UNKNOWN
from raas.domain.commands import Consult
from raas.domain.notifications import IdentityChanged
from raas.domain.persons import FieldChange
from raas.domain.results import Status
from raas.onboarding import tenant_topics
from raas.sources import person, publish_persons
from raas.tenant_client import listening, send_command
from raas.topics import tenant_topic
from tests.integration.cli import against, raas
from tests.integration.numbers import new_insz, new_kbo
from tests.integration.tenants import new_tenant
from tests.integration.workers import Worker, wait_until_known

pytestmark = pytest.mark.usefixtures("worker")


def register_args(
    tenant: str, insz: str, given: dict[str, str | bytes] | None = None
) -> list[str | bytes]:
    """`raas register` with a valid line, save the options `given`."""
    values: dict[str, str | bytes] = {
        "--tenant": tenant,
        "--insz": insz,
        "--type": "1",
        "--from": "2025-01-01",
        **(given or {}),
    }
    return ["register", *(part for pair in values.items() for part in pair)]


def existing(settings: Settings, topics: list[str]) -> set[str]:
    return set(make_admin(settings).list_topics(timeout=30).topics) & set(topics)


def records_in(settings: Settings, topic: str) -> int:
    consumer = make_consumer(settings)
    try:
        partitions = consumer.list_topics(topic, timeout=30).topics[topic].partitions
        return sum(
            consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=30)[1]
            for p in partitions
        )
    finally:
        consumer.close()


@pytest.fixture(scope="module")
def known_person(worker_settings: Settings, probe_tenant: str, worker: Worker) -> str:
    """A person the worker holds, so the probe tenant can register a line on it."""
    insz = new_insz()
    publish_persons(worker_settings, [person(insz, "Peeters", "Jan")])
    wait_until_known(worker_settings, probe_tenant, [insz], [worker])
    return insz


def assert_serves_another_tenant(settings: Settings, tenant: str, insz: str) -> None:
    done = raas(*register_args(tenant, insz, {"--timeout": "120"}), "--json", env=against(settings))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "OK"


def assert_refused_as_usage(done: subprocess.CompletedProcess[str], option: str) -> None:
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert done.returncode == 2, done.stderr
    assert len(errors) == 1 and option in errors[0], done.stderr
    assert "Traceback" not in done.stderr


def test_a_tenant_without_topics_is_told_at_once_to_run_tenant_add_and_no_topic_appears(
    worker_settings: Settings, probe_tenant: str, known_person: str
) -> None:
    stranger = new_kbo()
    done = raas(
        *register_args(stranger, new_insz(), {"--timeout": "120"}), env=against(worker_settings)
    )
    assert done.returncode == 1, done.stderr
    assert "not onboarded" in done.stderr
    assert f"raas tenant add {stranger}" in done.stderr
    assert existing(worker_settings, tenant_topics(stranger)) == set()
    assert_serves_another_tenant(worker_settings, probe_tenant, known_person)


def test_a_tenant_never_added_gets_error_302_from_the_cli_instead_of_a_timeout(
    worker_settings: Settings, probe_tenant: str, known_person: str
) -> None:
    stranger = new_kbo()  # its topics made by hand, but never added
    ensure_topics(make_admin(worker_settings), tenant_topics(stranger), partitions=2)
    args = register_args(stranger, known_person, {"--timeout": "120"})
    done = raas(*args, "--json", env=against(worker_settings))
    assert done.returncode == 1, done.stderr
    answer = json.loads(done.stdout)
    assert answer["status"] == "ERROR"
    assert TENANT_UNKNOWN.code in [d["code"] for d in answer["details"]]
    assert_serves_another_tenant(worker_settings, probe_tenant, known_person)


def test_a_listener_started_before_the_results_topic_existed_still_sees_the_answer(
    worker_settings: Settings, probe_tenant: str, known_person: str
) -> None:
    stranger = new_kbo()
    admin = make_admin(worker_settings)
    ensure_topics(admin, [tenant_topic(stranger, "commands")], partitions=2)
    command = Consult(str(uuid.uuid4()), "late topic", known_person)
    with listening(worker_settings, stranger) as results:
        assert results.assigned == set()  # nothing to listen to yet
        ensure_topics(admin, [tenant_topic(stranger, "results")], partitions=2)
        send_command(worker_settings, stranger, command)
        value = results.wait_for(command.request_id.encode(), timeout=120)
    assert value is not None, "the answer on the late results topic was never seen"
    answer = codec.decode(value, codec.COMMAND_RESULT)
    assert answer.status is Status.ERROR
    assert TENANT_UNKNOWN.code in [d.code for d in answer.details]
    assert_serves_another_tenant(worker_settings, probe_tenant, known_person)


def test_tail_started_before_its_topic_exists_prints_its_records_once_it_appears(
    settings: Settings,
) -> None:
    kbo = new_kbo()
    topic = tenant_topic(kbo, "notifications")
    tail = subprocess.Popen(
        [sys.executable, "-m", "raas.cli", "tail", topic, "--timeout", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "RAAS_BOOTSTRAP_SERVERS": settings.bootstrap_servers},
    )
    try:
        assert tail.stderr is not None and tail.stdout is not None
        assert "does not exist yet" in tail.stderr.readline()  # it looked, and found no topic
        ensure_topics(make_admin(settings), [topic], partitions=2)
        insz = new_insz()
        at = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)
        change = IdentityChanged(kbo, insz, (FieldChange("sex", "M", "F"),), "e1", at)
        producer = make_producer(settings)
        producer.produce(topic, key=encode_key(insz), value=encode(change))
        assert producer.flush(30) == 0
        line = tail.stdout.readline()  # "" when tail gave up after 60 s without a record
        assert json.loads(line)["body"]["IdentityChanged"]["insz"] == insz
    finally:
        tail.terminate()
        tail.wait(timeout=30)


@pytest.fixture
def fresh_tenant(worker_settings: Settings) -> str:
    return new_tenant(worker_settings, "strict CLI")  # + topics


@pytest.mark.parametrize("timeout", ["0", "nan", "inf", "-5"])
def test_a_timeout_not_above_zero_or_not_finite_is_a_usage_error_and_nothing_is_sent(
    worker_settings: Settings, fresh_tenant: str, probe_tenant: str, known_person: str, timeout: str
) -> None:
    args = register_args(fresh_tenant, known_person, {"--timeout": timeout})
    assert_refused_as_usage(raas(*args, env=against(worker_settings)), "--timeout")
    assert records_in(worker_settings, tenant_topic(fresh_tenant, "commands")) == 0
    assert_serves_another_tenant(worker_settings, probe_tenant, known_person)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--type", "9223372036854775808"),
        ("--type", "2147483648"),
        ("--last-name", b"Dupont\xed\xa0\x80"),  # a lone surrogate, as the shell passes it
    ],
)
def test_a_value_outside_its_avro_type_is_a_usage_error_and_nothing_is_sent(
    worker_settings: Settings,
    fresh_tenant: str,
    probe_tenant: str,
    known_person: str,
    option: str,
    value: str | bytes,
) -> None:
    args = register_args(fresh_tenant, known_person, {option: value})
    assert_refused_as_usage(raas(*args, env=against(worker_settings)), option)
    assert records_in(worker_settings, tenant_topic(fresh_tenant, "commands")) == 0
    assert_serves_another_tenant(worker_settings, probe_tenant, known_person)
