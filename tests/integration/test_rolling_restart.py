"""A rolling restart of two workers under a steady load loses and doubles nothing (issue 14).

Two real workers share the partitions while a paced producer writes Register and Delete commands
for three tenants. Worker one gets SIGTERM, exits, and is started again once it has left; when the
group is whole again and answers flow, worker two gets the same. The load runs throughout. At the
end every command has exactly one result (by request id) and each tenant's lines are what a model
of its commands predicts.

`make test` runs one round at 25 commands/s (about 800 commands); `make chaos` runs three rounds
at 50 commands/s (a few thousand).
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
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
from raas.stopping import GRACE
from raas.tenant_client import command_key
from raas.topics import tenant_topic
from tests.integration.numbers import new_insz, new_kbo
from tests.integration.trace import trace
from tests.integration.workers import (
    Worker,
    log_tails,
    send,
    wait_for_members,
    wait_until_answering,
    wait_until_known,
)

pytestmark = pytest.mark.integration
TENANTS = 3
PERSONS = 12
PROGRESS = 100  # answers that show the load flows again after each step
LIMIT = 240.0  # seconds: a liveness bound on each wait, never a timing assertion

Model = dict[tuple[str, str, int], tuple[Period, ...]]  # (tenant, insz, kind) -> periods


def command(rng: random.Random, n: int, insz: str) -> Command:
    """The n-th command of the load: a Register, every fifth a Delete, on one of two kinds."""
    kind = rng.choice((1, 2))
    begin = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 700))
    period = Period(begin, begin + timedelta(days=rng.randrange(0, 90)))
    if n % 5 == 4:
        return Delete(str(uuid.uuid4()), f"d{n}", insz, kind, period)
    return Register(str(uuid.uuid4()), f"r{n}", insz, kind, period)


def model_of(sent: list[tuple[str, Command]]) -> Model:
    """The periods the sent commands leave behind, per tenant, person and kind."""
    model: Model = {}
    for tenant, c in sent:
        assert isinstance(c, Register | Delete) and c.period is not None
        where = (tenant, c.insz, c.type_dossier)
        rule = cut_out if isinstance(c, Delete) else merge_into
        model[where] = rule(model.get(where, ()), c.period)
    return model


@dataclass
class Load:
    """A paced producer of commands for `tenants` on `persons`, in a thread of its own."""

    settings: Settings
    tenants: list[str]
    persons: list[str]
    rate: float  # commands per second
    sent: list[tuple[str, Command]] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)
    failure: list[BaseException] = field(default_factory=list)

    def run(self) -> None:
        rng = random.Random(14)
        producer = make_producer(self.settings)
        started = time.monotonic()
        try:
            while not self.done.is_set():
                tenant, insz = rng.choice(self.tenants), rng.choice(self.persons)
                c = command(rng, len(self.sent), insz)
                producer.produce(
                    tenant_topic(tenant, "commands"), key=command_key(c), value=codec.encode(c)
                )
                producer.poll(0)
                self.sent.append((tenant, c))
                self.done.wait(max(0.0, started + len(self.sent) / self.rate - time.monotonic()))
            if producer.flush(30) != 0:
                raise RuntimeError("commands not delivered")
        except BaseException as exc:
            self.failure.append(exc)


@dataclass
class Answers:
    """Every result on the tenants' results topics from now on, by request id, in a thread."""

    settings: Settings
    tenants: list[str]
    by_request: dict[str, list[CommandResult]] = field(default_factory=dict)
    done: threading.Event = field(default_factory=threading.Event)
    ready: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        consumer = make_consumer(self.settings, group_id="unused")
        try:
            topics = [tenant_topic(t, "results") for t in self.tenants]
            metadata = consumer.list_topics(timeout=10).topics
            consumer.assign(
                [end_offset(consumer, t, p) for t in topics for p in metadata[t].partitions]
            )
            self.ready.set()
            while not self.done.is_set():
                msg = consumer.poll(0.5)
                if msg is not None and msg.error() is None:
                    result = codec.decode(msg.value(), codec.COMMAND_RESULT)
                    self.by_request.setdefault(result.request_id, []).append(result)
        finally:
            consumer.close()

    def wait_for(self, count: int, limit: float = LIMIT) -> str:
        """Until `count` distinct answers have come; how many came when the wait gave up (a
        liveness bound, not a timed assertion), "" when they all did."""
        deadline = time.monotonic() + limit
        while len(self.by_request) < count:
            if time.monotonic() > deadline:
                return f"{len(self.by_request)} of {count} answers"
            time.sleep(0.2)
        return ""


@pytest.fixture
def roll_settings(worker_settings: Settings) -> Settings:
    """A group of its own: no other module's worker takes part in this one's rebalances."""
    return replace(worker_settings, app_id=f"raas-it-roll-{uuid.uuid4().hex[:8]}")


class Threads:
    """Threads started by the test, each with the event that ends it."""

    def __init__(self) -> None:
        self.started: list[tuple[threading.Thread, threading.Event]] = []

    def start(self, part: Load | Answers) -> None:
        thread = threading.Thread(target=part.run, name=type(part).__name__)
        self.started.append((thread, part.done))
        thread.start()

    def end(self, part: Load | Answers) -> None:
        part.done.set()
        for thread, done in self.started:
            if done is part.done:
                thread.join(timeout=60)


@pytest.fixture
def threads() -> Iterator[Threads]:
    """The test's threads, each ended and joined afterwards, whatever happened."""
    made = Threads()
    yield made
    for thread, done in made.started:
        done.set()
        thread.join(timeout=60)


def restart(worker: Worker, settings: Settings, workers: list[Worker]) -> None:
    """SIGTERM, a clean exit, and the same worker (same state folder) started again."""
    assert worker.proc is not None
    os.killpg(worker.proc.pid, signal.SIGTERM)
    code = worker.proc.wait(timeout=GRACE + 30)
    assert code == 0, worker.log_tail()  # it finished its batch, committed and left
    worker.start()
    members = wait_for_members(settings, settings.app_id, 2, timeout=LIMIT)
    assert all(m.assignment.topic_partitions for m in members), log_tails(workers)


@pytest.mark.timeout(900)
def test_a_rolling_restart_of_two_workers_under_a_steady_load_loses_and_doubles_nothing(
    roll_settings: Settings, tmp_path: Path, threads: Threads
) -> None:
    roll(roll_settings, tmp_path, threads, rounds=1, rate=25.0)


@pytest.mark.chaos
@pytest.mark.timeout(2400)
def test_three_rolling_restarts_at_twice_the_load_lose_and_double_nothing(
    roll_settings: Settings, tmp_path: Path, threads: Threads
) -> None:
    roll(roll_settings, tmp_path, threads, rounds=3, rate=50.0)


def roll(settings: Settings, tmp_path: Path, threads: Threads, rounds: int, rate: float) -> None:
    """Start two workers and the load; restart each worker in turn, `rounds` times; check."""
    tenants = [new_kbo() for _ in range(TENANTS)]
    for tenant in tenants:
        add_tenant(settings, tenant, "Rolling", [DossierType(1, "a"), DossierType(2, "b")])
    persons = [new_insz() for _ in range(PERSONS)]
    publish_persons(settings, [person(p, "Claes", "Eva") for p in persons])
    workers = [
        Worker(replace(settings, var_dir=tmp_path / name), name).start() for name in ("one", "two")
    ]
    try:
        wait_until_answering(settings, tenants[0], persons[0], workers)
        wait_until_known(settings, tenants[0], persons, workers)
        wait_for_members(settings, settings.app_id, 2, timeout=LIMIT)
        answers, load = Answers(settings, tenants), Load(settings, tenants, persons, rate)
        threads.start(answers)
        assert answers.ready.wait(60), "the results topics were never assigned"
        threads.start(load)

        assert not answers.wait_for(PROGRESS), log_tails(workers)
        for worker in [w for _round in range(rounds) for w in workers]:
            restart(worker, settings, workers)
            short = answers.wait_for(len(load.sent))
            assert not short, f"after {worker.name}'s restart: {short}\n{log_tails(workers)}"
        threads.end(load)
        assert not load.failure, load.failure
        sent = load.sent
        wanted = {c.request_id for _tenant, c in sent}
        answers.wait_for(len(sent), LIMIT / 2)  # those that do not come are named below
        got = answers.by_request

        missing = wanted - set(got)
        assert not missing, f"{len(missing)} lost\n{trace(settings, sorted(missing))}"
        doubled = {r: len(got[r]) for r in wanted if len(got[r]) > 1}
        assert not doubled, (
            f"{len(doubled)} of {len(sent)} commands answered more than once\n"
            f"{trace(settings, sorted(doubled))}"
        )
        refused = [got[r][0] for r in wanted if got[r][0].status is Status.ERROR]
        assert not refused, f"{len(refused)} refused, e.g. {refused[:2]}"
        model = model_of(sent)
        for tenant in tenants:
            for insz in persons:
                lines = send(settings, tenant, Consult(str(uuid.uuid4()), None, insz)).lines
                for kind in (1, 2):
                    got_periods = tuple(ln.period for ln in lines if ln.type_dossier == kind)
                    assert got_periods == model.get((tenant, insz, kind), ()), (tenant, insz, kind)
    finally:
        for worker in workers:
            worker.stop()
