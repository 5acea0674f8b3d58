"""`python -m bench.register.idle`: what an idle worker costs the broker, by number of tenants.

Issue 10's fetch hypothesis: librdkafka sends full fetch requests (session id 0, epoch -1: no
KIP-227 incremental fetch sessions), and the ingress subscribes to every tenant's commands topic,
so each of its fetches names every tenant partition; the broker's cost would then follow
fetches/s x tenant partitions, with no command at all. This measures it without a load: the
broker's CPU per second with no worker, then with one `raas worker` and each number of tenants
of `--tenants` (more tenants onboarded between steps, measured once the ingress holds all their
partitions and `--settle` seconds more, when the quiet ones are paused: `streams.quiet_partitions`).
Writes JSON (default bench/results/register_idle_tenants.json).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from confluent_kafka.admin import AdminClient

from bench.register.measure import Broker, CpuMeter
from bench.register.phase import console, wait_for
from bench.register.pipeline import cleanup, prepare, start_worker
from bench.register.processes import fresh_run
from bench.register.workload import Population, insz_numbers, kbo_numbers
from raas.clients import make_admin

RESULTS = Path(__file__).resolve().parents[1] / "results" / "register_idle_tenants.json"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.register.idle", description=__doc__)
    parser.add_argument("--tenants", default="10,210", help="tenant counts, ascending (10,210)")
    parser.add_argument("--seconds", type=float, default=30, help="per measurement (default 30)")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"the JSON ({RESULTS})")
    parser.add_argument("--settle", type=float, help="seconds to wait once the ingress holds "
        "the new partitions, before measuring: a partition is paused after "
        "RAAS_INGRESS_QUIET_AFTER seconds without a record (default: that setting + 2 s; 0 "
        "measures the first seconds after the rebalance, before any pause)")  # fmt: skip
    return parser.parse_args(argv)


def ingress_partitions(admin: AdminClient, group: str) -> int:
    """Partitions the members of the ingress `group` hold now (0 while the broker is slow)."""
    try:
        described = admin.describe_consumer_groups([group])[group].result(timeout=30)
    except Exception:  # not yet described: asked again
        return 0
    return sum(len(m.assignment.topic_partitions) for m in described.members)


def measure(meter: CpuMeter, seconds: float) -> dict[str, Any]:
    meter.start()
    time.sleep(seconds)  # the measurement's length, not a wait for an event
    spent = meter.stop()
    return {k: round(v / seconds * 1000, 1) for k, v in spent.items()}  # CPU ms per second


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    counts = [int(n) for n in args.tenants.split(",")]
    run = fresh_run("raas-idle")
    if run is None:
        return 4
    base, settings, stamp = run
    settings, var = replace(settings, metrics_port=0), settings.var_dir
    settle = settings.ingress_quiet_after + 2 if args.settle is None else args.settle
    broker = Broker.of(base)
    rng = random.Random(stamp)
    kbos = kbo_numbers(rng, counts[-1])
    people = Population(kbos[: counts[0]], insz_numbers(rng, 100), rng)
    report: dict[str, Any] = {
        "date": stamp,
        "seconds": args.seconds,
        "settle_seconds": settle,
        "cpu_ms_per_s": {},
    }
    meter = CpuMeter({"broker": broker.pid})
    report["cpu_ms_per_s"]["no worker"] = measure(meter, args.seconds)
    try:
        prepare(settings, people, 100)
        worker = start_worker(settings, people, var)
        try:
            meter = CpuMeter({"broker": broker.pid, "worker": worker.pid})
            admin, group = make_admin(settings), f"{settings.app_id}-ingress"
            for n in counts:
                prepare(settings, replace(people, tenants=[], numbers=[]), 100, tuple(kbos[:n]))
                wait_for(
                    f"ingress: waiting until it holds {n} tenant partitions",
                    lambda n=n: ingress_partitions(admin, group) >= n,  # type: ignore[misc]
                    300,
                    worker.alive,
                )
                time.sleep(settle)  # a measurement of the steady state: quiet ones paused
                report["cpu_ms_per_s"][f"{n} tenants"] = measure(meter, args.seconds)
                console.print(f"{n} tenants: {report['cpu_ms_per_s'][f'{n} tenants']}")
        finally:
            worker.stop()
    finally:
        cleanup(settings, kbos)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report["cpu_ms_per_s"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
