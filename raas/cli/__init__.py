"""The `raas` command: one typer app, one sub-module per group of commands."""

from __future__ import annotations

import typer

from raas.cli import check, schemas, stack, tail

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


def main() -> None:
    """Entry point of the `raas` console script."""
    app()
