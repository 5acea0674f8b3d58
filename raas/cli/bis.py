"""`raas bis create|update`: the BIS register, as a tenant; each waits for its result."""

from __future__ import annotations

import uuid

import typer

from raas.cli import options
from raas.cli.exits import Exit
from raas.cli.prose import command
from raas.cli.requests import INSZ, JSON, REFERENCE, REQUEST_ID, TENANT, TIMEOUT, send_and_wait
from raas.cli.search import run_query, show_hits
from raas.domain.birthdates import BirthDate
from raas.domain.commands import CreateBis, UpdateBisIdentity
from raas.domain.sex import Sex
from sinks.search import SearchQuery, bis_duplicate_candidates

app = typer.Typer(
    help="The BIS register: create a BIS number for a person the National Register does not "
    "know, or update the identity of a BIS number. Each command waits for its result.",
    no_args_is_help=True,
)

LAST_NAME = options.checked(None, "--last-name", options.limited("last_name"), "Last name.")
FIRST_NAME = options.checked(None, "--first-name", options.limited("first_name"), "First names.")
BIRTH_DATE = options.checked(
    None, "--birth-date", options.birth_date, "YYYY-MM-DD; MM or DD 00 when unknown."
)
SEX = options.checked(None, "--sex", options.sex, "M, F or U.")
BIRTH_PLACE = options.checked(None, "--birth-place", options.text, "Place of birth.")
ADDRESS = options.checked(None, "--address", options.text, "Address, one line.")


@command(app, "create")
def create(
    tenant: str = TENANT,
    last_name: str = options.checked(
        ..., "--last-name", options.limited("last_name"), "Last name."
    ),
    first_name: str = options.checked(
        ..., "--first-name", options.limited("first_name"), "First names."
    ),
    birth_date: BirthDate = options.checked(
        ..., "--birth-date", options.birth_date, "YYYY-MM-DD; MM or DD 00 when unknown."
    ),
    sex: Sex | None = SEX,
    birth_place: str | None = BIRTH_PLACE,
    address: str | None = ADDRESS,
    confirm_distinct: bool = typer.Option(
        False,
        "--confirm-distinct",
        help="Create even though the search finds likely duplicates: you checked each one.",
    ),
    request_id: str | None = REQUEST_ID,
    reference: str | None = REFERENCE,
    timeout: float = TIMEOUT,
    as_json: bool = JSON,
) -> None:
    """Create a BIS number for a person.

    Minimal data: a full birth date with --birth-place and --sex M or F, or a birth date (its
    year known) with --address. First the persons projection is searched phonetically: with
    likely duplicates, up to 50 are shown and nothing is created (exit 1) unless
    --confirm-distinct is given. The register refuses an exact duplicate of a BIS person it
    created (312). Exit 0 with the new number, 1 on ERROR, 3 without an answer in --timeout,
    4 when the broker or the database is down.
    """
    if not confirm_distinct:
        query = SearchQuery(last_name=last_name, birth_date=birth_date, first_name=first_name)
        candidates = run_query(bis_duplicate_candidates, query)
        if candidates:
            typer.echo(
                f"error: {len(candidates)} known person(s) may be this one; check them, then "
                "use one of their numbers or give --confirm-distinct",
                err=True,
            )
            show_hits(candidates, as_json)
            raise typer.Exit(Exit.ERROR)
    bis = CreateBis(
        request_id or str(uuid.uuid4()),
        reference,
        last_name,
        first_name,
        birth_date,
        sex or Sex.U,
        birth_place,
        address,
        confirm_distinct,
    )
    send_and_wait(tenant, bis, timeout, as_json)


@command(app, "update")
def update(
    tenant: str = TENANT,
    insz: str = INSZ,
    last_name: str | None = LAST_NAME,
    first_name: str | None = FIRST_NAME,
    birth_date: BirthDate | None = BIRTH_DATE,
    sex: Sex | None = SEX,
    birth_place: str | None = BIRTH_PLACE,
    address: str | None = ADDRESS,
    request_id: str | None = REQUEST_ID,
    reference: str | None = REFERENCE,
    timeout: float = TIMEOUT,
    as_json: bool = JSON,
) -> None:
    """Change the identity of a BIS number: only the fields given.

    A National Register number is refused (309). The change reaches every tenant that has the
    person in its register, as an identity change. Exit 0 on OK, 1 on ERROR, 3 without an
    answer in --timeout.
    """
    changes = (last_name, first_name, birth_date, sex, birth_place, address)
    if all(value is None for value in changes):
        raise typer.BadParameter("give at least one field to change, e.g. --last-name")
    bis = UpdateBisIdentity(
        request_id or str(uuid.uuid4()),
        reference,
        insz,
        last_name,
        first_name,
        birth_date,
        sex,
        birth_place,
        address,
    )
    send_and_wait(tenant, bis, timeout, as_json)
