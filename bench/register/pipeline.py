"""The RAAS pipeline under test: fresh tenants and persons, one `raas worker`, its phases.

The bench adds the run's tenants, publishes its persons to `authentic.persons`, starts one worker
with the run's own RAAS_APP_ID and RAAS_VAR_DIR, and waits until it answers a probe and has loaded
the persons. Then: the open-loop phase (the maximum throughput), and the paced phases at the
given fractions of that maximum, each with fresh request ids, against the same worker.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.register.broker_profile import BrokerProfile
from bench.register.measure import Broker, CpuMeter
from bench.register.phase import (
    PhaseMeter,
    Target,
    console,
    progress_bars,
    run_phase,
    wait_for,
)
from bench.register.processes import Child, Watch, child_env, committed_to_end, other_apps, probe
from bench.register.requests import RequestLog
from bench.register.workload import DOSSIER_TYPES, Population, Workload
from raas import codec
from raas.clients import make_admin, make_producer
from raas.config import Settings, as_user
from raas.domain.commands import Consult
from raas.domain.persons import PersonIdentity
from raas.onboarding import add_tenant
from raas.service_users import WORKER
from raas.sources import person, publish_persons
from raas.tenant_client import request
from raas.topics import ADMIN_TENANTS, AUTHENTIC_PERSONS, internal_persons_topic, tenant_topic


def bench_person(insz: str, address: str | None = None) -> PersonIdentity:
    """The identity a bench gives `insz`; a bench changes only its address."""
    return person(insz, "Bench", f"Person {insz[-5:]}", address=address)


def prepare(
    settings: Settings, people: Population, person_batch: int, idle: tuple[str, ...] = ()
) -> None:
    """Add the run's tenants (and the `idle` ones, which get no command) and publish its
    persons."""
    tenants = [*people.tenants, *idle]
    with progress_bars() as bars:
        task = bars.add_task("tenants", total=len(tenants))
        with ThreadPoolExecutor(max_workers=min(16, len(tenants))) as pool:  # each reads admin
            for _ in pool.map(
                lambda kbo: add_tenant(settings, kbo, f"bench {kbo}", DOSSIER_TYPES), tenants
            ):
                bars.advance(task)
        task = bars.add_task("persons", total=len(people.numbers))
        for at in range(0, len(people.numbers), person_batch):
            chunk = people.numbers[at : at + person_batch]
            publish_persons(settings, [bench_person(n) for n in chunk])
            bars.advance(task, len(chunk))


def cleanup(settings: Settings, tenants: list[str]) -> None:
    """Delete the run's topics and groups, and tombstone its tenants on the admin topic."""
    admin, app = make_admin(settings), settings.app_id
    try:
        producer = make_producer(settings)
        for kbo in tenants:
            producer.produce(ADMIN_TENANTS, key=kbo.encode(), value=None)
        producer.flush(30)
        ours = {f"raas.tenant.{kbo}." for kbo in tenants}
        topics = [
            t
            for t in admin.list_topics(timeout=30).topics
            if app in t or any(t.startswith(prefix) for prefix in ours)  # Quix's carry the group
        ]
        if topics:
            for future in admin.delete_topics(topics, operation_timeout=60).values():
                future.result()
        groups = [
            g.group_id
            for g in admin.list_consumer_groups().result(timeout=10).valid
            if g.group_id.startswith(app)
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


def warm_probes(tenants: list[str], insz: str) -> Callable[[Any], int]:
    """A consult per tenant, on its commands topic: answered under a request id nobody waits for."""
    targets = [(tenant_topic(kbo, "commands"), insz.encode()) for kbo in tenants]
    return lambda producer: probe(producer, targets, None)


def start_worker(settings: Settings, people: Population, var: Path) -> Child:
    """One `raas worker` with the run's app id, once it answers and has loaded the persons."""
    persons_rekeyed = committed_to_end(settings, settings.app_id, AUTHENTIC_PERSONS)
    argv = [sys.executable, "-m", "raas.cli", "worker", "--name", "bench-worker"]
    # In secure mode the worker runs as its service user, through the ACLs (the bench as admin).
    worker_env = child_env(as_user(settings, WORKER) if settings.secure else settings)
    worker = Child("worker", argv, worker_env, var / "worker.log").start()
    try:
        probe_consult = Consult(str(uuid.uuid4()), "probe", people.numbers[0])
        answers = lambda: request(settings, people.tenants[0], probe_consult, 15) is not None  # noqa: E731
        wait_for("worker: waiting for the answer to a probe", answers, 300, worker.alive)
        wait_for(
            "worker: waiting until authentic.persons is re-keyed",
            persons_rekeyed,
            600,
            worker.alive,
        )
        loaded = committed_to_end(
            settings, settings.app_id, internal_persons_topic(settings.app_id)
        )
        wait_for("worker: waiting until the persons table is loaded", loaded, 600, worker.alive)
    except BaseException:
        console.print(f"[red]worker log:\n{worker.tail()}")
        worker.stop()
        raise
    return worker


def run_pipeline(
    settings: Settings,
    broker: Broker,
    w: Workload,
    people: Population,
    args: Any,
    var: Path,
    on_phase: Callable[[dict[str, Any]], None] = lambda result: None,
) -> dict[str, Any]:
    """The open-loop phase, then the paced ones, on `broker` (its CPU measured, its request log
    read with `--count-requests`); the worker is stopped at the end. `on_phase` gets the figures
    so far after each phase (the run writes them, so a later failure keeps them)."""
    worker = start_worker(settings, people, var)
    profiler: subprocess.Popen[bytes] | None = None
    tenants, numbers = people.tenants, people.numbers
    try:
        others = other_apps(settings)
        if others.get("forwarding") or others.get("unknown"):
            console.print(f"[yellow]other live RAAS apps will see our commands too: {others}")
        if args.py_spy:
            profiler = start_profiler(args.py_spy_bin, worker.pid, args.py_spy)
        target = Target(
            label="pipeline",
            result_topics=[tenant_topic(kbo, "results") for kbo in tenants],
            meter=CpuMeter({"process_under_test": worker.pid, "broker": broker.pid}),
            alive=worker.alive,
            warm=warm_probes(tenants, numbers[0]),
        )
        watch = Watch(settings)
        watch.start()
        try:
            result = checked(run_phase(settings, w, target, 0, args.idle_timeout))
            result["paced"] = {}
            on_phase(result)
            for name, rate in paced_points(result["per_s"], args.paced, args.paced_rates):
                n = max(100, int(rate * args.paced_seconds))
                paced = people.workload(f"{settings.app_id}-p{len(result['paced'])}", n)
                target.label = f"pipeline paced at {name} ({rate:.0f}/s)"
                meters = phase_meters(
                    settings, broker, args, var / f"broker-paced-{len(result['paced'])}.jfr"
                )
                phase = checked(
                    run_phase(settings, paced, target, rate, args.idle_timeout, meters, stages=True)
                )
                result["paced"][name] = phase
                on_phase(result)
        finally:
            watch.stop()
        result["other_apps_before"] = others
        result["other_apps_during"] = {k: sorted(v) for k, v in watch.seen.items()}
        result["valid"] = not watch.seen.get("answering") and not result["duplicates"]
        if not result["valid"]:
            result["invalid_because"] = (
                f"other RAAS apps answered our commands during the run "
                f"({sorted(watch.seen.get('answering') or [])}, {result['duplicates']} duplicate "
                "results): the first result of a request id may be theirs"
            )
    except Exception:
        console.print(f"[red]worker log:\n{worker.tail()}")
        raise
    finally:
        if profiler is not None:
            stop_profiler(profiler)
        worker.stop()
    return result


def phase_meters(
    settings: Settings, broker: Broker, args: Any, recording: Path
) -> dict[str, PhaseMeter]:
    """What a paced phase measures besides its own figures: the broker's requests with
    `--count-requests`, its profile with `--broker-profile`."""
    meters: dict[str, PhaseMeter] = {}
    if args.count_requests:
        meters["broker_requests"] = RequestLog(settings, broker.log)
    if args.broker_profile and broker.pid:
        meters["broker_profile"] = BrokerProfile(broker.pid, recording)
    return meters


def paced_points(
    maximum: float, shares: list[float], rates: list[float]
) -> list[tuple[str, float]]:
    """The paced phases as (name, commands/s): the shares of the open loop's `maximum` ("50%"),
    then the absolute `rates` ("100/s")."""
    points = [(f"{share:.0%}", round(maximum * share, 1)) for share in shares]
    return points + [(f"{rate:g}/s", rate) for rate in rates]


def checked(phase: dict[str, Any]) -> dict[str, Any]:
    """The phase's figures with its results' statuses instead of their bytes: the work was real."""
    counts: Counter[str] = Counter()
    for value in phase.pop("_values"):
        if value is not None:
            r = codec.decode(value, codec.COMMAND_RESULT)
            counts[f"{type(r.command).__name__} {r.status}"] += 1
    phase["statuses"] = dict(sorted(counts.items()))
    return phase


def start_profiler(py_spy: str, pid: int | None, output: Path) -> subprocess.Popen[bytes]:
    """py-spy on the worker, collapsed stacks to `output` (the figures are then not clean)."""
    argv = [py_spy, "record", "--pid", str(pid), "--format", "raw", "--threads"]
    argv += ["--output", str(output), "--rate", "50", "--nonblocking"]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_profiler(profiler: subprocess.Popen[bytes]) -> None:
    profiler.send_signal(2)  # SIGINT: py-spy writes its file
    try:
        profiler.wait(timeout=60)
    except subprocess.TimeoutExpired:
        profiler.kill()
        profiler.wait()
