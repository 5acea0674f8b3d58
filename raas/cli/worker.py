"""`raas worker` (one stream worker) and `raas run` (the main job, with the demo flowing)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import typer
from rich.console import Console

from raas import demo
from raas.cli import options
from raas.cli.exits import Exit
from raas.cli.requests import describe
from raas.config import Settings
from raas.onboarding import add_tenant
from raas.outside.feeds import publish as publish_persons
from raas.stack import StackError, kafka, postgres
from raas.tenant_client import request

out = Console()
err = Console(stderr=True)


def worker(
    name: str = typer.Option("worker-1", "--name", help="Its data folder: var/<name>/<app id>."),
    loglevel: str = typer.Option("info", "--loglevel", help="debug, info, warning or error."),
    metrics_port: int | None = options.metrics_port(),
) -> None:
    """Run one stream worker in the foreground: ingress, register agent, tenant directory.

    Exits with code 1, saying why in one log line, when a background thread (the ingress, the
    tenant directory) dies, so a supervisor can restart it.
    """
    from streams.worker import run as run_worker

    settings = Settings.from_env(metrics_port=metrics_port)
    run_worker(settings, name=name, loglevel=loglevel)


def run(
    interval: float = typer.Option(2.0, "--interval", help="Seconds between demo commands."),
    count: int = typer.Option(0, "--count", help="Stop after this many demo commands (0: never)."),
) -> None:
    """The main job: broker, a worker, the sinks, a demo tenant and data flowing. Ctrl-C stops it
    all; a broker or PostgreSQL that was already running (`raas stack up`) stays up.

    The worker logs to var/worker-1.log, `raas sink` (the read side: the projection into the
    database of RAAS_DATABASE_URL, SQLite under var/ when unset, and the daily files) to
    var/sink.log.
    """
    settings = Settings.from_env()
    started_broker = started_postgres = False  # what was up before stays up after
    try:
        started_broker = kafka.start(settings)[1]
        if postgres.installed():
            started_postgres = postgres.start(settings)[1]
    except StackError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc
    worker_log, sink_log = settings.var_dir / "worker-1.log", settings.var_dir / "sink.log"
    out.print(
        f"Broker on {settings.bootstrap_servers}; worker log {worker_log}, sink log {sink_log}"
    )
    processes = [
        _start(["worker", "--name", "worker-1"], worker_log),
        _start(["sink"], sink_log),
    ]
    out.print(
        "The read side, from another shell: "
        f"`raas lines --tenant {demo.TENANT}`, `raas audit --tenant {demo.TENANT}`, "
        "`raas search --last-name Peeters --birth-date 1985-07-30`."
    )
    signal.signal(signal.SIGTERM, _interrupt)  # a supervisor's stop cleans up like Ctrl-C
    try:
        _demo(settings, interval, count)
    except KeyboardInterrupt:
        out.print("\nStopping.")
    finally:
        for proc in processes:
            proc.send_signal(signal.SIGTERM)
        for proc in processes:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if started_broker:
            kafka.stop_broker(settings)
        if started_postgres:
            postgres.stop(settings)
        out.print(
            "Worker and sinks stopped"
            + (", and the broker we started." if started_broker else "; the broker stays up.")
        )


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _start(arguments: list[str], log: Path) -> subprocess.Popen[bytes]:
    """`raas ARGUMENTS` in its own session (Ctrl-C reaches only us), its output into `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "raas.cli", *arguments],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _demo(settings: Settings, interval: float, count: int) -> None:
    from streams.worker import prepare_topics

    prepare_topics(settings)  # the broker creates no topic on a first write; the worker may be late
    config = add_tenant(settings, demo.TENANT, demo.TENANT_NAME, demo.DOSSIER_TYPES)
    out.print(f"Demo tenant {config.kbo} ({config.name})")
    publish_persons(settings, demo.persons())
    out.print(f"Published {len(demo.persons())} persons to authentic.persons")
    out.print("Waiting for the worker to join its group and recover its tables...")
    commands = demo.opening_commands()
    first = request(settings, demo.TENANT, commands[0], timeout=180)
    if first is None:
        raise typer.Exit(Exit.TIMEOUT)
    out.print(describe(commands[0], first))
    for command in commands[1:]:
        result = request(settings, demo.TENANT, command, timeout=settings.result_timeout)
        out.print(describe(command, result))
    publish_persons(settings, [demo.identity_change(), *demo.corrected_number()])
    out.print(
        f"Published an identity change of {demo.identity_change().insz} and the replacement "
        f"{demo.REPLACED} -> {demo.REPLACEMENT}: try "
        f"`raas tail raas.tenant.{demo.TENANT}.notifications`."
    )
    out.print(
        f"Data is flowing: a command every {interval:g} s. "
        f"Try `raas tail raas.tenant.{demo.TENANT}.results`. Ctrl-C stops."
    )
    out.print(
        "Play the outside world from another shell: `raas simulate persons 100`, "
        "`raas authentic replace --old X --new Y` (README: Playing the outside world)."
    )
    for n, command in enumerate(demo.flowing_commands(), start=1):
        out.print(describe(command, request(settings, demo.TENANT, command, timeout=30)))
        if count and n >= count:
            return
        time.sleep(interval)
