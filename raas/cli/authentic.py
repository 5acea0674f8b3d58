"""`raas authentic person`: publish an identity as the National Register or BIS register would."""

from __future__ import annotations

import typer
from confluent_kafka import KafkaException
from rich.console import Console

from raas.cli import options
from raas.cli.exits import Exit
from raas.config import Settings
from raas.domain.birthdates import BirthDate
from raas.domain.sex import Sex
from raas.sources import person, publish_persons

app = typer.Typer(help="Publish identities to authentic.persons, as a source would.")
out = Console()
err = Console(stderr=True, soft_wrap=True)  # an error stays one line


@app.command("person")
def publish_person(
    insz: str = options.checked(..., "--insz", options.insz, "The person's INSZ."),
    last_name: str = options.checked(..., "--last-name", options.text, "Last name."),
    first_name: str = options.checked(
        ..., "--first-name", options.text, "First names, space separated."
    ),
    birth_date: BirthDate | None = options.checked(
        None,
        "--birth-date",
        options.birth_date,
        "MM or DD 00 when unknown; default: what the INSZ says.",
    ),
    sex: Sex | None = options.checked(
        None, "--sex", options.sex, "M, F or U; default: what the INSZ says."
    ),
    address: str | None = options.checked(None, "--address", options.text, "Main address."),
    birth_place: str | None = options.checked(None, "--birth-place", options.text, "Birth place."),
    nationality: str | None = options.checked(None, "--nationality", options.text, "Nationality."),
) -> None:
    """Publish a full identity snapshot. Publishing again with other data replaces it."""
    snapshot = person(
        insz,
        last_name,
        first_name,
        birth_date,
        sex,
        address=address,
        birth_place=birth_place,
        nationality=nationality,
    )
    try:
        publish_persons(Settings.from_env(), [snapshot])
    except (KafkaException, RuntimeError) as exc:
        err.print(f"[red]error:[/red] broker unavailable: {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc
    out.print(
        f"Published {snapshot.insz} {snapshot.last_name}, {snapshot.first_names} "
        f"({snapshot.source.value})"
    )
