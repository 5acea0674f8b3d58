"""`raas authentic person|replace|dimona`: play the authentic sources and the Dimona feed by hand.

Nothing answers on these topics: the register follows them, and what it does shows up on the
tenants' notification and Dimona topics (`raas tail`).
"""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console

from raas.cli import options
from raas.cli.exits import Exit
from raas.cli.prose import command
from raas.config import Settings
from raas.domain.birthdates import BirthDate
from raas.domain.dimona import DimonaKind
from raas.domain.insz import InvalidInsz
from raas.domain.kbo import InvalidKbo
from raas.domain.replacement import ReplacementCycle
from raas.domain.sex import Sex
from raas.outside.declarations import InvalidDeclaration, declaration
from raas.outside.feeds import PUBLISH_FAILURES, publish
from raas.outside.persons import person
from raas.outside.replacements import replacement

NO_ANSWER = (
    "Nothing answers on this topic, so there is no result to wait for: watch the tenants' "
    "topics with `raas tail`."
)

app = typer.Typer(
    help="Play the outside world by hand: the National Register, the BIS register, Dimona. "
    + NO_ANSWER,
    no_args_is_help=True,
)
out = Console()
err = Console(stderr=True, soft_wrap=True)


def _usage(message: str) -> typer.Exit:
    """Print the one line that says what is wrong; the exit to raise."""
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(Exit.USAGE)


def _publish(record: object) -> None:
    try:
        publish(Settings.from_env(), [record])
    except PUBLISH_FAILURES as exc:
        err.print(f"[red]error:[/red] broker unavailable: {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc


@command(app, "person")
def publish_person(
    insz: str = options.checked(..., "--insz", options.insz, "The person's INSZ."),
    last_name: str = options.checked(
        ..., "--last-name", options.limited("last_name"), "Last name."
    ),
    first_name: str = options.checked(
        ..., "--first-name", options.limited("first_names"), "First names, space separated."
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
    address: str | None = options.checked(
        None, "--address", options.limited("address"), "Main address."
    ),
    birth_place: str | None = options.checked(
        None, "--birth-place", options.limited("birth_place"), "Birth place."
    ),
    nationality: str | None = options.checked(None, "--nationality", options.text, "Nationality."),
) -> None:
    """Publish a full identity snapshot to authentic.persons, keyed by INSZ.

    Publishing again with other data replaces it; the register notifies the tenants that have the
    person of the fields that changed. Nothing answers: there is no result to wait for.
    """
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
    _publish(snapshot)
    out.print(
        f"Published {snapshot.insz} {snapshot.last_name}, {snapshot.first_names} "
        f"({snapshot.source.value})"
    )


@command(app, "replace")
def replace_insz(
    old: str = options.checked(..., "--old", options.insz, "The INSZ that is replaced."),
    new: str = options.checked(..., "--new", options.insz, "The INSZ that replaces it."),
) -> None:
    """Publish an INSZ replacement (old -> new) to authentic.insz-replacements, keyed by old INSZ.

    Any kinds of number: BIS -> RN (a BIS person enters the National Register), BIS -> BIS (two
    numbers of one person), RN -> RN (a corrected birth date or sex). Publish the person under the
    new number with `raas authentic person` too. The register moves every tenant's lines to the
    new number and notifies them. Nothing answers: there is no result to wait for.

    Example: raas authentic replace --old 75460898095 --new 75060898009
    """
    try:
        made = replacement(old, new)
    except InvalidInsz as exc:
        raise _usage(f"invalid INSZ: {exc}") from exc
    except ReplacementCycle as exc:
        raise _usage(f"an INSZ cannot replace itself: {exc}") from exc
    _publish(made)
    out.print(f"Published replacement {made.old_insz} -> {made.new_insz}")


@command(app, "dimona")
def publish_dimona(
    insz: str = options.checked(..., "--insz", options.insz, "The worker's INSZ."),
    kind: str = typer.Option(..., "--type", help="IN, OUT, UPDATE or CANCEL."),
    period_id: str = typer.Option(
        ..., "--period-id", help="The employment's number; OUT, UPDATE and CANCEL name its IN's."
    ),
    employer: str = options.checked(
        ..., "--employer", options.kbo, "The employer's KBO number, 10 digits."
    ),
    worker_type: str = typer.Option(
        ..., "--worker-type", help="STU student, FLX flexi-job, EXT extra, OTH other, ..."
    ),
    joint_committee: str | None = typer.Option(
        None, "--joint-committee", help="Joint committee number, such as 302 (hotels)."
    ),
    begin: date = options.checked(..., "--from", options.day, "First day of the employment."),
    end: date | None = options.checked(
        None, "--to", options.day, "Last day; open-ended without it. An OUT needs it."
    ),
) -> None:
    """Publish a Dimona declaration to dimona.declarations, keyed by the worker's INSZ.

    Authorised, subscribed tenants whose lines of the INSZ overlap the employment get it on
    raas.tenant.<KBO>.dimona; OUT, UPDATE and CANCEL also reach who got the IN. Nothing answers:
    there is no result to wait for.

    Example: raas authentic dimona --insz 85073003328 --type IN --period-id 1 --employer
    0403019261 --worker-type STU --joint-committee 302 --from 2025-07-01 --to 2025-07-31
    """
    try:
        made = declaration(
            insz=insz,
            kind=_kind(kind),
            period_id=period_id,
            employer=employer,
            worker_type=worker_type.upper(),
            joint_committee=joint_committee,
            begin=begin,
            end=end,
        )
    except InvalidInsz as exc:
        raise _usage(f"invalid INSZ: {exc}") from exc
    except InvalidKbo as exc:
        raise _usage(f"invalid employer KBO number: {exc}") from exc
    except InvalidDeclaration as exc:
        raise _usage(str(exc)) from exc
    _publish(made)
    period = f"{made.begin}..{made.end or ''}"
    out.print(
        f"Published Dimona {made.kind.value} period {made.period_id} {made.worker_insz} {period}"
    )


def _kind(text: str) -> DimonaKind:
    try:
        return DimonaKind(text.upper())
    except ValueError:
        raise InvalidDeclaration(f"--type {text!r} is not IN, OUT, UPDATE or CANCEL") from None
