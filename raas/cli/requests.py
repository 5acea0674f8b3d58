"""`raas register|delete|consult`: commands sent to a tenant's topic, answered on its results."""

from __future__ import annotations

import json
import uuid

import typer
from rich.console import Console
from rich.table import Table

from raas import codec
from raas.cli import options
from raas.cli.exits import Exit
from raas.config import Settings
from raas.domain.commands import Command, Consult, Delete, Register
from raas.domain.periods import Period
from raas.domain.persons import IdentityClaim
from raas.domain.results import CommandResult, Status
from raas.tenant_client import Unavailable, request

out = Console()
err = Console(stderr=True)

TENANT = typer.Option(..., "--tenant", help="The tenant's KBO number.", callback=options.kbo)
INSZ = typer.Option(..., "--insz", help="The person's INSZ (11 digits; dots and dashes allowed).")
FROM = typer.Option(None, "--from", help="First day, YYYY-MM-DD.")
TO = typer.Option(None, "--to", help="Last day, YYYY-MM-DD; open-ended when left out.")
REQUEST_ID = typer.Option(
    None,
    "--request-id",
    help="Your idempotency key (at most 64 characters; a new UUID when left out). Remembered per "
    "INSZ for 7 days: the same id with the same command returns the first result; with another "
    "command it is refused (316). On another INSZ it is a new command. A consult's id is not "
    "remembered.",
)
REFERENCE = typer.Option(None, "--reference", help="Your own reference, echoed back.")
TIMEOUT = typer.Option(30.0, "--timeout", help="Seconds to wait for the result.")
JSON = typer.Option(False, "--json", help="Print the CommandResult as one JSON object.")


def _period(begin: str | None, end: str | None, required: bool) -> Period | None:
    first, last = options.day(begin), options.day(end)
    if first is None:
        if last is not None:
            raise typer.BadParameter("--to needs --from")
        if required:
            raise typer.BadParameter("--from is required")
        return None
    return Period(first, last)


def _required(period: Period | None) -> Period:
    assert period is not None  # _period(..., required=True) never gives None
    return period


def _send(tenant: str, command: Command, timeout: float, as_json: bool) -> None:
    try:
        result = request(Settings.from_env(), tenant, command, timeout)
    except Unavailable as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc
    if result is None:
        err.print(
            f"[red]error:[/red] no result for request {command.request_id} within "
            f"{timeout:g} s; is a worker running (`raas worker`)?"
        )
        raise typer.Exit(Exit.TIMEOUT)
    if as_json:
        typer.echo(json.dumps(codec.to_json(result)))
    else:
        _print(result)
    raise typer.Exit(Exit.ERROR if result.status is Status.ERROR else Exit.OK)


def _print(result: CommandResult) -> None:
    colour = {Status.OK: "green", Status.WARNING: "yellow", Status.ERROR: "red"}[result.status]
    out.print(
        f"[{colour}]{result.status.value}[/{colour}] request {result.request_id} "
        f"ticket {result.ticket}" + (f" insz {result.insz}" if result.insz else "")
    )
    for d in result.details:
        out.print(f"  {d.code} {d.message}" + (f" (field {d.field})" if d.field else ""))
    if result.lines:
        table = Table("INSZ", "type", "from", "to")
        for line in result.lines:
            end = line.period.end.isoformat() if line.period.end else "open"
            table.add_row(line.insz, str(line.type_dossier), line.period.begin.isoformat(), end)
        out.print(table)


def describe(command: Command, result: CommandResult | None) -> str:
    """One line: the command, its status and codes, and the lines it shows."""
    what = f"{type(command).__name__:<8} {getattr(command, 'insz', '')}"
    if result is None:
        return f"{what}  [red]no result in time[/red]"
    codes = " ".join(str(d.code) for d in result.details)
    lines = "; ".join(
        f"{ln.type_dossier}:{ln.period.begin}..{ln.period.end or 'open'}" for ln in result.lines
    )
    return f"{what}  {result.status.value:<7} {codes:<12} {lines}"


def register(
    tenant: str = TENANT,
    insz: str = INSZ,
    type_dossier: int = typer.Option(..., "--type", help="A TypeDossier code of the tenant."),
    begin: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD."),
    end: str | None = TO,
    last_name: str | None = typer.Option(None, "--last-name", help="Checked against the source."),
    first_name: str | None = typer.Option(None, "--first-name", help="Checked likewise."),
    birth_date: str | None = typer.Option(None, "--birth-date", help="YYYY-MM-DD, 00 if unknown."),
    sex: str | None = typer.Option(None, "--sex", help="M, F or U."),
    request_id: str | None = REQUEST_ID,
    reference: str | None = REFERENCE,
    timeout: float = TIMEOUT,
    as_json: bool = JSON,
) -> None:
    """Register a line (INSZ, TypeDossier, period); overlapping or touching periods merge."""
    claim = IdentityClaim(last_name, first_name, options.birth_date(birth_date), options.sex(sex))
    command = Register(
        request_id or str(uuid.uuid4()),
        reference,
        insz,
        type_dossier,
        _required(_period(begin, end, required=True)),
        None if claim == IdentityClaim() else claim,
    )
    _send(tenant, command, timeout, as_json)


def delete(
    tenant: str = TENANT,
    insz: str = INSZ,
    type_dossier: int = typer.Option(..., "--type", help="The TypeDossier of the lines."),
    begin: str | None = FROM,
    end: str | None = TO,
    request_id: str | None = REQUEST_ID,
    reference: str | None = REFERENCE,
    timeout: float = TIMEOUT,
    as_json: bool = JSON,
) -> None:
    """Delete lines: all of (INSZ, TypeDossier), or cut a period out of them."""
    command = Delete(
        request_id or str(uuid.uuid4()),
        reference,
        insz,
        type_dossier,
        _period(begin, end, required=False),
    )
    _send(tenant, command, timeout, as_json)


def consult(
    tenant: str = TENANT,
    insz: str = INSZ,
    type_dossier: int | None = typer.Option(None, "--type", help="Only this TypeDossier."),
    begin: str | None = FROM,
    end: str | None = TO,
    request_id: str | None = REQUEST_ID,
    reference: str | None = REFERENCE,
    timeout: float = TIMEOUT,
    as_json: bool = JSON,
) -> None:
    """Consult your own lines of an INSZ, optionally by TypeDossier and overlapping a period."""
    command = Consult(
        request_id or str(uuid.uuid4()),
        reference,
        insz,
        type_dossier,
        _period(begin, end, required=False),
    )
    _send(tenant, command, timeout, as_json)
