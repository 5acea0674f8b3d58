"""The run: workload, phases in order, clean-up, report."""

from __future__ import annotations

import os
import platform
import random
import shutil
import signal
import socket
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import confluent_kafka

from bench.register import report as reporting
from bench.register.baselines import run_passthrough
from bench.register.checkpoint import Checkpoint
from bench.register.measure import Broker
from bench.register.options import RESULTS, parse_args
from bench.register.phase import console
from bench.register.pipeline import cleanup, prepare, run_pipeline
from bench.register.processes import fresh_run
from bench.register.quix import run_quix
from bench.register.secure import RESULTS as SECURE_RESULTS
from bench.register.secure import compare
from bench.register.workload import Population, insz_numbers, kbo_numbers
from raas.clients import make_admin
from raas.config import Settings
from raas.security import ensure_service_users
from raas.stack import kafka


def _interrupted(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Stopped by TERM or INT (even in the background, where INT is ignored), the run still
    # stops its processes and cleans up in its `finally` blocks.
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)
    run = fresh_run("raas-bench")
    if run is None:
        return 4
    base, settings, stamp = run
    var = settings.var_dir
    broker = Broker.of(base)
    rng = random.Random(args.seed)
    people = Population(
        kbo_numbers(random.Random(f"{args.seed}-{stamp}"), args.tenants),  # fresh per run
        insz_numbers(rng, args.insz),
        rng,
    )
    with console.status("encoding the workload"):
        w = people.workload(stamp, args.commands)
    console.print(
        f"{settings.app_id}: {args.commands} commands {dict(w.kinds)}, {args.tenants} tenants, "
        f"{args.insz} INSZs; temp dir {var}"
    )
    idle = tuple(kbo_numbers(random.Random(f"{args.seed}-{stamp}-idle"), args.idle_tenants))
    report = header(settings, base, args, w.kinds, sum(map(len, w.values)) / len(w))
    if args.secure_compare:
        output = SECURE_RESULTS if args.output == RESULTS else args.output
        with cleaned_up(settings, var, [], keep=args.keep):  # each mode cleans up after itself
            report["secure_compare"] = compare(settings, broker, w, people, args, var)
        return finish(report, output)
    if settings.secure:  # the run's app id gets its service users' ACLs
        ensure_service_users(settings, make_admin(settings))
    kept = Checkpoint(report, args.output)
    with cleaned_up(settings, var, [*people.tenants, *idle], args.keep):
        if not args.skip_passthrough:
            with kept.phase("passthrough"):
                report["passthrough"] = run_passthrough(
                    settings, w, "confluent", var, broker.pid, args.idle_timeout
                )
        if not args.skip_faust_passthrough:
            with kept.phase("faust_passthrough"):
                report["faust_passthrough"] = run_passthrough(
                    settings, w, "faust", var, broker.pid, args.idle_timeout
                )
        if not (args.skip_pipeline and args.skip_quix):
            with kept.phase("prepare"):
                prepare(settings, people, args.person_batch, idle)
        if not args.skip_pipeline:
            with kept.phase("pipeline"):
                report["pipeline"] = run_pipeline(
                    replace(settings, metrics_port=0),
                    broker,
                    w,
                    people,
                    args,
                    var,
                    on_phase=kept.pipeline,
                )
        if not args.skip_pipeline and args.metrics_compare:
            with kept.phase("metrics"):
                report["metrics"] = compare_metrics(
                    settings, broker, people, args, var, report["pipeline"]
                )
        if not args.skip_quix:  # after the pipeline: its worker's ingress must not see these
            with kept.phase("quix"):
                report["quix"] = run_quix(settings, broker, w, people, args, var)
    return finish(report, args.output)


def finish(report: dict[str, Any], output: Path) -> int:
    """Write the report, print its summary table."""
    report["complete"] = True
    reporting.write(report, output)
    print(reporting.summary(report))
    print(f"written to {output}")
    return 0


@contextmanager
def cleaned_up(settings: Settings, var: Path, tenants: list[str], keep: bool) -> Iterator[None]:
    """Around a run: afterwards its topics, groups and tenants go (unless `keep`), and its temp
    dir `var` too when it succeeded; a failed run says where its processes' logs stay."""
    try:
        yield
    except BaseException:
        console.print(f"[red]the run failed; its processes' logs stay in {var}")
        raise
    else:
        if not keep:
            shutil.rmtree(var, ignore_errors=True)
    finally:
        if not keep:
            cleanup(settings, tenants)


def compare_metrics(
    settings: Settings,
    broker: Broker,
    people: Population,
    args: Any,
    var: Path,
    off: dict[str, Any],
) -> dict[str, Any]:
    """The pipeline again, its worker serving /metrics scraped every second, then once more with
    metrics off, each on fresh commands: off, on, off. Each phase finds the state the ones before
    it left (more lines, more answers per INSZ), so later phases are slower whatever the metrics;
    `on` is compared with the mean of the two `off` around it. Off, the worker counts nothing."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    fresh = people.workload(f"{settings.app_id}-metrics", args.commands)
    done, scrapes = threading.Event(), [0]

    def scrape() -> None:  # harsher than Prometheus' usual 15 s
        while not done.wait(1.0):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
                    r.read()
                scrapes[0] += 1
            except OSError:  # the worker is not up yet, or going
                continue

    scraper = threading.Thread(target=scrape, daemon=True)
    scraper.start()
    try:
        on = run_pipeline(replace(settings, metrics_port=port), broker, fresh, people, args, var)
    finally:
        done.set()
        scraper.join()
    again = people.workload(f"{settings.app_id}-metrics-off", args.commands)
    off_again = run_pipeline(replace(settings, metrics_port=0), broker, again, people, args, var)
    mean_off = (off["per_s"] + off_again["per_s"]) / 2
    return {
        "off_per_s": off["per_s"],
        "on_per_s": on["per_s"],
        "off_again_per_s": off_again["per_s"],
        "on_over_off": round(on["per_s"] / mean_off, 3),
        "scrapes": scrapes[0],
        "note": "one run: off, on (scraped every second), off again; on / mean of the two offs",
        "pipeline_metrics_on": on,
        "pipeline_metrics_off_again": off_again,
    }


def header(
    settings: Settings, base: Settings, args: Any, kinds: Any, mean_bytes: float
) -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_id": settings.app_id,
        "workload": {
            "commands": args.commands,
            "kinds": dict(kinds),
            "tenants": args.tenants,
            "idle_tenants": args.idle_tenants,
            "paced_rates": args.paced_rates,
            "insz": args.insz,
            "seed": args.seed,
            "paced_shares": args.paced,
            "paced_seconds": args.paced_seconds,
            "partitions": settings.partitions,
            "mean_value_bytes": round(mean_bytes, 1),
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
        "security": settings.security,
    }
