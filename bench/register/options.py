"""The command line of `python -m bench.register`."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "results" / "register_throughput.json"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.register",
        description="The register pipeline (one `raas worker`) end to end, against a "
        "confluent-kafka passthrough, a Faust passthrough with the same levers and a Quix Streams "
        "peer, all on the same workload in one run; then paced runs of the pipeline for honest "
        "latency. Needs the broker at RAAS_BOOTSTRAP_SERVERS (`make start`); starts and stops "
        "its own processes. Writes JSON and prints a summary table.",
        epilog="Quick: --commands 20000 --insz 5000 --output /tmp/rt.json (or `make bench-quick`). "
        "Secure against plain: --secure-compare --commands 20000 --insz 5000 --paced ''",
    )
    add = parser.add_argument
    add("--commands", type=int, default=200_000, help="commands of the open-loop phases: 80%% "
        "Register, 10%% Delete, 10%% Consult (default 200000)")  # fmt: skip
    add("--insz", type=int, default=50_000, help="distinct INSZs, each published as a person first")
    add("--tenants", type=int, default=10, help="fresh tenants (default 10)")
    add("--paced", type=lambda s: [float(x) for x in s.split(",") if x], default=[0.5, 0.8],
        metavar="SHARES", help="paced phases at these shares of the measured maximum, comma "
        "separated; '' for none (default 0.5,0.8)")  # fmt: skip
    add("--paced-rates", type=lambda s: [float(x) for x in s.split(",") if x], default=[],
        metavar="RATES", help="paced phases at these absolute rates, commands/s, comma separated, "
        "after the --paced ones (default none)")  # fmt: skip
    add("--idle-tenants", type=int, default=0, help="onboard this many more tenants that get no "
        "command: the ingress then reads their commands topics too (default 0)")  # fmt: skip
    add("--paced-seconds", type=float, default=30, help="length of each paced phase (default 30)")
    add("--seed", type=int, default=20250501, help="workload seed")
    add("--output", type=Path, default=RESULTS, help=f"the JSON (default {RESULTS})")
    add("--skip-passthrough", action="store_true", help="no confluent-kafka passthrough")
    add("--skip-faust-passthrough", action="store_true", help="no Faust passthrough")
    add("--skip-quix", action="store_true", help="no Quix Streams peer")
    add("--skip-pipeline", action="store_true", help="no pipeline (baselines only)")
    add("--count-requests", action="store_true", help="count the broker's requests per command "
        "by client and API in each paced phase, from its request log (issue 10); the broker's "
        "CPU in those phases then includes that logging")  # fmt: skip
    add("--broker-profile", action="store_true", help="record the broker with Java Flight "
        "Recorder in each paced phase and sum up where its Java time goes, by thread and by "
        "work (fetch, produce, transactions, request metrics...) (issue 10; needs a JDK's jcmd "
        "and jfr); the broker's CPU figures then include the recorder's, and the first "
        "recording's start in the broker's life")  # fmt: skip
    add("--secure-compare", action="store_true", help="only the pipeline, on the plain broker and "
        "on a secure one (SASL/SCRAM, ACLs) the run starts and stops, the same workload on each: "
        "what secure mode costs (issue 13); JSON by default to "
        "bench/results/register_secure_compare.json")  # fmt: skip
    add("--rounds", type=int, default=1, help="with --secure-compare: plain then secure, then "
        "secure then plain..., this many rounds; the figure is the mean (default 1)")  # fmt: skip
    add("--metrics-compare", action="store_true", help="run the pipeline twice, its worker's "
        "Prometheus metrics off and then on (issue 14), on fresh commands each time")  # fmt: skip
    add(
        "--keep",
        action="store_true",
        help="keep the run's topics, groups, tenants and temp dir (the processes' logs; a "
        "failed run keeps its temp dir anyway)",
    )
    add("--idle-timeout", type=float, default=120, help="give up after this many seconds "
        "without a new result (default 120)")  # fmt: skip
    add("--person-batch", type=int, default=5000, help="persons per publish_persons call")
    add("--py-spy", type=Path, metavar="FILE", help="record the worker with py-spy during the "
        "pipeline's phases, collapsed stacks to FILE (the figures are then not clean)")  # fmt: skip
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    add("--py-spy-bin", default=py_spy, help=argparse.SUPPRESS)
    return parser.parse_args(argv)
