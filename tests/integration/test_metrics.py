"""Prometheus metrics, scraped from the real endpoint of a real worker after a few commands."""

from __future__ import annotations

import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from confluent_kafka import Producer
from prometheus_client.parser import text_string_to_metric_families

from raas.config import Settings
from raas.domain.commands import Consult, Register
from raas.domain.periods import Period
from raas.domain.results import Status
from raas.sources import person, publish_persons
from raas.topics import tenant_topic
from tests.integration.numbers import new_insz
from tests.integration.ports import free_port
from tests.integration.workers import Worker, send, wait_until_known

pytestmark = pytest.mark.integration

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture(scope="module")
def worker_settings(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """This module's worker serves its metrics on a free port (conftest's fixture, overridden),
    and its ingress pauses a tenant's partition after 2 s without a command."""
    app_id = f"raas-it-metrics-{uuid.uuid4().hex[:8]}"
    return replace(
        settings,
        app_id=app_id,
        var_dir=tmp_path_factory.mktemp("var"),
        metrics_port=free_port(),
        ingress_quiet_after=2.0,
    )


@pytest.fixture(scope="module")
def known_insz(worker: Worker, worker_settings: Settings, probe_tenant: str) -> str:
    """A person the worker holds, so a Register of theirs is answered OK."""
    number = new_insz()
    publish_persons(worker_settings, [person(number, "Metrics", "Mia")])
    wait_until_known(worker_settings, probe_tenant, [number], [worker])
    return number


def scrape(settings: Settings) -> Samples:
    url = f"http://127.0.0.1:{settings.metrics_port}/metrics"
    with urllib.request.urlopen(url, timeout=10) as response:
        text = response.read().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def scrape_until(settings: Settings, seen: Callable[[Samples], bool], what: str) -> Samples:
    """Scrape until `seen` holds: gauges are sampled every few seconds, dead letters come late."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        samples = scrape(settings)
        if seen(samples):
            return samples
        time.sleep(0.5)
    raise AssertionError(f"{what} not in the metrics within 60 s: {samples}")


def answers(samples: Samples) -> float:
    return sum(v for (name, _), v in samples.items() if name == "raas_commands_total")


def scrape_when_quiet(settings: Settings, quiet: float = 3.0, timeout: float = 300) -> Samples:
    """Scrape once the worker has answered nothing for `quiet` seconds.

    A new app id's ingress first reads the commands of every tenant still on the broker (each
    module deletes its own tenants' topics when it ends, but a developer's broker may hold
    thousands), and the probes of the fixtures may be answered late: counts taken while those
    arrive would include them (a fresh-clone CI run saw 5 consults for 3).
    """
    deadline = time.monotonic() + timeout
    last = scrape(settings)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        samples = scrape(settings)
        if answers(samples) == answers(last):
            return samples
        last = samples
    raise AssertionError(f"the worker kept answering for {timeout} s: {answers(last)} answers")


def test_the_worker_counts_commands_by_kind_and_status_and_times_each_answer(
    worker: Worker, worker_settings: Settings, probe_tenant: str, known_insz: str
) -> None:
    before = scrape_when_quiet(worker_settings)
    for _ in range(3):
        send(worker_settings, probe_tenant, Consult(str(uuid.uuid4()), "m", new_insz()))
    period = Period(date(2025, 1, 1), None)
    ok = send(
        worker_settings, probe_tenant, Register(str(uuid.uuid4()), "m", known_insz, 1, period)
    )
    assert ok.status is Status.OK, ok
    after = scrape(worker_settings)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    def answered(kind: str) -> float:
        return sum(grew("raas_commands_total", kind=kind, status=s.value) for s in Status)

    assert answered("Consult") == 3
    assert grew("raas_commands_total", kind="Register", status="OK") == 1
    assert grew("raas_command_latency_seconds_count") == 4


def test_the_worker_counts_a_dead_letter_by_reason(
    worker: Worker, worker_settings: Settings, probe_tenant: str
) -> None:
    before = value(scrape(worker_settings), "raas_dead_letters_total", reason="BAD_MAGIC")
    producer = Producer({"bootstrap.servers": worker_settings.bootstrap_servers})
    producer.produce(tenant_topic(probe_tenant, "commands"), key=b"k", value=b"not avro")
    assert producer.flush(30) == 0
    scrape_until(
        worker_settings,
        lambda s: value(s, "raas_dead_letters_total", reason="BAD_MAGIC") == before + 1,
        "one more BAD_MAGIC dead letter",
    )


def test_the_worker_shows_its_lag_per_partition_and_its_table_sizes(
    worker: Worker, worker_settings: Settings, probe_tenant: str, known_insz: str
) -> None:
    period = Period(date(2024, 1, 1), date(2024, 1, 31))
    ok = send(
        worker_settings, probe_tenant, Register(str(uuid.uuid4()), "m", known_insz, 1, period)
    )
    assert ok.status is Status.OK, ok
    commands = f"{worker_settings.app_id}-tenant-commands"
    samples = scrape_until(
        worker_settings,
        lambda s: (
            value(s, "raas_table_keys", table="register") >= 1
            and any(n == "raas_consumer_lag" and dict(ls)["topic"] == commands for n, ls in s)
        ),
        "the register table's size and the commands topic's lag",
    )
    lags = [v for (n, ls), v in samples.items() if n == "raas_consumer_lag"]
    assert all(lag >= 0 for lag in lags)
    assert ("raas_table_keys", (("table", "persons"),)) in samples


def test_the_worker_shows_the_quiet_partitions_it_paused_and_still_answers_them(
    worker: Worker, worker_settings: Settings, probe_tenant: str, known_insz: str
) -> None:
    scrape_until(
        worker_settings,
        lambda s: value(s, "raas_ingress_paused_partitions") >= 1,
        "a paused quiet partition",
    )
    consult = Consult(str(uuid.uuid4()), "m", known_insz)
    assert send(worker_settings, probe_tenant, consult).status is Status.OK
