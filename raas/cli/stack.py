"""`raas stack up|status|down|fetch`: the local Kafka broker and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace

import typer
from rich.console import Console
from rich.table import Table

from raas.cli.exits import Exit
from raas.clients import make_admin
from raas.config import PLAIN, SECURE, Settings, as_user
from raas.security import ensure_service_users
from raas.stack import StackError, kafka, postgres
from raas.status.services import services

app = typer.Typer(help="Start, inspect and stop the local Kafka broker and PostgreSQL.")
out = Console()
err = Console(stderr=True, soft_wrap=True)  # an error stays one line


def _fail(exc: StackError) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc}")
    return typer.Exit(Exit.UNAVAILABLE)


@app.command()
def fetch() -> None:
    """Fetch the Kafka jars through Maven into kafka/lib (done by `up` when missing)."""
    try:
        version = kafka.fetch_jars(Settings.from_env())
    except StackError as exc:
        raise _fail(exc) from exc
    out.print(f"Kafka {version} jars in kafka/lib")


@app.command()
def up(
    install_postgres: bool = typer.Option(
        False, "--install-postgres", help="Install Debian's postgresql first when it is missing."
    ),
    with_postgres: bool = typer.Option(
        True, "--postgres/--no-postgres", help="Also start PostgreSQL when it is installed."
    ),
    secure: bool = typer.Option(
        False,
        "--secure",
        help="The secure broker (as RAAS_SECURITY=secure): SASL/SCRAM-SHA-512 logins, ACLs, "
        "an admin super user; its passwords in var/secure/secrets.json (mode 0600), its own data "
        "directory var/kafka-secure. Clients then need RAAS_SECURITY=secure.",
    ),
) -> None:
    """Start the broker (and PostgreSQL where installed). Running it twice starts nothing twice."""
    settings = Settings.from_env()
    if secure:
        settings = replace(settings, security=SECURE)
    try:
        pid, started = kafka.start(settings)
        verb = "started" if started else "already running"
        mode = "Secure Kafka broker" if settings.secure else "Kafka broker"
        out.print(
            f"{mode} {verb} on {settings.bootstrap_servers} (pid {pid}), "
            f"log {kafka.BrokerPaths.of(settings).log}"
        )
        if settings.secure:
            ensure_service_users(settings, make_admin(as_user(settings)))
            out.print(f"Passwords in {settings.secrets_path}; clients need RAAS_SECURITY=secure")
        if install_postgres:
            postgres.install()
        if with_postgres and postgres.installed():
            found, pg_started = postgres.start(settings)
            verb = "started" if pg_started else "already running"
            out.print(
                f"PostgreSQL {found.version}/{found.name} {verb} on port {found.port}, "
                f"database {settings.postgres_url.rsplit('/', 1)[-1]}"
            )
    except StackError as exc:
        raise _fail(exc) from exc


@app.command()
def status(
    as_json: bool = typer.Option(False, "--json", help="One JSON object per service."),
) -> None:
    """Show each service, its address, version and whether it is up; exit 4 if one is down."""
    settings = Settings.from_env()
    rows: list[dict[str, object]] = [
        {
            "service": s.name,
            "address": s.address,
            "version": s.version,
            "up": s.up,
            "pid": kafka.running_pid(settings) if s.name == "kafka" else None,
        }
        for s in services(settings)
    ]
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row))
    else:
        table = Table("service", "address", "version", "state")
        for row in rows:
            state = "[green]up[/green]" if row["up"] else "[red]down[/red]"
            table.add_row(str(row["service"]), str(row["address"]), str(row["version"]), state)
        out.print(table)
        if not postgres.installed():
            out.print("PostgreSQL is not installed; the main job uses SQLite under var/.")
    if not all(row["up"] for row in rows):
        raise typer.Exit(Exit.UNAVAILABLE)


@app.command()
def down() -> None:
    """Stop what `up` started: the brokers (plain, secure) by pid, PostgreSQL if `up` started it."""
    settings = Settings.from_env()
    try:
        stopped = kafka.stop_broker(replace(settings, security=PLAIN))
        secure_stopped = kafka.stop_broker(replace(settings, security=SECURE))
        if secure_stopped:
            out.print("Secure Kafka broker stopped")
        if stopped or not secure_stopped:
            out.print("Kafka broker stopped" if stopped else "Kafka broker was not running")
        if postgres.stop(settings):
            out.print("PostgreSQL stopped")
    except StackError as exc:
        raise _fail(exc) from exc
