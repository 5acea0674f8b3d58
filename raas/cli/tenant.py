"""`raas tenant add|list|authorize|subscribe`: tenants, their TypeDossiers, topics and rights."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum

import typer
from confluent_kafka import KafkaException
from rich.console import Console
from rich.table import Table

from raas.cli import options
from raas.cli.exits import Exit
from raas.cli.prose import command
from raas.config import Settings
from raas.domain.tenants import DossierType, NotAuthorized, TenantConfig
from raas.onboarding import (
    UnknownTenant,
    add_tenant,
    authorize_dimona_for,
    read_tenants,
    subscribe_dimona_for,
    tenant_topics,
)

app = typer.Typer(
    help="Add and list tenants (organisations identified by their KBO number), authorise and "
    "subscribe them to Dimona."
)
out = Console()
err = Console(stderr=True, soft_wrap=True)  # an error stays one line


KBO = typer.Argument(
    ..., help="KBO enterprise number, 10 digits.", metavar="KBO", parser=options.kbo
)


@app.command("add")
def add(
    kbo: str = KBO,
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


class Service(StrEnum):
    DIMONA = "dimona"


SERVICE = typer.Argument(..., help="The data service: dimona.", case_sensitive=False)


@command(app, "authorize")
def authorize(
    kbo: str = KBO,
    service: Service = SERVICE,
    reference: str = options.checked(
        ..., "--reference", options.text, "The authorisation's reference (a deliberation number)."
    ),
) -> None:
    """Operator: authorise the tenant to receive a data service (Dimona). Idempotent.

    The tenant then subscribes with `raas tenant subscribe KBO dimona`; authorised alone it gets
    nothing. Authorising again changes nothing.
    """
    config, changed = _act(lambda s: authorize_dimona_for(s, kbo, reference))
    said = "authorised for" if changed else "was already authorised for"
    out.print(f"Tenant {config.kbo} ({config.name}) {said} {service.value} (reference {reference})")


@command(app, "subscribe")
def subscribe(
    kbo: str = KBO,
    service: Service = SERVICE,
) -> None:
    """Subscribe the tenant to a data service (Dimona); refused (exit 1) without authorisation.

    A subscribed tenant receives on raas.tenant.<KBO>.dimona the declarations of the INSZs in its
    register whose employment overlaps one of its lines. Subscribing again changes nothing.
    """
    config, changed = _act(lambda s: subscribe_dimona_for(s, kbo))
    said = "subscribed to" if changed else "was already subscribed to"
    out.print(f"Tenant {config.kbo} ({config.name}) {said} {service.value}")


def _act(change: Callable[[Settings], tuple[TenantConfig, bool]]) -> tuple[TenantConfig, bool]:
    """Run a read-modify-write of a tenant's config: exit 1 when refused, 4 without a broker."""
    try:
        return change(Settings.from_env())
    except (UnknownTenant, NotAuthorized) as exc:
        err.print(f"[red]refused:[/red] {exc}")
        raise typer.Exit(Exit.ERROR) from exc
    except (KafkaException, RuntimeError) as exc:
        err.print(f"[red]error:[/red] broker unavailable: {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc
