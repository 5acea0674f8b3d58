"""The `raas` command: one typer app, one sub-module per group of commands."""

from __future__ import annotations

import typer

from raas.cli import stack

app = typer.Typer(
    name="raas",
    help="Register As A Service: person registers on Kafka. Every command has --help.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(stack.app, name="stack")


def main() -> None:
    """Entry point of the `raas` console script."""
    app()
