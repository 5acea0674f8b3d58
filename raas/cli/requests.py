"""`raas register|delete|consult`: commands sent to a tenant's topic, answered on its results."""

from __future__ import annotations

import json
import uuid
from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from raas import codec
from raas.cli import options
from raas.cli.exits import Exit
from raas.config import Settings
from raas.domain.birthdates import BirthDate
from raas.domain.commands import Command, Consult, Delete, Register
from raas.domain.periods import Period
from raas.domain.persons import IdentityClaim
from raas.domain.results import CommandResult, Status
from raas.domain.sex import Sex
from raas.tenant_client import NotOnboarded, Unavailable, request

out = Console()
err = Console(stderr=True, soft_wrap=True)  # an error stays one line

TENANT = options.checked(..., "--tenant", options.kbo, "The tenant's KBO number.")
INSZ = options.checked(
    ..., "--insz", options.insz, "The person's INSZ (11 digits; dots and dashes allowed)."
)
FROM = options.checked(None, "--from", options.day, "First day.")
TO = options.checked(None, "--to", options.day, "Last day; open-ended when left out.")
REQUEST_ID = options.checked(
    None,
    "--request-id",
    options.limited("request_id"),
    "Your idempotency key (at most 64 characters; a new UUID when left out). Remembered per "
    "INSZ for 7 days: the same id with the same command returns the first result; with another "
    "command it is refused (316). On another INSZ it is a new command. A consult's id is not "
    "remembered.",
)
REFERENCE = options.checked(
    None, "--reference", options.limited("reference"), "Your own reference, echoed back."
)
TIMEOUT = options.checked(
    30.0,
    "--timeout",
    options.seconds,
    "Seconds to wait for the result once the command is sent; above 0.",
)
JSON = typer.Option(False, "--json", help="Print the CommandResult as one JSON object.")


def _period(first: date | None, last: date | None) -> Period | None:
    """The period of --from and --to; none when both are left out. A --to alone is refused."""
    if first is None:
        if last is not None:
            raise typer.BadParameter("--to needs --from", param_hint="'--to'")
        return None
    return Period(first, last)


def send_and_wait(tenant: str, command: Command, timeout: float, as_json: bool) -> None:
    settings = Settings.from_env()
    try:
        result = request(settings, tenant, command, timeout)
    except NotOnboarded as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(Exit.ERROR) from exc
    except Unavailable as exc:
        err.print(f"[red]error:[/red] broker at {settings.bootstrap_servers} unavailable: {exc}")
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
    type_dossier: int = options.checked(
        ..., "--type", options.dossier_code, "A TypeDossier code of the tenant."
    ),
    begin: date = options.checked(..., "--from", options.day, "First day."),
    end: date | None = TO,
    last_name: str | None = options.checked(
        None, "--last-name", options.limited("last_name"), "Checked against the authentic source."
    ),
    first_name: str | None = options.checked(
        None, "--first-name", options.limited("first_name"), "Checked likewise."
    ),
    birth_date: BirthDate | None = options.checked(
        None, "--birth-date", options.birth_date, "Checked likewise; MM or DD 00 when unknown."
    ),
    sex: Sex | None = options.checked(None, "--sex", options.sex, "M, F or U; checked likewise."),
    request_id: str | None = REQUEST_ID,
    reference: str | None = REFERENCE,
    timeout: float = TIMEOUT,
    as_json: bool = JSON,
) -> None:
    """Register a line (INSZ, TypeDossier, period).

    Lines of the same TypeDossier whose periods overlap or touch merge into one. Exit 0 on OK or
    WARNING, 1 on ERROR (the codes are printed), 3 when no answer came within --timeout.
    """
    claim = IdentityClaim(last_name, first_name, birth_date, sex)
    command = Register(
        request_id or str(uuid.uuid4()),
        reference,
        insz,
        type_dossier,
        Period(begin, end),
        None if claim == IdentityClaim() else claim,
    )
    send_and_wait(tenant, command, timeout, as_json)


def delete(
    tenant: str = TENANT,
    insz: str = INSZ,
    type_dossier: int = options.checked(
        ..., "--type", options.dossier_code, "The TypeDossier of the lines."
    ),
    begin: date | None = FROM,
    end: date | None = TO,
    request_id: str | None = REQUEST_ID,
    reference: str | None = REFERENCE,
    timeout: float = TIMEOUT,
    as_json: bool = JSON,
) -> None:
    """Delete lines of an INSZ and TypeDossier.

    Without --from every line of the TypeDossier goes; with --from (and --to) only those days
    are cut out, so a line may be shortened or split in two.
    """
    command = Delete(
        request_id or str(uuid.uuid4()), reference, insz, type_dossier, _period(begin, end)
    )
    send_and_wait(tenant, command, timeout, as_json)


def consult(
    tenant: str = TENANT,
    insz: str = INSZ,
    type_dossier: int | None = options.checked(
        None, "--type", options.dossier_code, "Only this TypeDossier."
    ),
    begin: date | None = FROM,
    end: date | None = TO,
    request_id: str | None = REQUEST_ID,
    reference: str | None = REFERENCE,
    timeout: float = TIMEOUT,
    as_json: bool = JSON,
) -> None:
    """Consult your own lines of an INSZ.

    --type keeps one TypeDossier; --from (and --to) keeps the lines overlapping those days.
    """
    command = Consult(
        request_id or str(uuid.uuid4()), reference, insz, type_dossier, _period(begin, end)
    )
    send_and_wait(tenant, command, timeout, as_json)
