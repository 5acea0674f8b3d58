"""`raas daily write|verify`: the daily files with vouchers that receivers fetch in order."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy import MetaData
from sqlalchemy.exc import OperationalError

from raas.cli import options
from raas.cli.database import open_database, reflect, unavailable
from raas.cli.exits import Exit
from raas.cli.prose import command
from raas.config import Settings
from sinks.daily import table_records, verify_directory, write_daily_files

app = typer.Typer(help="Write and verify daily files and their vouchers.", no_args_is_help=True)

FLOW_TABLES = {"notifications": "notifications", "dimona": "dimona_mutations"}


@command(app, "write")
def write(
    tenant: str = typer.Option(..., "--tenant", callback=options.kbo, help="KBO, 10 digits."),
    day: str = typer.Option(..., "--date", help="The Europe/Brussels day, YYYY-MM-DD."),
    out: Path = typer.Option(..., "--out", file_okay=False, help="The folder to write into."),
) -> None:
    """Write the tenant's data file and voucher of each flow (notifications, dimona) for the day.

    A day without records still gets its files. The sequence number runs per tenant and flow;
    rerunning a day rewrites its files under the same number. Only one process writes at a time.
    """
    wanted = options.day(day)
    if wanted is None:
        raise typer.BadParameter("a date is required", param_hint="--date")
    engine = open_database(Settings.from_env())
    try:
        metadata = MetaData()
        sources = {
            flow: table_records(reflect(engine, metadata, name))
            for flow, name in FLOW_TABLES.items()
        }
        ledger = reflect(engine, metadata, "daily_files")  # made by the migrations
        written = write_daily_files(engine, ledger, sources, tenant, wanted, out)
    except OperationalError as exc:
        raise unavailable(f"the database does not answer: {exc.orig}") from exc
    finally:
        engine.dispose()
    for file in written:
        voucher = file.voucher
        typer.echo(
            f"{file.data_file}  {voucher.flow} #{voucher.sequence}  "
            f"{voucher.record_count} records  sha256 {voucher.sha256}"
        )


@command(app, "verify")
def verify(
    folder: Path = typer.Argument(..., exists=True, file_okay=False, help="Files and vouchers."),
) -> None:
    """Check every voucher in FOLDER: both XSDs, the record count, the SHA-256 and the sequence.

    Exits 1 and names each file that does not match; exits 0 when all is well.
    """
    problems = verify_directory(folder)
    for problem in problems:
        typer.echo(f"mismatch: {problem}", err=True)
    if problems:
        raise typer.Exit(Exit.ERROR)
    typer.echo(f"ok: {len(list(folder.glob('*.voucher.xml')))} vouchers in {folder}")
