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
from raas.clients import make_admin
from raas.config import Settings
from raas.domain.tenants import DossierType, NotAuthorized, TenantConfig
from raas.onboarding import (
    UnknownTenant,
    add_tenant,
    authorize_dimona_for,
    read_tenants,
    remove_tenant,
    subscribe_dimona_for,
    tenant_topics,
)
from raas.security import NotOnboarded, credentials
from raas.stack import StackError

app = typer.Typer(
    help="Add, list and remove tenants (organisations identified by their KBO number), authorise "
    "and subscribe them to Dimona; in secure mode (RAAS_SECURITY=secure) hand out their logins."
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

    In secure mode (RAAS_SECURITY=secure) also its SCRAM user tenant-<KBO> and its literal ACLs:
    WRITE on its commands topic, READ on its results, notifications and dimona topics, READ on
    consumer groups whose names start with its KBO. `raas tenant credentials KBO` gives the login.
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
                        "dimona_reference": config.dimona_reference,
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
        if config.dimona_reference:
            dimona += f" ({config.dimona_reference})"
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
    before, config = _act(lambda s: authorize_dimona_for(s, kbo, reference))
    if config is before:
        said = "was already authorised for"
    elif before.dimona_authorized:
        said = f"holds a new authorisation (it was {before.dimona_reference}) for"
    else:
        said = "authorised for"
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
    before, config = _act(lambda s: subscribe_dimona_for(s, kbo))
    said = "was already subscribed to" if config is before else "subscribed to"
    out.print(f"Tenant {config.kbo} ({config.name}) {said} {service.value}")


def _act(
    change: Callable[[Settings], tuple[TenantConfig, TenantConfig]],
) -> tuple[TenantConfig, TenantConfig]:
    """Run a read-modify-write of a tenant's config: exit 1 when refused, 4 without a broker."""
    try:
        return change(Settings.from_env())
    except (UnknownTenant, NotAuthorized) as exc:
        err.print(f"[red]refused:[/red] {exc}")
        raise typer.Exit(Exit.ERROR) from exc
    except (KafkaException, RuntimeError) as exc:
        err.print(f"[red]error:[/red] broker unavailable: {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc


@command(app, "credentials")
def credentials_(
    kbo: str = KBO,
    as_json: bool = typer.Option(False, "--json", help="One JSON object."),
    rotate: bool = typer.Option(
        False, "--rotate", help="Give the tenant a new password; the old one stops working."
    ),
) -> None:
    """Secure mode: the tenant's login (username, password, bootstrap_servers).

    Prints the password: hand it to the tenant over a safe channel. Exit 2 in plain mode, 1 when
    the tenant has no user (add it with `raas tenant add KBO`).
    """
    settings = Settings.from_env()
    if not settings.secure:
        err.print(
            "[red]error:[/red] tenants have logins only in secure mode (RAAS_SECURITY=secure)"
        )
        raise typer.Exit(Exit.USAGE)
    try:
        login = credentials(settings, make_admin(settings), kbo, rotate)
    except NotOnboarded as exc:
        err.print(f"[red]refused:[/red] {exc}")
        raise typer.Exit(Exit.ERROR) from exc
    except (KafkaException, StackError) as exc:
        err.print(f"[red]error:[/red] broker unavailable: {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc
    if as_json:
        typer.echo(json.dumps(login))
        return
    for key, value in login.items():
        typer.echo(f"{key}: {value}")


@command(app, "remove")
def remove(
    kbo: str = KBO,
    delete_topics: bool = typer.Option(
        False, "--delete-topics", help="Also delete the tenant's four topics and their data."
    ),
) -> None:
    """Off-board a tenant: a tombstone for its config; in secure mode its user and ACLs go too.

    Its topics stay unless --delete-topics. Removing a removed tenant changes nothing.
    """
    settings = Settings.from_env()
    try:
        known = remove_tenant(settings, kbo, delete_topics)
    except (KafkaException, RuntimeError) as exc:
        err.print(f"[red]error:[/red] broker unavailable: {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc
    said = "removed" if known else "had no config; its user, ACLs and topics are gone if any were"
    out.print(f"Tenant {kbo} {said}" + ("; topics deleted" if delete_topics else ""))
