"""`raas daily write|verify`: the daily files with vouchers that receivers fetch in order."""

from __future__ import annotations

from pathlib import Path

import typer
from confluent_kafka import KafkaException
from sqlalchemy import MetaData
from sqlalchemy.exc import OperationalError

from raas.cli import options
from raas.cli.database import open_database, reflect, unavailable
from raas.cli.exits import Exit
from raas.cli.prose import command
from raas.config import Settings
from raas.onboarding import read_tenants
from sinks import tables
from sinks.daily import verify_directory, write_daily_files
from sinks.daily.job import projection_sources

app = typer.Typer(help="Write and verify daily files and their vouchers.", no_args_is_help=True)


@command(app, "write")
def write(
    tenant: str | None = options.checked(
        None, "--tenant", options.kbo, "KBO, 10 digits: this tenant's files."
    ),
    every_tenant: bool = typer.Option(
        False, "--all", help="Every tenant of raas.admin.tenants, each into OUT/<KBO>/."
    ),
    day: str = typer.Option(..., "--date", help="The Europe/Brussels day, YYYY-MM-DD."),
    out: Path = typer.Option(..., "--out", file_okay=False, help="The folder to write into."),
) -> None:
    """Write the data file and voucher of each flow (notifications, dimona) for the day, of one
    tenant (--tenant) or of all (--all).

    A day without records still gets its files. The sequence number runs per tenant and flow;
    rerunning a day rewrites its files under the same number. Only one process writes at a time.
    `raas sink` writes yesterday's files of every tenant by itself after each Brussels midnight.
    """
    if (tenant is None) == (not every_tenant):
        raise typer.BadParameter("give either --tenant KBO or --all", param_hint="--tenant")
    wanted = options.day(day)
    settings = Settings.from_env()
    folders = {tenant: out} if tenant else {kbo: out / kbo for kbo in _tenants(settings)}
    engine = open_database(settings)
    try:
        reflect(engine, MetaData(), "daily_files")  # made by the migrations of `raas sink`
        written = [
            file
            for kbo, folder in folders.items()
            for file in write_daily_files(
                engine, tables.daily_files, projection_sources(), kbo, wanted, folder
            )
        ]
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


def _tenants(settings: Settings) -> list[str]:
    try:
        return sorted(read_tenants(settings))
    except (KafkaException, RuntimeError) as exc:
        raise unavailable(f"the tenants cannot be read from the broker: {exc}") from exc


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
