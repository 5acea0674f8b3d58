"""`raas search`: the phonetic person search, a query on the persons projection (not a command)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict

import typer
from sqlalchemy import Connection, MetaData, Table
from sqlalchemy.exc import OperationalError

from raas.cli import options
from raas.cli.database import open_database, reflect, unavailable
from raas.config import Settings
from raas.domain.birthdates import BirthDate
from raas.domain.sex import Sex
from sinks.search import Hit, SearchQuery, find_candidates
from sinks.search.query import DEFAULT_RESULTS, MAX_RESULTS, InvalidSearch


def search(
    last_name: str = options.checked(
        ..., "--last-name", options.limited("last_name"), "Matched phonetically."
    ),
    birth_date: BirthDate = options.checked(
        ..., "--birth-date", options.birth_date, "MM and DD may be 00 when unknown."
    ),
    first_name: str | None = options.checked(
        None, "--first-name", options.limited("first_name"), "Ranks closer names first."
    ),
    tolerance: int | None = typer.Option(
        None,
        "--tolerance",
        min=0,
        help="How far the birth date may be, in the date's own unit: days for a full date, "
        "months for YYYY-MM-00, years for YYYY-00-00. Required for an incomplete date.",
    ),
    sex: Sex | None = options.checked(None, "--sex", options.sex, "M, F or U (U: any)."),
    max_results: int = typer.Option(
        DEFAULT_RESULTS, "--max", min=1, max=MAX_RESULTS, help="How many hits at most."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per hit."),
) -> None:
    """Find persons in the persons projection by name and birth date, best match first.

    Each hit says why it matched: the phonetic key of its last name, the name similarities
    (Jaro-Winkler, 1.00 is equal) and how many days its birth date lies outside the window.
    """
    query = SearchQuery(
        last_name=last_name,
        birth_date=birth_date,
        first_name=first_name,
        tolerance=tolerance,
        sex=sex,
        max_results=max_results,
    )
    hits = run_query(find_candidates, query)
    show_hits(hits, as_json)


Finder = Callable[[Connection, Table, SearchQuery], list[Hit]]


def run_query(find: Finder, query: SearchQuery) -> list[Hit]:
    """`find`'s hits in the persons projection; exit 2 on a bad query, 4 without a database."""
    engine = open_database(Settings.from_env())
    try:
        persons = reflect(engine, MetaData(), "persons")
        with engine.connect() as connection:
            return find(connection, persons, query)
    except InvalidSearch as exc:
        raise typer.BadParameter(str(exc)) from exc
    except OperationalError as exc:
        raise unavailable(f"the database does not answer: {exc.orig}") from exc
    finally:
        engine.dispose()


def show_hits(hits: list[Hit], as_json: bool) -> None:
    if as_json:
        for hit in hits:
            typer.echo(json.dumps(asdict(hit) | {"why": hit.reasons.explain()}))
        return
    if not hits:
        typer.echo("no person matches")
        return
    for rank, hit in enumerate(hits, 1):
        typer.echo(
            f"{rank:>3}. {hit.insz}  {hit.last_name}, {hit.first_names}  {hit.birth_date}  "
            f"{hit.sex}  score {hit.score:.3f}  ({hit.reasons.explain()})"
        )
