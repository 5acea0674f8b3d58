"""Crashes and rebalances lose nothing and apply nothing twice: real workers, real broker.

Each test streams a few hundred Register and Delete commands, interrupts the worker mid-stream,
and then checks that every command got its answer, that repeated answers are identical copies,
and that the register holds exactly the lines a model of the commands predicts.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from raas import codec
from raas.clients import end_offset, make_consumer, make_producer
from raas.config import Settings
from raas.domain.commands import Command, Consult, Delete, Register
from raas.domain.periods import Period, cut_out, merge_into
from raas.domain.results import CommandResult, Status
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant
from raas.sources import person, publish_persons
from raas.tenant_client import command_key
from raas.topics import tenant_topic
from tests.integration.numbers import new_insz, new_kbo
from tests.integration.trace import trace
from tests.integration.workers import (
    Worker,
    send,
    wait_for_members,
    wait_until_answering,
    wait_until_known,
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
COMMANDS = 400
PERSONS = 25

Model = dict[tuple[str, int], tuple[Period, ...]]


def _commands(persons: list[str], seed: int) -> tuple[list[Command], Model]:
    """Registers and deletes on a few persons, and the periods they must leave behind."""
    rng = random.Random(seed)
    model: Model = {}
    commands: list[Command] = []
    for n in range(COMMANDS):
        insz, kind = rng.choice(persons), rng.choice((1, 2))
        begin = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 700))
        period = Period(begin, begin + timedelta(days=rng.randrange(0, 90)))
        current = model.get((insz, kind), ())
        if n % 5 == 4:
            commands.append(Delete(str(uuid.uuid4()), f"d{n}", insz, kind, period))
            model[(insz, kind)] = cut_out(current, period)
        else:
            commands.append(Register(str(uuid.uuid4()), f"r{n}", insz, kind, period))
            model[(insz, kind)] = merge_into(current, period)
    return commands, model


def _stream(
    settings: Settings, tenant: str, commands: list[Command], interrupt: Callable[[], None]
) -> dict[str, list[CommandResult]]:
    """Send every command at once; call `interrupt` after a quarter of the answers; collect all."""
    results_topic = tenant_topic(tenant, "results")
    consumer = make_consumer(settings, group_id="unused", **{"enable.partition.eof": False})
    partitions = consumer.list_topics(results_topic, timeout=10).topics[results_topic].partitions
    consumer.assign([end_offset(consumer, results_topic, p) for p in partitions])
    producer = make_producer(settings)
    for command in commands:
        producer.produce(
            tenant_topic(tenant, "commands"), key=command_key(command), value=codec.encode(command)
        )
    assert producer.flush(30) == 0
    answers: dict[str, list[CommandResult]] = {}
    interrupted = False
    deadline = time.monotonic() + 300
    try:
        wanted = {c.request_id for c in commands}  # not a late answer to a readiness probe
        while len(answers) < len(wanted) and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None or msg.error() is not None:
                continue
            result = codec.decode(msg.value(), codec.COMMAND_RESULT)
            if result.request_id in wanted:
                answers.setdefault(result.request_id, []).append(result)
            if not interrupted and len(answers) >= len(commands) // 4:
                interrupt()
                interrupted = True
    finally:
        consumer.close()
    assert interrupted, "the stream ended before the interruption"
    return answers


def _assert_nothing_lost_or_doubled(
    settings: Settings,
    tenant: str,
    commands: list[Command],
    model: Model,
    answers: dict[str, list[CommandResult]],
) -> None:
    refused = [(r[0].insz, r[0].details) for r in answers.values() if r[0].status is Status.ERROR]
    assert not refused, f"{len(refused)} commands refused, e.g. {refused[:2]}"
    missing = [c.request_id for c in commands if c.request_id not in answers]
    assert not missing, (
        f"{len(missing)} of {len(commands)} commands got no answer\n{trace(settings, missing)}"
    )
    for request_id, copies in answers.items():
        # A copy sent again after the crash has the same event id and says the same; only the
        # time it was written may differ.
        first = replace(copies[0], timestamp=EPOCH)
        assert all(replace(c, timestamp=EPOCH) == first for c in copies), request_id
    for insz in sorted({insz for insz, _ in model}):
        lines = send(settings, tenant, Consult(str(uuid.uuid4()), None, insz)).lines
        for kind in (1, 2):
            got = tuple(ln.period for ln in lines if ln.type_dossier == kind)
            assert got == model.get((insz, kind), ()), (insz, kind)


@pytest.fixture
def tenant_and_persons(worker_settings: Settings) -> tuple[str, list[str]]:
    tenant = new_kbo()
    add_tenant(worker_settings, tenant, "Recovery", [DossierType(1, "a"), DossierType(2, "b")])
    persons = [new_insz() for _ in range(PERSONS)]
    publish_persons(worker_settings, [person(p, "Claes", "Eva") for p in persons])
    return tenant, persons


def _worker(settings: Settings, tmp: Path, name: str) -> Worker:
    return Worker(replace(settings, var_dir=tmp / name), name).start()


@pytest.mark.timeout(900)
def test_a_killed_worker_rebuilds_from_the_changelog_and_loses_nothing(
    worker_settings: Settings, tenant_and_persons: tuple[str, list[str]], tmp_path: Path
) -> None:
    tenant, persons = tenant_and_persons
    commands, model = _commands(persons, seed=1)
    first = _worker(worker_settings, tmp_path, "crashing")
    second = Worker(replace(worker_settings, var_dir=tmp_path / "fresh"), "fresh")
    try:
        wait_until_answering(worker_settings, tenant, persons[0], [first])
        wait_until_known(worker_settings, tenant, persons, [first])

        def crash() -> None:
            first.kill()  # kill -9: no flush, no commit, no goodbye
            second.start()  # an empty state folder: every table comes back from the changelog

        answers = _stream(worker_settings, tenant, commands, crash)
        _assert_nothing_lost_or_doubled(worker_settings, tenant, commands, model, answers)
        assert (
            "Restore complete" in second.log.read_text() or "Worker ready" in second.log.read_text()
        )
    finally:
        first.stop()
        second.stop()


@pytest.mark.timeout(900)
def test_two_workers_share_the_partitions_and_a_rebalance_loses_nothing(
    worker_settings: Settings, tenant_and_persons: tuple[str, list[str]], tmp_path: Path
) -> None:
    tenant, persons = tenant_and_persons
    commands, model = _commands(persons, seed=2)
    one = _worker(worker_settings, tmp_path, "one")
    two = _worker(worker_settings, tmp_path, "two")
    try:
        wait_until_answering(worker_settings, tenant, persons[0], [one, two])
        wait_until_known(worker_settings, tenant, persons, [one, two])
        members = wait_for_members(worker_settings, worker_settings.app_id, 2)
        assert all(m.assignment.topic_partitions for m in members), "a worker holds nothing"

        answers = _stream(worker_settings, tenant, commands, two.stop)  # a rebalance mid-stream
        _assert_nothing_lost_or_doubled(worker_settings, tenant, commands, model, answers)
    finally:
        one.stop()
        two.stop()
