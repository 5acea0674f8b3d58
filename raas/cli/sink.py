"""`raas sink` (the projection into the database) and `raas db upgrade` (its migrations)."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import typer
from confluent_kafka import KafkaException
from rich.console import Console
from sqlalchemy.exc import OperationalError

from raas import metrics
from raas.cli import options, prose
from raas.cli.exits import Exit
from raas.config import Settings
from raas.onboarding import read_tenants
from raas.stopping import GRACE
from sinks.daily.job import run_daily_job
from sinks.database import DatabaseUnavailable, make_engine, upgrade
from sinks.loop import BATCH, run_sinks
from sinks.routes import sink_specs

err = Console(stderr=True)
db = typer.Typer(help="The read side's database.", no_args_is_help=True)


def sink(
    loglevel: str = typer.Option("info", "--loglevel", help="debug, info, warning or error."),
    batch: int = typer.Option(
        BATCH, "--batch", min=1, max=10_000, help="Records at most in one transaction."
    ),
    daily: bool = typer.Option(
        True, "--daily/--no-daily", help="Run the daily-file job beside the sinks (the default)."
    ),
    metrics_port: int | None = options.metrics_port(),
) -> None:
    """Run every sink in the foreground until SIGTERM or Ctrl-C: the projection of the topics
    into the database of RAAS_DATABASE_URL (SQLite under var/ when unset).

    First the tables are migrated to the newest version. Then the sinks read: the results of every
    tenant into `audit`, their notifications and Dimona mutations into `notifications` and
    `dimona_mutations`, authentic.persons into `persons` (the newest snapshot of each INSZ) and the
    register table's changelog into `register_lines`. Each batch's rows and offsets commit in one
    transaction, so a restart after any crash goes on exactly where the database left off. A
    record that cannot be read goes to raas.dlq and the sink goes on. On SIGTERM or Ctrl-C each sink
    finishes the batch in hand, commits it with its offsets and closes its consumer; should it still
    run 30 s later (the broker went away, say), it says what it could not finish and exits 1.
    Run it beside `raas worker`; more than one is harmless (the same groups).

    Beside the sinks runs the daily-file job: after each Europe/Brussels midnight it writes
    yesterday's files (and any day missed since a tenant's last file) for every tenant of
    raas.admin.tenants into RAAS_VAR_DIR/daily/<tenant>/. One process writes at a time.
    """
    logging.basicConfig(
        level=loglevel.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = Settings.from_env(metrics_port=metrics_port)
    engine = make_engine(settings.database_url)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger(__name__).info("signal %d: finishing the batches in hand", signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    job = threading.Thread(
        target=run_daily_job,
        args=(engine, lambda: sorted(read_tenants(settings)), settings.var_dir / "daily", stop),
        name="daily-job",
    )
    try:
        upgrade(engine)
        metrics.serve(settings.metrics_port, settings.metrics_host)
        if daily:
            job.start()
        run_sinks(
            sink_specs(settings.app_id),
            settings,
            engine,
            stop,
            batch=batch,
            on_start=lambda: logging.getLogger(__name__).info("sinks started"),
            grace=GRACE,
        )
    except (DatabaseUnavailable, OperationalError) as exc:
        err.print(f"[red]error:[/red] database unavailable: {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc
    except KafkaException as exc:
        err.print(f"[red]error:[/red] broker unavailable: {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc
    finally:
        stop.set()
        if job.is_alive():
            job.join()
        engine.dispose()


@prose.command(db, "upgrade")
def db_upgrade() -> None:
    """Migrate the database of RAAS_DATABASE_URL (SQLite under var/ when unset) to the newest
    version of the tables. Safe to run again: an up-to-date database is left as it is.
    """
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
    except DatabaseUnavailable as exc:
        err.print(f"[red]error:[/red] database unavailable: {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc
    finally:
        engine.dispose()
    err.print(f"database {engine.url.render_as_string(hide_password=True)} is up to date")
