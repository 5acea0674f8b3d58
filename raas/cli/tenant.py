"""`raas tenant add|list`: tenants, their TypeDossiers and their topics."""

from __future__ import annotations

import json

import typer
from confluent_kafka import KafkaException
from rich.console import Console
from rich.table import Table

from raas.cli import options
from raas.cli.exits import Exit
from raas.config import Settings
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant, read_tenants, tenant_topics

app = typer.Typer(help="Add and list tenants: organisations, each known by its KBO number.")
out = Console()
err = Console(stderr=True, soft_wrap=True)  # an error stays one line


@app.command("add")
def add(
    kbo: str = typer.Argument(
        ..., help="KBO enterprise number, 10 digits.", metavar="KBO", parser=options.kbo
    ),
    name: str | None = options.checked(None, "--name", options.text, "The organisation's name."),
    dossier_types: list[DossierType] = typer.Option(
        [],
        "--dossier-type",
        "-t",
        help="CODE:LABEL, repeatable, e.g. -t 1:examination; CODE is 1..2147483647.",
        metavar="CODE:LABEL",
        parser=options.dossier_type,
    ),
) -> None:
    """Create or update a tenant: its config on raas.admin.tenants and its four topics.

    Re-adding a tenant adds the new dossier types and keeps the others. Idempotent.
    """
    try:
        config = add_tenant(Settings.from_env(), kbo, name, dossier_types)
    except KafkaException as exc:
        err.print(f"[red]error:[/red] broker unavailable: {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc
    codes = ", ".join(f"{t.code}:{t.label}" for t in config.dossier_types) or "none"
    out.print(f"Tenant {config.kbo} ({config.name}) ready; dossier types {codes}")
    out.print("Topics: " + ", ".join(tenant_topics(kbo)))


@app.command("list")
def list_(
    as_json: bool = typer.Option(False, "--json", help="One JSON object per tenant."),
) -> None:
    """Show every tenant with its dossier types and Dimona rights."""
    try:
        tenants = read_tenants(Settings.from_env())
    except KafkaException as exc:
        err.print(f"[red]error:[/red] broker unavailable: {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc
    if as_json:
        for config in tenants.values():
            typer.echo(
                json.dumps(
                    {
                        "kbo": config.kbo,
                        "name": config.name,
                        "dossier_types": {t.code: t.label for t in config.dossier_types},
                        "dimona_authorized": config.dimona_authorized,
                        "dimona_subscribed": config.dimona_subscribed,
                    }
                )
            )
        return
    table = Table("KBO", "name", "dossier types", "Dimona")
    for config in sorted(tenants.values(), key=lambda c: c.kbo):
        dimona = (
            "subscribed"
            if config.receives_dimona
            else ("authorised" if config.dimona_authorized else "-")
        )
        types = ", ".join(f"{t.code}:{t.label}" for t in config.dossier_types)
        table.add_row(config.kbo, config.name, types, dimona)
    out.print(table)
