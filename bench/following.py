"""Issue 11's figure: identity changes fanned out to notifications, 1, 3 and 10 tenants per INSZ.

    python -m bench.following                      # 10 tenants, 3 x 300 INSZs, 3,000 changes each
    python -m bench.following --changes 600 --output /tmp/following.json

One run, on the broker at RAAS_BOOTSTRAP_SERVERS:

1. the baselines of `bench.register`: the confluent-kafka and the Faust passthrough, each on as
   many messages as the 10-tenant fan-out sends notifications;
2. fresh tenants; per fan-out k, a group of fresh INSZs published as persons; one `raas worker`;
   every INSZ of group k registered with k tenants (each result awaited);
3. per fan-out k, `--changes` identity changes (a new address each) of group k's INSZs, produced
   as fast as the producer goes. The clock runs from the first change produced to the last
   notification arrived on the tenants' notifications topics: notifications/s is
   changes x k / that time. Every expected notification must arrive, or the run fails.

The figures go to bench/results/following_throughput.json, with notifications/s over the Faust
passthrough's messages/s: issue 11's goal is at least 0.5 at 10 tenants per INSZ.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.register.baselines import run_passthrough
from bench.register.measure import CpuMeter, consumer_at_ends
from bench.register.phase import Target, console, run_phase, wait_for
from bench.register.pipeline import bench_person, checked, prepare, start_worker, warm_probes
from bench.register.run import cleaned_up
from bench.register.workload import Population, encode_workload, insz_numbers, kbo_numbers
from raas.config import Settings
from raas.domain.commands import Register
from raas.domain.periods import Period
from raas.sources import publish_persons
from raas.stack import kafka
from raas.topics import tenant_topic

FANOUTS = (1, 3, 10)
OUTPUT = Path(__file__).resolve().parent / "results" / "following_throughput.json"


class Arrivals(threading.Thread):
    """Counts the messages arriving on `topics` from their ends now, until `expected`."""

    def __init__(self, settings: Settings, topics: list[str], expected: int) -> None:
        super().__init__(name="arrivals", daemon=True)
        self.expected, self.count, self.last = expected, 0, 0.0
        self._halt = threading.Event()
        self._consumer = consumer_at_ends(settings, topics, f"{settings.app_id}-arrivals")

    def run(self) -> None:
        while not self._halt.is_set() and self.count < self.expected:
            batch = self._consumer.consume(num_messages=1000, timeout=0.01)
            arrived = sum(1 for m in batch if m.error() is None)
            if arrived:
                self.count += arrived
                self.last = time.perf_counter()
        self._consumer.close()

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)


def register_all(
    settings: Settings, tenants: list[str], numbers: list[str], worker: Any, idle: float
) -> dict[str, Any]:
    """Every INSZ of `numbers` registered with every tenant of `tenants`; the results awaited."""
    period = Period(date(2024, 1, 1), None)
    commands = [
        (kbo, Register(str(uuid.uuid4()), None, insz, 1, period))
        for insz in numbers
        for kbo in tenants
    ]
    target = Target(
        label=f"registering {len(numbers)} INSZs with {len(tenants)} tenant(s)",
        result_topics=[tenant_topic(kbo, "results") for kbo in tenants],
        meter=CpuMeter({"process_under_test": worker.pid}),
        alive=worker.alive,
        warm=warm_probes(tenants, numbers[0]),
    )
    phase = checked(run_phase(settings, encode_workload(commands), target, 0, idle))
    if phase["missing"] or set(phase["statuses"]) != {"Register OK"}:
        raise RuntimeError(f"registration failed: {phase['missing']} missing, {phase['statuses']}")
    return {"commands": phase["sent"], "per_s": phase["per_s"]}


def fan_out(
    settings: Settings, tenants: list[str], numbers: list[str], changes: int, worker: Any
) -> dict[str, Any]:
    """`changes` identity changes of `numbers`, each told to every tenant of `tenants`."""
    expected = changes * len(tenants)
    arrivals = Arrivals(settings, [tenant_topic(k, "notifications") for k in tenants], expected)
    arrivals.start()
    snapshots = [  # each INSZ in turn, with a new address each time
        bench_person(insz, address=f"Benchstraat {i}, 1000 Brussel")
        for i, insz in zip(range(changes), itertools.cycle(numbers), strict=False)
    ]
    meter = CpuMeter({"process_under_test": worker.pid})
    meter.start()
    first = time.perf_counter()
    publish_persons(settings, snapshots)
    try:
        wait_for(
            f"{len(tenants)} tenant(s) per INSZ: {expected} notifications",
            lambda: arrivals.count >= expected,
            600,
            worker.alive,
        )
    finally:
        arrivals.stop()
    seconds = arrivals.last - first
    return {
        "tenants_per_insz": len(tenants),
        "changes": changes,
        "notifications": arrivals.count,
        "seconds": round(seconds, 3),
        "changes_per_s": round(changes / seconds, 1),
        "notifications_per_s": round(arrivals.count / seconds, 1),
        "cpu_seconds": meter.stop(),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.following", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--changes", type=int, default=3000, help="identity changes per fan-out")
    parser.add_argument("--insz", type=int, default=300, help="INSZs per fan-out group")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--idle-timeout", type=float, default=120.0)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--keep", action="store_true", help="keep topics, groups and temp dir")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    base = Settings.from_env()
    if not kafka.answers_metadata(base.bootstrap_servers, timeout=10):
        console.print(f"[red]no broker answers on {base.bootstrap_servers}")
        return 4
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    var = Path(tempfile.mkdtemp(prefix=f"raas-following-{stamp}-"))
    settings = replace(base, app_id=f"raas-following-{stamp}", var_dir=var)
    rng = random.Random(args.seed)
    people = Population(
        kbo_numbers(random.Random(f"{args.seed}-{stamp}"), max(FANOUTS)),
        insz_numbers(rng, args.insz * len(FANOUTS)),
        rng,
    )
    broker = kafka.running_pid(base)
    report: dict[str, Any] = {"date": datetime.now(UTC).isoformat(timespec="seconds")}
    report["workload"] = {"changes": args.changes, "insz_per_fanout": args.insz, "seed": args.seed}
    with cleaned_up(settings, var, people.tenants, args.keep):
        baseline = people.workload(stamp, args.changes * max(FANOUTS))
        for kind in ("confluent", "faust"):
            report[f"{kind}_passthrough"] = run_passthrough(
                settings, baseline, kind, var, broker, args.idle_timeout
            )
        prepare(settings, people, 1000)
        worker = start_worker(settings, people, var)
        try:
            report["fanout"] = {}
            for n, k in enumerate(FANOUTS):
                group = people.numbers[n * args.insz : (n + 1) * args.insz]
                registered = register_all(
                    settings, people.tenants[:k], group, worker, args.idle_timeout
                )
                figures = fan_out(settings, people.tenants[:k], group, args.changes, worker)
                report["fanout"][str(k)] = {"registration": registered, **figures}
        finally:
            worker.stop()
    faust = report["faust_passthrough"]["per_s"]
    for figures in report["fanout"].values():
        figures["ratio_to_faust_passthrough"] = round(figures["notifications_per_s"] / faust, 3)
    report["goal"] = {
        "notifications_per_s_over_faust_passthrough_at_10_tenants": 0.5,
        "met": report["fanout"]["10"]["ratio_to_faust_passthrough"] >= 0.5,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    for k, f in report["fanout"].items():
        console.print(
            f"{k:>2} tenant(s)/INSZ: {f['notifications_per_s']:>8.1f} notifications/s "
            f"({f['ratio_to_faust_passthrough']:.3f} of Faust passthrough {faust:.0f}/s)"
        )
    console.print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
