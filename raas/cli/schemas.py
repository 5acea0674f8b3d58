"""`raas schemas`: the Avro contracts in avro/ and the topics that carry them."""

from __future__ import annotations

import json

import typer

from raas.cli.exits import Exit
from raas.codec import CodecError, default_codec
from raas.codec.evolution import check as check_schemas
from raas.codec.evolution import release as release_schemas
from raas.codec.ids import read_table
from raas.codec.schemas import Catalogue
from raas.topics import TOPICS, topic_map_markdown

app = typer.Typer(help="The Avro contracts: list, show, check and release schemas.")


@app.command("list")
def list_schemas() -> None:
    """Every topic with its key, record and the record's schema id."""
    codec = default_codec()
    rows = [("topic", "key", "record", "schema id")]
    for topic in TOPICS:
        try:
            schema_id = str(codec.schema_id(topic.record))
        except CodecError as exc:
            schema_id = f"? ({exc.reason.value})"
        rows.append((topic.pattern, topic.key, topic.record, schema_id))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


@app.command()
def show(
    record: str = typer.Argument(
        ..., help="Record name, e.g. Command or be.raas.Command.", metavar="RECORD"
    ),
    version: int | None = typer.Option(
        None, help="A released version instead of avro/.", metavar="N"
    ),
) -> None:
    """Print a record's schema, every named type inlined."""
    catalogue = Catalogue()
    name = record.removeprefix("be.raas.")
    if name not in catalogue.current:
        typer.echo(f"no record {record!r}; records: {', '.join(catalogue.current)}", err=True)
        raise typer.Exit(Exit.USAGE)
    if version is None:
        schema = catalogue.record(name)
    else:
        found = [s for s in catalogue.released(name) if s.version == version]
        if not found:
            typer.echo(f"{name} has no released version {version}", err=True)
            raise typer.Exit(Exit.USAGE)
        schema = found[0]
    typer.echo(json.dumps(schema.expanded, indent=2))


@app.command()
def check() -> None:
    """Check avro/ against the released history (both ways) and the id table."""
    catalogue = Catalogue()
    table = catalogue.root / "schema-ids.json"
    if not catalogue.current or not table.is_file():
        typer.echo(
            f"no schema found: {catalogue.root} holds no .avsc record or no schema-ids.json; "
            "the package was built without its schemas (see pyproject.toml, package-data)",
            err=True,
        )
        raise typer.Exit(Exit.ERROR)
    problems = check_schemas(catalogue, read_table(table))
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        raise typer.Exit(Exit.ERROR)
    typer.echo(f"{len(catalogue.current)} records: compatible, released, ids up to date")


@app.command()
def release() -> None:
    """Release every changed record as its next version in avro/history/ and give it an id."""
    try:
        added = release_schemas(Catalogue())
    except ValueError as exc:
        typer.echo(f"not released: {exc}", err=True)
        raise typer.Exit(Exit.ERROR) from exc
    for entry in added:
        typer.echo(f"{entry.record} version {entry.version}: id {entry.id}")
    if not added:
        typer.echo("nothing to release")


@app.command("topic-map")
def topic_map() -> None:
    """The topic map as a markdown table (for the README)."""
    typer.echo(topic_map_markdown(), nl=False)
