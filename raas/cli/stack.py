"""`raas stack up|status|down|fetch|register-schemas`: the broker, the registry and PostgreSQL."""

from __future__ import annotations

import json
import time
from dataclasses import replace

import typer
from rich.console import Console
from rich.table import Table

from raas.cli.exits import Exit
from raas.clients import make_admin
from raas.codec.ids import read_table
from raas.codec.schemas import Catalogue
from raas.config import PLAIN, SECURE, Settings, as_user
from raas.security import ensure_service_users
from raas.stack import StackError, kafka, postgres, registry
from raas.stack.registry_schemas import ApicurioApi, IdMismatch, fill_registry
from raas.status.services import registry_service, services

app = typer.Typer(
    help="Start, inspect and stop the local Kafka broker, the schema registry and PostgreSQL."
)
out = Console()
err = Console(stderr=True, soft_wrap=True)  # an error stays one line


def _fail(exc: StackError) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc}")
    return typer.Exit(Exit.UNAVAILABLE)


@app.command()
def fetch() -> None:
    """Fetch the Kafka jars into kafka/lib and the schema registry into registry/app (Maven).

    `up` does it too when they are missing.
    """
    settings = Settings.from_env()
    try:
        version = kafka.fetch_jars(settings)
        out.print(f"Kafka {version} jars in {kafka.BrokerPaths.of(settings).lib}")
        version = registry.fetch_app(settings)
        out.print(f"Apicurio Registry {version} in {registry.RegistryPaths.of(settings).app}")
    except StackError as exc:
        raise _fail(exc) from exc


def _fill(settings: Settings) -> None:
    """Register every released schema under its id of avro/schema-ids.json, and say so."""
    try:
        filled = fill_registry(ApicurioApi(settings.registry_url), Catalogue(), read_table())
    except IdMismatch as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(Exit.ERROR) from exc
    out.print(
        f"{filled.total} schemas under the ids of avro/schema-ids.json ({filled.registered} "
        f"registered now); Confluent API {settings.ccompat_url}"
    )


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
    with_registry: bool = typer.Option(
        True,
        "--registry/--no-registry",
        help="Also start the schema registry (Apicurio, RAAS_REGISTRY_PORT, default 8081) and "
        "register every schema under its id of avro/schema-ids.json.",
    ),
) -> None:
    """Start the broker, the schema registry and PostgreSQL (where installed).

    Running it twice starts nothing twice. Exit 4 when a service cannot start, 1 when the
    registry holds ids that disagree with avro/schema-ids.json.
    """
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
        if with_registry:
            pid, started = registry.start(settings)
            verb = "started" if started else "already running"
            out.print(
                f"Schema registry {verb} on {settings.registry_url} (pid {pid}), "
                f"log {registry.RegistryPaths.of(settings).log}"
            )
            _fill(settings)
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
    rows.append(_registry_row(settings))
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row))
    else:
        table = Table("service", "address", "version", "state")
        for row in rows:
            state = _state(row["up"])
            table.add_row(str(row["service"]), str(row["address"]), str(row["version"]), state)
        out.print(table)
        if not postgres.installed():
            out.print("PostgreSQL is not installed; the main job uses SQLite under var/.")
    if not all(row["up"] for row in rows if row["up"] is not None):
        raise typer.Exit(Exit.UNAVAILABLE)


def _registry_row(settings: Settings) -> dict[str, object]:
    """The registry's row; `up` is None (not counted) when none answers and `up` started none."""
    found = registry_service(settings)
    return {
        "service": "schema-registry",
        "address": settings.ccompat_url,
        "version": found.version if found else registry.app_version(settings),
        "up": found.up if found else None,
        "pid": registry.running_pid(settings),
    }


def _state(up: object) -> str:
    if up is None:
        return "not started"
    return "[green]up[/green]" if up else "[red]down[/red]"


@app.command()
def down() -> None:
    """Stop what `up` started: the brokers (plain, secure) and the registry by pid, PostgreSQL
    if `up` started it."""
    settings = Settings.from_env()
    try:
        if registry.stop_registry(settings):
            out.print("Schema registry stopped")
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


@app.command("register-schemas")
def register_schemas(
    timeout: float = typer.Option(
        60.0, "--timeout", min=0.1, help="Seconds to wait for the registry to answer."
    ),
) -> None:
    """Fill the registry at RAAS_REGISTRY_URL from avro/schema-ids.json and check its ids.

    `up` does this for the registry it starts; this is for one started elsewhere (the
    docker-compose `registry`). Exit 1 when the registry's ids disagree with the table, 4 when
    it does not answer within --timeout.
    """
    settings = Settings.from_env()
    api = ApicurioApi(settings.registry_url, timeout=2.0)
    deadline = time.monotonic() + timeout
    while api.version() is None:
        if time.monotonic() > deadline:
            err.print(f"[red]error:[/red] no schema registry answers on {settings.registry_url}")
            raise typer.Exit(Exit.UNAVAILABLE)
        time.sleep(0.5)
    try:
        _fill(settings)
    except StackError as exc:
        raise _fail(exc) from exc
