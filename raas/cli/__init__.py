"""The `raas` command: one typer app, one sub-module per group of commands."""

from __future__ import annotations

import typer

from raas.cli import (
    authentic,
    bis,
    check,
    daily,
    dlq,
    kafka,
    prose,
    queries,
    requests,
    schemas,
    search,
    simulate,
    sink,
    stack,
    status,
    tail,
    tenant,
    worker,
)
from raas.cli.exits import Exit
from raas.clients import LoginRefused

app = typer.Typer(
    name="raas",
    help="""Register As A Service: person registers on Kafka. Every command has --help.

\b
A first run:
  raas stack up --no-postgres                  the broker and the schema registry
  raas worker                                  a stream worker, in its own shell
  raas tenant add 0403019261 -t 1:examination  a tenant and its four topics
  raas authentic person --insz 85073003328 --last-name Peeters --first-name Jan
  raas register --tenant 0403019261 --insz 85073003328 --type 1 --from 2025-01-01

\b
Exit codes: 0 OK or WARNING; 1 an ERROR result, a tenant not onboarded, or
(raas check) an invalid number; 2 usage: every option is checked before
anything is sent; 3 no answer within --timeout; 4 broker or database down.""",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # a bad option is one plain `Error:` line, not a box
)
app.add_typer(stack.app, name="stack")
app.add_typer(tenant.app, name="tenant")
app.add_typer(authentic.app, name="authentic")
app.add_typer(simulate.app, name="simulate")
app.add_typer(bis.app, name="bis")
app.command("register")(requests.register)
app.command("delete")(requests.delete)
app.command("consult")(requests.consult)
app.command("tail")(tail.tail)
app.add_typer(check.app, name="check")
app.add_typer(schemas.app, name="schemas")
app.command("search", help=prose.prose(search.search.__doc__))(search.search)
app.add_typer(daily.app, name="daily")
app.command("worker")(worker.worker)
app.command("run")(worker.run)
prose.command(app, "sink")(sink.sink)
app.add_typer(sink.db, name="db")
prose.command(app, "audit")(queries.audit)
prose.command(app, "lines")(queries.lines)
prose.command(app, "usage")(queries.usage)
kafka.register(app)
app.add_typer(dlq.app, name="dlq")
app.command("status")(status.status)


def main() -> None:
    """Entry point of the `raas` console script."""
    try:
        app()
    except LoginRefused as exc:  # from whichever command made the client: exit 4 at once
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(Exit.UNAVAILABLE) from None
