"""`raas authentic person`: publish an identity as the National Register or BIS register would."""

from __future__ import annotations

import typer
from confluent_kafka import KafkaException
from rich.console import Console

from raas.cli import options
from raas.cli.exits import Exit
from raas.config import Settings
from raas.domain.insz import InvalidInsz
from raas.sources import person, publish_persons

app = typer.Typer(help="Play an authentic source: publish identities to authentic.persons.")
out = Console()
err = Console(stderr=True)


@app.command("person")
def publish_person(
    insz: str = typer.Option(..., "--insz", help="The person's INSZ."),
    last_name: str = typer.Option(..., "--last-name"),
    first_name: str = typer.Option(..., "--first-name", help="First names, space separated."),
    birth_date: str | None = typer.Option(
        None, "--birth-date", help="YYYY-MM-DD (00 when unknown); default: what the INSZ says."
    ),
    sex: str | None = typer.Option(None, "--sex", help="M, F or U; default: what the INSZ says."),
    address: str | None = typer.Option(None, "--address"),
    birth_place: str | None = typer.Option(None, "--birth-place"),
    nationality: str | None = typer.Option(None, "--nationality"),
) -> None:
    """Publish a full identity snapshot. Publishing again with other data replaces it."""
    try:
        snapshot = person(
            insz,
            last_name,
            first_name,
            options.birth_date(birth_date),
            options.sex(sex),
            address=address,
            birth_place=birth_place,
            nationality=nationality,
        )
    except InvalidInsz as exc:
        err.print(f"[red]error:[/red] invalid INSZ: {exc}")
        raise typer.Exit(Exit.USAGE) from exc
    try:
        publish_persons(Settings.from_env(), [snapshot])
    except (KafkaException, RuntimeError) as exc:
        err.print(f"[red]error:[/red] broker unavailable: {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc
    out.print(
        f"Published {snapshot.insz} {snapshot.last_name}, {snapshot.first_names} "
        f"({snapshot.source.value})"
    )
