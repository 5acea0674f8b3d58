"""The `raas` command: one typer app, one sub-module per group of commands."""

from __future__ import annotations

import typer

from raas.cli import (
    authentic,
    check,
    daily,
    requests,
    schemas,
    search,
    simulate,
    stack,
    tail,
    tenant,
    worker,
)
from raas.cli.prose import prose

app = typer.Typer(
    name="raas",
    help="Register As A Service: person registers on Kafka. Every command has --help.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(stack.app, name="stack")
app.add_typer(schemas.app, name="schemas")
app.command("tail")(tail.tail)
app.add_typer(check.app, name="check")
app.add_typer(tenant.app, name="tenant")
app.add_typer(authentic.app, name="authentic")
app.add_typer(simulate.app, name="simulate")
app.command("register")(requests.register)
app.command("delete")(requests.delete)
app.command("consult")(requests.consult)
app.command("search", help=prose(search.search.__doc__))(search.search)
app.add_typer(daily.app, name="daily")
app.command("worker")(worker.worker)
app.command("run")(worker.run)


def main() -> None:
    """Entry point of the `raas` console script."""
    app()
