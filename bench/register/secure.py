"""`--secure-compare`: the register pipeline on the plain broker and on a secure one, in one run.

The plain broker is the one at RAAS_BOOTSTRAP_SERVERS; the secure broker (SASL/SCRAM-SHA-512 and
ACLs, `raas stack up --secure`'s) is started by the run on free ports, its data and secrets in the
run's temp dir, and stopped at its end. Each round runs the same workload on each broker in turn
(plain first in odd rounds, secure first in even ones, so a drift of the machine's load falls on
both): fresh app id and worker, the worker as `svc-worker` and its ingress as `svc-ingress` on the
secure one, the load as `admin`. The figure is what SCRAM and the ACL checks cost: commands per
second and broker CPU per command of each (means over the rounds), their ratio and difference.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from statistics import mean
from typing import Any

from bench.register.measure import Broker
from bench.register.phase import console
from bench.register.pipeline import cleanup, prepare, run_pipeline
from bench.register.workload import Population, Workload
from raas.clients import make_admin
from raas.config import SECURE, Settings
from raas.security import ensure_service_users
from raas.stack import kafka

RESULTS = Path(__file__).resolve().parents[1] / "results" / "register_secure_compare.json"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def secure_broker(plain: Settings, var: Path) -> Iterator[Settings]:
    """A secure broker of the run's own, on free ports, its data and secrets under `var`."""
    port = _free_port()
    settings = replace(
        plain,
        kafka_host="127.0.0.1",
        kafka_port=port,
        controller_port=_free_port(),
        bootstrap_servers=f"127.0.0.1:{port}",
        var_dir=var,
        security=SECURE,
        sasl_username="",  # the bench's own clients log in as admin
        sasl_password="",
        secrets_file=var / "secure" / "secrets.json",  # kept when a mode changes var_dir
    )
    with console.status("starting the secure broker"):
        kafka.start(settings)
    try:
        yield settings
    finally:
        kafka.stop_broker(settings)


def run_mode(
    settings: Settings,
    broker: Broker,
    label: str,
    w: Workload,
    people: Population,
    args: Any,
    var: Path,
) -> dict[str, Any]:
    """The open-loop pipeline (and the paced phases of `args`) on the broker of `settings` (the
    process `broker`), under a fresh app id; the run's topics, groups and tenants go afterwards
    unless `--keep`."""
    settings = replace(settings, app_id=f"{settings.app_id}-{label}", var_dir=var / label)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    if settings.secure:
        ensure_service_users(settings, make_admin(settings))
    console.print(f"[bold]{label}[/bold]: {settings.bootstrap_servers} ({settings.security})")
    try:
        prepare(settings, people, args.person_batch)
        return run_pipeline(replace(settings, metrics_port=0), broker, w, people, args, var / label)
    finally:
        if not args.keep:
            cleanup(settings, people.tenants)


def compare(
    plain: Settings,
    plain_broker: Broker,
    w: Workload,
    people: Population,
    args: Any,
    var: Path,
) -> dict[str, Any]:
    """Each round: the pipeline on the plain broker, then on the secure one; and the figure."""
    if plain.secure:
        raise SystemExit("--secure-compare starts its own secure broker: run it with the plain "
                         "broker at RAAS_BOOTSTRAP_SERVERS (RAAS_SECURITY unset)")  # fmt: skip
    if plain_broker.pid is None:
        raise SystemExit("--secure-compare measures the plain broker's CPU: start it with "
                         "`raas stack up` (or `make start`), with this RAAS_VAR_DIR")  # fmt: skip
    rounds: list[dict[str, Any]] = []
    with secure_broker(plain, var / "secure-broker") as secure:
        # (settings, broker process) by mode; the plain broker is the one the run found
        brokers = {"plain": (plain, plain_broker), "secure": (secure, Broker.of(secure))}
        for n in range(1, args.rounds + 1):
            order = list(brokers.items())[:: 1 if n % 2 else -1]  # drift falls on both sides
            rounds.append(
                {
                    mode: run_mode(settings, broker, f"{mode}{n}", w, people, args, var)
                    for mode, (settings, broker) in order
                }
            )
    return {"rounds": rounds, **figure(rounds)}


def figure(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Per mode the mean over the rounds of commands/s and broker CPU µs per command; secure
    against plain as a ratio, and the broker CPU that SCRAM and the ACLs add per command."""
    per_mode = {
        mode: {
            "per_s": round(mean(r[mode]["per_s"] for r in rounds), 1),
            "broker_cpu_us_per_command": round(
                mean(r[mode]["cpu_us_per_command"]["broker"] for r in rounds), 1
            ),
        }
        for mode in ("plain", "secure")
    }
    plain, secure = per_mode["plain"], per_mode["secure"]
    return {
        **per_mode,
        "secure_over_plain": {
            name: round(secure[name] / plain[name], 3)
            for name in ("per_s", "broker_cpu_us_per_command")
        },
        "broker_cpu_us_added_per_command": round(
            secure["broker_cpu_us_per_command"] - plain["broker_cpu_us_per_command"], 1
        ),
    }


def summary_line(compared: dict[str, Any]) -> str:
    plain, secure, ratio = compared["plain"], compared["secure"], compared["secure_over_plain"]
    return (
        f"secure / plain: {secure['per_s']:.0f} / {plain['per_s']:.0f} commands/s "
        f"(x{ratio['per_s']}), broker {secure['broker_cpu_us_per_command']:.0f} / "
        f"{plain['broker_cpu_us_per_command']:.0f} µs per command "
        f"(x{ratio['broker_cpu_us_per_command']}, "
        f"{compared['broker_cpu_us_added_per_command']:+.0f} µs)"
    )
