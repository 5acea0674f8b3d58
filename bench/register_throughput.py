"""Register pipeline throughput and latency, against a plain Python passthrough, in the same run.

    python bench/register_throughput.py                        # the figure: 200k commands
    python bench/register_throughput.py --commands 20000 --insz 5000 --output /tmp/rt.json

Two measurements on the broker at RAAS_BOOTSTRAP_SERVERS, each end to end, open loop (every
message is produced as fast as one confluent-kafka producer takes it, or at `--rate`):

1. **Passthrough** (the ceiling for one Python process here): a subprocess of this script consumes
   `<app>-passthrough-in` (same partition count as the register's topics) with confluent-kafka,
   produces every message unchanged (key and value) to `<app>-passthrough-out`, and commits after
   each batch like a normal consumer. The bench produces the *same encoded commands* to its input,
   keyed by request id so the output can be matched without decoding.
2. **Faust passthrough** (the ceiling for any Faust agent): the same, through one Faust agent
   with our app's settings (`streams.app.faust_app`, concurrency 1) that awaits `send` per
   message, as the register agent does. `--skip-faust-passthrough` leaves it out.
3. **Pipeline**: one `raas worker` subprocess with its own RAAS_APP_ID (`raas-bench-<timestamp>`)
   and RAAS_VAR_DIR (a temp dir). The bench adds `--tenants` fresh tenants, publishes `--insz`
   persons to `authentic.persons`, waits until the worker answers a probe and has loaded the
   persons, then produces the commands to `raas.tenant.<KBO>.commands` keyed by INSZ (what
   `raas.tenant_client` does, without waiting per command). A consumer assigned to every
   partition of the tenants' results topics notes when each request id's result arrives.

Throughput is results / (last result - first produce); latency is result arrival - produce call,
per request id. The CPU seconds of the subprocess, this process, the broker and the rest of the
machine during each timed phase are reported too, so other load on the machine is visible.
Results go to bench/results/register_throughput.json (`--output`). Topics, groups and tenants
made by the run are deleted at the end unless `--keep`; the persons stay on authentic.persons.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import confluent_kafka
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient  # type: ignore[attr-defined]
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from raas import codec
from raas.clients import ensure_topics, make_admin, make_consumer, make_producer
from raas.config import Settings
from raas.domain.commands import Command, Consult, Delete, Register
from raas.domain.insz import parse_insz
from raas.domain.periods import Period
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant, tenant_topics
from raas.sources import person, publish_persons
from raas.stack import kafka
from raas.tenant_client import end_offset, request
from raas.topics import (
    ADMIN_TENANTS,
    AUTHENTIC_PERSONS,
    internal_persons_topic,
    tenant_topic,
)

RESULTS = Path(__file__).parent / "results" / "register_throughput.json"
DOSSIER_TYPES = (DossierType(1, "bench one"), DossierType(2, "bench two"), DossierType(3, "three"))
GOAL = 0.25  # issue 5: the pipeline at >= 25% of the passthrough rate
console = Console(stderr=True)


# --- workload -------------------------------------------------------------------------------


def kbo_numbers(rng: random.Random, n: int) -> list[str]:
    """Valid, fresh KBO numbers (first digit 1), as tests/integration/numbers.py makes them."""
    out: set[str] = set()
    while len(out) < n:
        first8 = rng.randrange(10**7, 2 * 10**7)
        out.add(f"{first8:08d}{97 - first8 % 97:02d}")
    return sorted(out)


def insz_numbers(rng: random.Random, n: int) -> list[str]:
    """Distinct valid National Register numbers of people born in the 1900s."""
    out: dict[str, None] = {}
    while len(out) < n:
        yy, mm, dd = rng.randrange(100), rng.randrange(1, 13), rng.randrange(1, 29)
        first9 = int(f"{yy:02d}{mm:02d}{dd:02d}{rng.randrange(1, 998):03d}")
        out[f"{first9:09d}{97 - first9 % 97:02d}"] = None
    numbers = list(out)
    for number in numbers[:100]:  # the generator must agree with the domain's rules
        parse_insz(number)
    return numbers


def make_commands(
    rng: random.Random, run: str, n: int, tenants: list[str], numbers: list[str]
) -> list[tuple[str, Command]]:
    """(tenant, command): 80% Register, 10% Delete, 10% Consult, on random tenants and INSZs."""
    out: list[tuple[str, Command]] = []
    for i in range(n):
        tenant, insz, rid = rng.choice(tenants), rng.choice(numbers), f"{run}-{i:07d}"
        start = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 1800))
        period = Period(
            start, None if rng.random() < 0.2 else start + timedelta(rng.randrange(365))
        )
        kind, type_dossier = rng.random(), rng.choice(DOSSIER_TYPES).code
        command: Command
        if kind < 0.8:
            command = Register(rid, None, insz, type_dossier, period)
        elif kind < 0.9:
            command = Delete(rid, None, insz, type_dossier, period)
        else:
            command = Consult(rid, None, insz)
        out.append((tenant, command))
    return out


@dataclass
class Workload:
    """The encoded messages, in produce order; index i is request id rids[i]."""

    topics: list[str]
    keys: list[bytes]
    values: list[bytes]
    rids: list[bytes]
    kinds: Counter[str] = field(default_factory=Counter)


def encode_workload(commands: list[tuple[str, Command]]) -> Workload:
    w = Workload([], [], [], [])
    for tenant, command in commands:
        w.topics.append(tenant_topic(tenant, "commands"))
        w.keys.append(command.insz.encode())  # type: ignore[attr-defined]
        w.values.append(codec.encode(command))
        w.rids.append(command.request_id.encode())
        w.kinds[type(command).__name__] += 1
    return w


# --- measuring ------------------------------------------------------------------------------


class Collector(threading.Thread):
    """Reads the given partitions from their end offsets; notes each wanted key's first arrival."""

    def __init__(self, settings: Settings, topics: list[str], rids: list[bytes]) -> None:
        super().__init__(name="collector", daemon=True)
        self.index = {rid: i for i, rid in enumerate(rids)}
        self.arrived: list[float] = [0.0] * len(rids)
        self.values: list[bytes | None] = [None] * len(rids)
        self.count = 0
        self.duplicates = 0
        self.strangers = 0
        self.last = 0.0
        self._halt = threading.Event()
        self._consumer: Consumer = make_consumer(
            settings,
            group_id=f"{settings.app_id}-collector",
            **{"enable.partition.eof": False, "isolation.level": "read_uncommitted"},
        )
        assignment = []
        for topic in topics:
            metadata = self._consumer.list_topics(topic, timeout=30).topics[topic]
            assignment += [end_offset(self._consumer, topic, p) for p in metadata.partitions]
        self._consumer.assign(assignment)

    def run(self) -> None:
        consumer, index, arrived, values = self._consumer, self.index, self.arrived, self.values
        while not self._halt.is_set() and self.count < len(arrived):
            batch = consumer.consume(num_messages=1000, timeout=0.2)
            now = time.perf_counter()
            for msg in batch:
                if msg.error() is not None:
                    continue
                i = index.get(msg.key())
                if i is None:
                    self.strangers += 1  # a probe's, or a message of nobody we know
                elif arrived[i]:
                    self.duplicates += 1
                else:
                    arrived[i], values[i] = now, msg.value()
                    self.count += 1
                    self.last = now
        consumer.close()

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)


class CpuMeter:
    """CPU seconds of a few processes and of the whole machine, between start() and stop()."""

    def __init__(self, pids: dict[str, int | None]) -> None:
        self.pids = {k: v for k, v in pids.items() if v}
        self._start: dict[str, float] = {}

    @staticmethod
    def _proc(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return 0.0

    @staticmethod
    def _machine() -> float:
        try:
            values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
            return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")  # not idle
        except (OSError, ValueError):
            return 0.0

    def _sample(self) -> dict[str, float]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        sample = {name: self._proc(pid) for name, pid in self.pids.items()}
        sample["bench"] = usage.ru_utime + usage.ru_stime
        sample["machine_busy"] = self._machine()
        return sample

    def start(self) -> None:
        self._start = self._sample()

    def stop(self) -> dict[str, float]:
        end = self._sample()
        spent = {k: round(end[k] - self._start[k], 2) for k in end}
        known = sum(v for k, v in spent.items() if k != "machine_busy")
        spent["others"] = round(max(0.0, spent["machine_busy"] - known), 2)
        return spent


def produce_all(
    producer: Producer, w: Workload, keys: list[bytes], rate: float, progress: Progress, task: Any
) -> list[float]:
    """Produce every message without waiting for results; the perf_counter of each produce call."""
    sent = [0.0] * len(w.values)
    produce, topics, values = producer.produce, w.topics, w.values
    begin = time.perf_counter()
    for i in range(len(values)):
        if rate > 0:
            delay = begin + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        sent[i] = time.perf_counter()
        while True:
            try:
                produce(topics[i], key=keys[i], value=values[i])
                break
            except BufferError:  # the local queue is full: let librdkafka send some
                producer.poll(0.01)
        if i % 1000 == 999:
            producer.poll(0)
            progress.update(task, completed=i + 1)
    progress.update(task, completed=len(values))
    if producer.flush(120) != 0:
        raise RuntimeError("the broker did not acknowledge every message")
    return sent


def timed_run(
    settings: Settings,
    w: Workload,
    keys: list[bytes],
    result_topics: list[str],
    rate: float,
    label: str,
    meter: CpuMeter,
    idle_timeout: float,
    alive: Any,
    warm: Callable[[Producer], int],
) -> dict[str, Any]:
    """Produce `w` (with `keys`), wait for every result on `result_topics`; the figures.

    Before the clock starts, `warm` sends probes with the same producer (topic metadata, leader
    connections) and the collector must have seen their answers (its fetch is running).
    """
    collector = Collector(settings, result_topics, w.rids)
    collector.start()
    producer = make_producer(settings)
    wait_for(f"{label}: warming up", lambda: _warmed(producer, collector, warm), 180, alive)
    n = len(w.values)
    meter.start()
    with _progress() as progress:
        produced = progress.add_task(f"{label}: produce", total=n)
        answered = progress.add_task(f"{label}: results", total=n)
        sent: list[float] = []
        failed: list[BaseException] = []

        def send_all() -> None:
            try:
                sent.extend(produce_all(producer, w, keys, rate, progress, produced))
            except BaseException as exc:
                failed.append(exc)

        sender = threading.Thread(target=send_all, name="producer")
        sender.start()
        last_count, last_change = 0, time.monotonic()
        while collector.count < n and not failed:
            time.sleep(0.25)
            progress.update(answered, completed=collector.count)
            if collector.count != last_count:
                last_count, last_change = collector.count, time.monotonic()
            elif time.monotonic() - last_change > idle_timeout and not sender.is_alive():
                console.print(f"[red]{label}: no result for {idle_timeout:.0f} s, giving up")
                break
            if not alive():
                console.print(f"[red]{label}: the process under test exited")
                break
        progress.update(answered, completed=collector.count)
        sender.join()
    if failed:
        collector.stop()
        raise RuntimeError(f"{label}: producing failed") from failed[0]
    cpu = meter.stop()
    collector.stop()
    result = figures(sent, collector, cpu)
    result["_values"] = collector.values  # decoded after the timing, then dropped
    return result


def _warmed(producer: Producer, collector: Collector, warm: Callable[[Producer], int]) -> bool:
    """Send probes; True once the collector has seen an answer to each of them."""
    before = collector.strangers
    expected = warm(producer)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if collector.strangers - before >= expected:
            time.sleep(1)  # let late answers to earlier probes pass, out of the timing
            return True
        time.sleep(0.05)
    return False


def figures(sent: list[float], c: Collector, cpu: dict[str, float]) -> dict[str, Any]:
    n = len(sent)
    latencies = sorted(c.arrived[i] - sent[i] for i in range(n) if c.arrived[i])
    first, last_sent = sent[0], sent[-1]
    arrivals = sorted(t for t in c.arrived if t)
    seconds = (c.last - first) if c.count else float("nan")
    steady = float("nan")
    if len(arrivals) >= 100:  # 10th to 90th percentile of arrivals: no ramp-up, no tail
        lo, hi = arrivals[len(arrivals) // 10], arrivals[len(arrivals) * 9 // 10]
        steady = (len(arrivals) * 8 // 10) / (hi - lo) if hi > lo else float("nan")

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)

    return {
        "sent": n,
        "answered": c.count,
        "missing": n - c.count,
        "duplicates": c.duplicates,
        "foreign_messages": c.strangers,
        "produce_seconds": round(last_sent - first, 3),
        "produce_per_s": round(n / (last_sent - first), 1) if last_sent > first else None,
        "seconds": round(seconds, 3),
        "per_s": round(c.count / seconds, 1) if c.count else 0.0,
        "steady_per_s": round(steady, 1),
        "latency_ms": {"p50": pct(0.50), "p90": pct(0.90), "p99": pct(0.99), "max": pct(1.0)}
        if latencies
        else None,
        "cpu_seconds": cpu,
    }


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


# --- the processes under test ----------------------------------------------------------------


@dataclass
class Child:
    """A subprocess in its own session, its output in a log file; stopped with TERM, then KILL."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Child:
        with self.log.open("ab") as sink:
            self.proc = subprocess.Popen(
                self.argv,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=self.env,
                start_new_session=True,
            )
        return self

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace: float = 30) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            console.print(f"{self.name} did not stop in {grace:.0f} s after TERM: killing it")
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"


def child_env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "RAAS_VAR_DIR": str(settings.var_dir),
        "RAAS_APP_ID": settings.app_id,
        "RAAS_BOOTSTRAP_SERVERS": settings.bootstrap_servers,
        "RAAS_PARTITIONS": str(settings.partitions),
    }


def serve_passthrough(in_topic: str, out_topic: str, group: str) -> None:
    """The baseline process: consume -> produce unchanged -> commit, until TERM."""
    settings = Settings.from_env()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    consumer = make_consumer(settings, group_id=group, **{"enable.partition.eof": False})
    producer = make_producer(settings)
    consumer.subscribe([in_topic])
    produce = producer.produce
    while not stop.is_set():
        batch = consumer.consume(num_messages=500, timeout=0.2)
        for msg in batch:
            if msg.error() is not None:
                continue
            while True:
                try:
                    produce(out_topic, key=msg.key(), value=msg.value())
                    break
                except BufferError:
                    producer.poll(0.01)
        producer.poll(0)
        if batch:
            consumer.commit(asynchronous=True)
    producer.flush(30)
    consumer.close()


def serve_faust_passthrough(in_topic: str, out_topic: str, app_id: str) -> None:
    """The second baseline: one Faust agent (our app settings, concurrency 1) that sends every
    message on unchanged, until TERM. What any Faust agent costs before it does any work."""
    import faust

    from streams.app import faust_app

    settings = replace(Settings.from_env(), app_id=app_id)
    app = faust_app(settings, worker_name="faust-passthrough", store="memory://")
    source = app.topic(in_topic, key_type=bytes, value_type=bytes)
    sink = app.topic(out_topic, key_type=bytes, value_type=bytes)

    @app.agent(source, concurrency=1)
    async def forward(stream: Any) -> None:
        async for event in stream.events():
            await sink.send(key=event.message.key, value=event.message.value)

    faust.Worker(app, loglevel="warning", quiet=True).execute_from_commandline()


class Watch(threading.Thread):
    """Polls `other_apps` every few seconds; the union of what it saw."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(name="watch", daemon=True)
        self.settings = settings
        self.seen: dict[str, set[str]] = {}
        self._halt = threading.Event()

    def run(self) -> None:
        while True:
            for kind, apps in other_apps(self.settings).items():
                self.seen.setdefault(kind, set()).update(apps)
            if self._halt.wait(5):
                return

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=30)


def _probe(producer: Producer, targets: list[tuple[str, bytes]], value: bytes | None) -> int:
    """One message per (topic, key), answered under a key the collector does not know."""
    for topic, key in targets:
        consult = Consult(f"warm-{uuid.uuid4()}", "warm-up", key.decode())
        producer.produce(topic, key=key, value=value or codec.encode(consult))
    producer.flush(10)
    return len(targets)


def wait_for(what: str, check: Any, timeout: float, alive: Any) -> None:
    deadline = time.monotonic() + timeout
    with console.status(what):
        while not check():
            if not alive():
                raise RuntimeError(f"the process under test exited while waiting: {what}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out after {timeout:.0f} s: {what}")
            time.sleep(0.5)


def passthrough_ready(settings: Settings, in_topic: str, out_topic: str) -> Any:
    """A check that sends a probe through the passthrough and says whether it came out."""
    consumer = make_consumer(
        settings, group_id=f"{settings.app_id}-probe", **{"enable.partition.eof": False}
    )
    parts = consumer.list_topics(out_topic, timeout=30).topics[out_topic].partitions
    consumer.assign([end_offset(consumer, out_topic, p) for p in parts])
    producer = make_producer(settings)

    def check() -> bool:
        producer.produce(in_topic, key=b"probe", value=b"probe")
        producer.flush(10)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            msg = consumer.poll(0.2)
            if msg is not None and msg.error() is None:
                consumer.close()
                return True
        return False

    return check


def committed_to_end(settings: Settings, group: str, topic: str) -> Any:
    """A check: has `group` committed `topic` up to the end offsets it had when this was made?"""
    consumer = make_consumer(settings, group_id=group)
    parts = consumer.list_topics(topic, timeout=30).topics[topic].partitions
    ends = {p: end_offset(consumer, topic, p).offset for p in parts}

    def check() -> bool:
        committed = consumer.committed([TopicPartition(topic, p) for p in ends], timeout=10)
        done = all(tp.offset >= ends[tp.partition] for tp in committed if ends[tp.partition] > 0)
        if done:
            consumer.close()
        return done

    return check


@functools.cache
def _admin(bootstrap_servers: str) -> AdminClient:
    admin = AdminClient({"bootstrap.servers": bootstrap_servers})
    admin.list_topics(timeout=10)  # a fresh client lists the groups of the brokers it knows
    return admin


def other_apps(settings: Settings) -> dict[str, list[str]]:
    """Other RAAS apps live on the broker. Every app's ingress reads *every* tenant's commands
    topic (one regex), so another app's live ingress forwards our commands too (CPU on this
    machine), and when its register agent is live as well it answers them into our results
    topics (duplicates, possibly first)."""
    try:
        admin = _admin(settings.bootstrap_servers)
        groups = admin.list_consumer_groups().result(timeout=10).valid
    except Exception as exc:  # informative only
        return {"unknown": [str(exc)]}
    gone = {confluent_kafka.ConsumerGroupState.EMPTY, confluent_kafka.ConsumerGroupState.DEAD}
    live = {g.group_id for g in groups if g.state not in gone}  # stable or rebalancing
    apps = {g.removesuffix("-ingress") for g in live if g.endswith("-ingress")}
    apps.discard(settings.app_id)
    return {
        "forwarding": sorted(apps),
        "answering": sorted(app for app in apps if app in live),
    }


# --- the run --------------------------------------------------------------------------------


def run_passthrough(
    settings: Settings, w: Workload, args: argparse.Namespace, var: Path, kind: str = "passthrough"
) -> dict[str, Any]:
    """`kind` "passthrough" (confluent-kafka) or "faust_passthrough" (one Faust agent)."""
    app = settings.app_id
    name = kind.replace("_", "-")
    in_topic, out_topic = f"{app}-{name}-in", f"{app}-{name}-out"
    ensure_topics(make_admin(settings), [in_topic, out_topic], partitions=settings.partitions)
    argv = [
        sys.executable,
        str(Path(__file__).resolve()),
        f"--serve-{name}",
        in_topic,
        out_topic,
        f"{app}-{name}",
    ]
    child = Child(kind, argv, child_env(settings), var / f"{name}.log").start()
    try:
        wait_for(
            f"{kind}: waiting until it forwards a probe",
            passthrough_ready(settings, in_topic, out_topic),
            120,
            child.alive,
        )
        meter = CpuMeter({"process_under_test": child.pid, "broker": args.broker_pid})
        plain = replace(w, topics=[in_topic] * len(w.values))
        result = timed_run(
            settings,
            plain,
            w.rids,
            [out_topic],
            args.rate,
            kind,
            meter,
            args.idle_timeout,
            child.alive,
            lambda producer: _probe(producer, [(in_topic, b"warm")], w.values[0]),
        )
    finally:
        child.stop()
    result.pop("_values")
    result["topics"] = {"in": in_topic, "out": out_topic, "partitions": settings.partitions}
    return result


def run_pipeline(
    settings: Settings,
    w: Workload,
    tenants: list[str],
    numbers: list[str],
    args: argparse.Namespace,
    var: Path,
) -> dict[str, Any]:
    with _progress() as progress:
        task = progress.add_task("tenants", total=len(tenants))
        with ThreadPoolExecutor(max_workers=len(tenants)) as pool:  # each reads the admin topic
            for _ in pool.map(
                lambda kbo: add_tenant(settings, kbo, f"bench {kbo}", DOSSIER_TYPES), tenants
            ):
                progress.advance(task)
        task = progress.add_task("persons", total=len(numbers))
        for at in range(0, len(numbers), args.person_batch):
            chunk = numbers[at : at + args.person_batch]
            publish_persons(settings, [person(n, "Bench", f"Person {n[-5:]}") for n in chunk])
            progress.advance(task, len(chunk))
    persons_rekeyed = committed_to_end(settings, settings.app_id, AUTHENTIC_PERSONS)
    argv = [sys.executable, "-m", "raas.cli", "worker", "--name", "bench-worker"]
    worker = Child("worker", argv, child_env(settings), var / "worker.log").start()
    profiler: subprocess.Popen[bytes] | None = None
    try:
        probe = Consult(str(uuid.uuid4()), "probe", numbers[0])
        answers = lambda: request(settings, tenants[0], probe, 15) is not None  # noqa: E731
        wait_for("worker: waiting for the answer to a probe", answers, 300, worker.alive)
        wait_for(
            "worker: waiting until authentic.persons is re-keyed",
            persons_rekeyed,
            600,
            worker.alive,
        )
        persons_loaded = committed_to_end(
            settings, settings.app_id, internal_persons_topic(settings.app_id)
        )
        wait_for(
            "worker: waiting until the persons table is loaded", persons_loaded, 600, worker.alive
        )
        if args.wait_for_quiet > 0:
            wait_for(
                "waiting until no other app answers tenant commands",
                lambda: not other_apps(settings)["answering"],
                args.wait_for_quiet,
                worker.alive,
            )
        others = other_apps(settings)
        if others.get("forwarding") or others.get("unknown"):
            console.print(f"[yellow]other live RAAS apps will see our commands too: {others}")
        if args.py_spy:
            profiler = subprocess.Popen(
                [
                    args.py_spy_bin,
                    "record",
                    "--pid",
                    str(worker.pid),
                    "--format",
                    "raw",
                    "--threads",
                    "--output",
                    str(args.py_spy),
                    "--rate",
                    "50",
                    "--nonblocking",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        meter = CpuMeter({"process_under_test": worker.pid, "broker": args.broker_pid})
        results = [tenant_topic(kbo, "results") for kbo in tenants]
        watch = Watch(settings)
        watch.start()
        try:
            result = timed_run(
                settings,
                w,
                w.keys,
                results,
                args.rate,
                "pipeline",
                meter,
                args.idle_timeout,
                worker.alive,
                lambda producer: _probe(
                    producer,
                    [(tenant_topic(kbo, "commands"), numbers[0].encode()) for kbo in tenants],
                    None,
                ),
            )
        finally:
            watch.stop()
        result["other_apps_before"] = others
        result["other_apps_during"] = {k: sorted(v) for k, v in watch.seen.items()}
        answering = watch.seen.get("answering")
        if answering or result["duplicates"]:
            result["valid"] = False
            result["invalid_because"] = (
                f"other RAAS apps answered our commands during the run ({sorted(answering or [])}"
                f", {result['duplicates']} duplicate results): the first result of a request id "
                "may be theirs, and their workers took CPU on this machine"
            )
        else:
            result["valid"] = True
        result["statuses"] = statuses(result.pop("_values"))
    except Exception:
        console.print(f"[red]worker log:\n{worker.tail()}")
        raise
    finally:
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)
            try:
                profiler.wait(timeout=60)
            except subprocess.TimeoutExpired:
                profiler.kill()
                profiler.wait()
        worker.stop()
    return result


def statuses(values: list[bytes | None]) -> dict[str, int]:
    """Result status per command kind, decoded after the timing: the work was real."""
    counts: Counter[str] = Counter()
    for value in values:
        if value is not None:
            r = codec.decode(value, codec.COMMAND_RESULT)
            counts[f"{type(r.command).__name__} {r.status}"] += 1
    return dict(sorted(counts.items()))


def cleanup(settings: Settings, tenants: list[str]) -> None:
    """Delete the run's topics and groups, and tombstone its tenants on the admin topic."""
    admin = make_admin(settings)
    app = settings.app_id
    try:
        producer = make_producer(settings)
        for kbo in tenants:
            producer.produce(ADMIN_TENANTS, key=kbo.encode(), value=None)
        producer.flush(30)
        topics = [
            t
            for t in admin.list_topics(timeout=30).topics
            if t.startswith(f"{app}-") or any(t in tenant_topics(k) for k in tenants)
        ]
        if topics:
            for future in admin.delete_topics(topics, operation_timeout=60).values():
                future.result()
        groups = [
            g.group_id
            for g in admin.list_consumer_groups().result(timeout=10).valid
            if g.group_id == app or g.group_id.startswith(f"{app}-")
        ]
        if groups:
            for future in admin.delete_consumer_groups(groups, request_timeout=30).values():
                try:
                    future.result()
                except Exception as exc:  # a group still closing: it expires on its own
                    console.print(f"[yellow]group not deleted: {exc}")
        console.print(
            f"cleaned up {len(topics)} topics, {len(groups)} groups, {len(tenants)} tenants"
        )
    except Exception as exc:
        console.print(f"[yellow]cleanup incomplete: {exc}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Register pipeline (one `raas worker`) against a plain confluent-kafka "
        "consume->produce passthrough, end to end, in the same run. Needs the broker at "
        "RAAS_BOOTSTRAP_SERVERS; starts and stops its own worker and passthrough processes.",
        epilog="A quick run: --commands 20000 --insz 5000 --output /tmp/register_throughput.json",
    )
    parser.add_argument(
        "--commands",
        type=int,
        default=200_000,
        help="commands to send: 80%% Register, 10%% Delete, 10%% Consult (default 200000)",
    )
    parser.add_argument(
        "--insz",
        type=int,
        default=50_000,
        help="distinct INSZs, each published as a person first (default 50000)",
    )
    parser.add_argument("--tenants", type=int, default=10, help="fresh tenants (default 10)")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="messages/s to produce at; 0 = as fast as possible (default)",
    )
    parser.add_argument("--seed", type=int, default=20250501, help="workload seed")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"default {RESULTS}")
    parser.add_argument("--skip-passthrough", action="store_true", help="no passthroughs")
    parser.add_argument(
        "--skip-faust-passthrough", action="store_true", help="no Faust passthrough"
    )
    parser.add_argument("--skip-pipeline", action="store_true", help="passthrough only")
    parser.add_argument(
        "--keep", action="store_true", help="keep the run's topics, groups, tenants and temp dir"
    )
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=120,
        help="give up after this many seconds without a new result",
    )
    parser.add_argument(
        "--wait-for-quiet",
        type=float,
        default=0,
        metavar="SECONDS",
        help="at the start and again before timing the pipeline, wait up to SECONDS until no "
        "other RAAS app on the broker answers tenant commands: every app's ingress reads every "
        "tenant's topic, so their answers would land in our results (and ours in theirs)",
    )
    parser.add_argument(
        "--person-batch", type=int, default=5000, help="persons per publish_persons call"
    )
    parser.add_argument(
        "--py-spy",
        type=Path,
        metavar="FILE",
        help="record the worker with py-spy during the timed pipeline run, "
        "collapsed stacks to FILE (the figures are then not clean)",
    )
    parser.add_argument(
        "--py-spy-bin",
        default=shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy")),
    )
    # the baselines' own processes
    parser.add_argument(
        "--serve-passthrough", nargs=3, metavar=("IN", "OUT", "GROUP"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--serve-faust-passthrough", nargs=3, metavar=("IN", "OUT", "APP"), help=argparse.SUPPRESS
    )
    return parser.parse_args(argv)


def _interrupted(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve_passthrough:
        serve_passthrough(*args.serve_passthrough)
        return 0
    if args.serve_faust_passthrough:
        serve_faust_passthrough(*args.serve_faust_passthrough)
        return 0
    # Stopped by TERM or INT (even when started in the background, where INT is ignored), the run
    # still stops its worker and cleans up in its `finally` blocks.
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)
    base = Settings.from_env()
    if not kafka.answers_metadata(base.bootstrap_servers, timeout=10):
        console.print(f"[red]no broker answers on {base.bootstrap_servers}")
        return 4
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    var = Path(tempfile.mkdtemp(prefix=f"raas-bench-{stamp}-"))
    settings = replace(base, app_id=f"raas-bench-{stamp}", var_dir=var)
    args.broker_pid = kafka.running_pid(base)

    rng = random.Random(args.seed)
    tenants = kbo_numbers(random.Random(f"{args.seed}-{stamp}"), args.tenants)  # fresh per run
    numbers = insz_numbers(rng, args.insz)
    with console.status("encoding the workload"):
        w = encode_workload(make_commands(rng, stamp, args.commands, tenants, numbers))
    console.print(
        f"{settings.app_id}: {args.commands} commands {dict(w.kinds)}, "
        f"{args.tenants} tenants, {args.insz} INSZs; temp dir {var}"
    )
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_id": settings.app_id,
        "workload": {
            "commands": args.commands,
            "kinds": dict(w.kinds),
            "tenants": args.tenants,
            "insz": args.insz,
            "seed": args.seed,
            "rate": args.rate or "open loop",
            "partitions": settings.partitions,
            "mean_value_bytes": round(sum(map(len, w.values)) / len(w.values), 1),
        },
        "machine": {
            "nproc": os.cpu_count(),
            "python": platform.python_version(),
            "kafka": kafka.broker_version(base.kafka_dir / "lib"),
            "confluent_kafka": confluent_kafka.version()[0],
            "librdkafka": confluent_kafka.libversion()[0],
            "platform": platform.platform(),
            "loadavg_before": os.getloadavg(),
        },
        "profiled": bool(args.py_spy),
    }
    try:
        if args.wait_for_quiet > 0:  # our worker would answer their commands too, and they ours
            wait_for(
                "waiting until no other RAAS app answers tenant commands",
                lambda: not other_apps(settings)["answering"],
                args.wait_for_quiet,
                lambda: True,
            )
        if not args.skip_passthrough:
            report["passthrough"] = run_passthrough(settings, w, args, var)
            if not args.skip_faust_passthrough:
                report["faust_passthrough"] = run_passthrough(
                    settings, w, args, var, kind="faust_passthrough"
                )
        if not args.skip_pipeline:
            report["pipeline"] = run_pipeline(settings, w, tenants, numbers, args, var)
    finally:
        if not args.keep:
            cleanup(settings, tenants)
            shutil.rmtree(var, ignore_errors=True)
    if "passthrough" in report and "pipeline" in report:
        ratio = report["pipeline"]["per_s"] / report["passthrough"]["per_s"]
        report["ratio"] = round(ratio, 3)
        report["goal"] = GOAL
        report["meets_goal"] = ratio >= GOAL
    if "faust_passthrough" in report and "pipeline" in report:
        faust_share = report["pipeline"]["per_s"] / report["faust_passthrough"]["per_s"]
        report["ratio_to_faust_passthrough"] = round(faust_share, 3)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    summary(report, args.output)
    return 0


def summary(report: dict[str, Any], output: Path) -> None:
    for name in ("passthrough", "faust_passthrough", "pipeline"):
        r = report.get(name)
        if r is None:
            continue
        lat = r["latency_ms"] or {}
        print(
            f"{name:17} {r['per_s']:>9.0f} msg/s end to end ({r['steady_per_s']:.0f} steady), "
            f"p50 {lat.get('p50')} ms, p99 {lat.get('p99')} ms, "
            f"{r['answered']}/{r['sent']} answered, cpu {r['cpu_seconds']}"
        )
    if report.get("pipeline", {}).get("valid") is False:
        print(f"NOT VALID: {report['pipeline']['invalid_because']}")
    if "ratio" in report:
        print(
            f"ratio        {report['ratio']:.3f} (goal {GOAL}) -> "
            f"{'meets' if report['meets_goal'] else 'below'} goal"
        )
    print(f"written to {output}")


if __name__ == "__main__":
    sys.exit(main())
