"""Playing the outside world against the real broker: `raas simulate`, `raas authentic`, and the
Dimona rights on raas.admin.tenants. Each test reads only what was written after it began."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from confluent_kafka import TopicPartition

from raas import codec
from raas.clients import make_consumer
from raas.config import Settings
from raas.domain.dimona import DimonaKind
from raas.domain.persons import PersonIdentity
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant, read_tenants
from raas.simulator.persons import simulated_persons
from raas.topics import (
    ADMIN_TENANTS,
    AUTHENTIC_PERSONS,
    AUTHENTIC_REPLACEMENTS,
    DIMONA_DECLARATIONS,
)
from tests.integration.cli import raas
from tests.integration.numbers import new_insz, new_kbo

pytestmark = pytest.mark.integration

Offsets = dict[int, int]


def ends(settings: Settings, topic: str) -> Offsets:
    """Each partition's next offset: where records written from now on begin."""
    consumer = make_consumer(settings)
    try:
        partitions = consumer.list_topics(topic, timeout=30).topics[topic].partitions
        return {
            p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=30)[1]
            for p in partitions
        }
    finally:
        consumer.close()


def written_since(settings: Settings, topic: str, starts: Offsets) -> list[tuple[str, bytes]]:
    """(key, value) of every record between `starts` and the partitions' ends now."""
    stops = {p: end for p, end in ends(settings, topic).items() if end > starts.get(p, 0)}
    consumer = make_consumer(settings)
    found: list[tuple[str, bytes]] = []
    try:
        consumer.assign([TopicPartition(topic, p, starts.get(p, 0)) for p in stops])
        while stops:
            message = consumer.poll(30)
            assert message is not None, f"records of {topic} missing up to {stops}"
            assert message.error() is None, message.error()
            found.append((codec.decode_key(message.key()) or "", message.value() or b""))
            partition, offset = message.partition() or 0, message.offset() or 0
            if offset + 1 >= stops.get(partition, 0):
                stops.pop(partition, None)
    finally:
        consumer.close()
    return found


def decoded(records: list[tuple[str, bytes]], record: Any) -> list[tuple[str, Any]]:
    return [(key, codec.decode(value, record)) for key, value in records]


def test_simulate_persons_publishes_each_person_of_the_seed_keyed_by_insz(
    settings: Settings,
) -> None:
    starts = ends(settings, AUTHENTIC_PERSONS)

    done = raas("simulate", "persons", "50", "--seed", "1")

    assert done.returncode == 0, done.stderr
    published = decoded(written_since(settings, AUTHENTIC_PERSONS, starts), PersonIdentity)
    expected = list(itertools.islice(simulated_persons(1), 50))
    assert sorted(p.insz for _, p in published) == sorted(p.insz for p in expected)
    assert all(key == person.insz for key, person in published)
    by_insz = {p.insz: p for _, p in published}
    assert [by_insz[p.insz] for p in expected] == expected


def test_authentic_replace_publishes_one_replacement_keyed_by_the_old_insz(
    settings: Settings,
) -> None:
    old, new = new_insz(), new_insz()
    starts = ends(settings, AUTHENTIC_REPLACEMENTS)

    done = raas("authentic", "replace", "--old", old, "--new", new)

    assert done.returncode == 0, done.stderr
    published = decoded(
        written_since(settings, AUTHENTIC_REPLACEMENTS, starts), codec.INSZ_REPLACEMENT
    )
    assert [(key, r.old_insz, r.new_insz) for key, r in published] == [(old, old, new)]


def test_authentic_dimona_publishes_one_declaration_keyed_by_the_worker(
    settings: Settings,
) -> None:
    worker, employer = new_insz(), new_kbo()
    starts = ends(settings, DIMONA_DECLARATIONS)

    done = raas(
        "authentic", "dimona", "--insz", worker, "--type", "out", "--period-id", "42",
        "--employer", employer, "--worker-type", "FLX", "--joint-committee", "302",
        "--from", "2025-07-01", "--to", "2025-07-02",
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    published = decoded(
        written_since(settings, DIMONA_DECLARATIONS, starts), codec.DIMONA_DECLARATION
    )
    assert len(published) == 1
    key, declaration = published[0]
    assert key == worker
    assert (declaration.kind, declaration.period_id, declaration.employer) == (
        DimonaKind.OUT, "42", employer
    )  # fmt: skip
    assert (str(declaration.begin), str(declaration.end)) == ("2025-07-01", "2025-07-02")


def test_a_subscription_needs_an_authorisation_and_both_land_in_the_tenant_config(
    settings: Settings,
) -> None:
    kbo = new_kbo()
    add_tenant(settings, kbo, "Dimona fund", [DossierType(1, "member")])

    refused = raas("tenant", "subscribe", kbo, "dimona")
    assert refused.returncode == 1, refused.stderr
    assert "no Dimona authorisation" in refused.stderr
    assert not read_tenants(settings)[kbo].dimona_subscribed

    assert raas("tenant", "authorize", kbo, "dimona", "--reference", "DEL-24-001").returncode == 0
    assert read_tenants(settings)[kbo].dimona_authorized
    assert read_tenants(settings)[kbo].dimona_reference == "DEL-24-001"
    assert raas("tenant", "subscribe", kbo, "dimona").returncode == 0
    assert read_tenants(settings)[kbo].receives_dimona
    listed = raas("tenant", "list")
    assert "DEL-24-001" in listed.stdout, listed.stdout


def test_a_new_authorisation_reference_is_stored_and_the_subscription_stays(
    settings: Settings,
) -> None:
    kbo = new_kbo()
    add_tenant(settings, kbo, "Renewed", [DossierType(1, "member")])
    assert raas("tenant", "authorize", kbo, "dimona", "--reference", "DEL-24-001").returncode == 0
    assert raas("tenant", "subscribe", kbo, "dimona").returncode == 0

    renewed = raas("tenant", "authorize", kbo, "dimona", "--reference", "DEL-26-117")

    assert renewed.returncode == 0, renewed.stderr
    assert "DEL-26-117" in renewed.stdout and "DEL-24-001" in renewed.stdout
    config = read_tenants(settings)[kbo]
    assert config.dimona_reference == "DEL-26-117" and config.receives_dimona


def test_authorising_twice_writes_nothing_the_second_time(settings: Settings) -> None:
    kbo = new_kbo()
    add_tenant(settings, kbo, "Twice", [DossierType(1, "member")])
    assert raas("tenant", "authorize", kbo, "dimona", "--reference", "R-1").returncode == 0
    starts = ends(settings, ADMIN_TENANTS)

    again = raas("tenant", "authorize", kbo, "dimona", "--reference", "R-1")

    assert again.returncode == 0, again.stderr
    assert "already authorised" in again.stdout
    assert [key for key, _ in written_since(settings, ADMIN_TENANTS, starts)] == []


def test_a_tenant_that_does_not_exist_cannot_be_authorised(settings: Settings) -> None:
    done = raas("tenant", "authorize", new_kbo(), "dimona", "--reference", "R")
    assert done.returncode == 1
    assert "add it first" in done.stderr
