"""`raas simulate persons|changes|replacements|dimona`: the outside world, deterministic by seed."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from raas.cli.exits import Exit
from raas.cli.prose import command
from raas.config import Settings
from raas.domain.dimona import DimonaDeclaration
from raas.domain.persons import PersonIdentity
from raas.domain.replacement import InszReplacement
from raas.outside.feeds import PUBLISH_FAILURES
from raas.simulator.changes import identity_changes
from raas.simulator.dimona import simulated_declarations
from raas.simulator.persons import simulated_persons
from raas.simulator.publishing import publish_paced
from raas.simulator.replacements import SimulatedReplacement, simulated_replacements

app = typer.Typer(
    help="Simulate the outside world: persons, identity changes, INSZ replacements and Dimona "
    "declarations, published to the source topics. The same --seed gives the same records; "
    "`changes`, `replacements` and `dimona` act on the first --persons persons of that seed, "
    "so publish them with `raas simulate persons` first. Nothing answers on these topics.",
    no_args_is_help=True,
)
out = Console()
err = Console(stderr=True, soft_wrap=True)

SEED = typer.Option(1, "--seed", help="The same seed gives the same records, in the same order.")
RATE = typer.Option(
    0.0, "--rate", min=0.0, help="Records per second, paced on a schedule; 0: as fast as it can."
)
POPULATION = typer.Option(
    100,
    "--persons",
    min=1,
    help="Act on the first this many persons of the seed (publish at least as many first).",
)


def _count(what: str) -> Any:
    return typer.Argument(..., min=1, help=f"How many {what} to publish.")


@command(app, "persons")
def persons(count: int = _count("persons"), seed: int = SEED, rate: float = RATE) -> None:
    """Publish persons to authentic.persons, keyed by INSZ.

    Valid National Register and BIS numbers (both centuries, BIS months +20 and +40, some
    birth dates incomplete as yyyy-mm-00 or yyyy-00-00, as the number says), Belgian Dutch and
    French names in their several spellings, sexes and Belgian addresses.

    Example: raas simulate persons 1000 --seed 7 --rate 200
    """
    _run(itertools.islice(simulated_persons(seed), count), count, "persons", rate, PersonIdentity)


@command(app, "changes")
def changes(
    count: int = _count("identity changes"),
    seed: int = SEED,
    rate: float = RATE,
    population: int = POPULATION,
) -> None:
    """Publish identity changes (full snapshots) of the seed's persons to authentic.persons.

    A new address, a corrected spelling of the last name, a civil state, a nationality, a death.
    Tenants that have the person get an IdentityChanged notification.
    """
    records = identity_changes(seed, count, population)
    _run(records, count, "identity changes", rate, PersonIdentity)


@command(app, "replacements")
def replacements(
    count: int = _count("replacements"),
    seed: int = SEED,
    rate: float = RATE,
    population: int = POPULATION,
) -> None:
    """Publish INSZ replacements to authentic.insz-replacements, keyed by the old INSZ.

    BIS -> RN, BIS -> BIS and RN -> RN (a corrected birth date or sex), some in chains, never a
    cycle. The person under the new number is published to authentic.persons just before, so
    --rate counts two records for each replacement.
    """
    records = _flattened(simulated_replacements(seed, count, population))
    _run(records, count, "replacements", rate, InszReplacement)


@command(app, "dimona")
def dimona(
    count: int = _count("declarations"),
    seed: int = SEED,
    rate: float = RATE,
    population: int = POPULATION,
) -> None:
    """Publish Dimona declarations to dimona.declarations, keyed by the worker's INSZ.

    Each employment period starts with an IN; UPDATEs, then an OUT or a CANCEL of the same period
    id follow later, interleaved with other periods. Employers have valid KBO numbers.
    """
    records = simulated_declarations(seed, count, population)
    _run(records, count, "Dimona declarations", rate, DimonaDeclaration)


def _flattened(made: Iterable[SimulatedReplacement]) -> Iterator[object]:
    for simulated in made:
        yield simulated.person
        yield simulated.replacement


def _run(records: Iterable[object], total: int, what: str, rate: float, counted: type) -> None:
    """Publish with a progress bar on stderr; exit 4 when the broker is unavailable."""
    columns = (TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=err) as progress:
            task = progress.add_task(what, total=total)

            def advance(record: object) -> None:
                if isinstance(record, counted):
                    progress.advance(task)

            publish_paced(Settings.from_env(), records, rate, advance)
            done = int(progress.tasks[0].completed)
    except PUBLISH_FAILURES as exc:
        err.print(f"[red]error:[/red] broker unavailable: {exc}")
        raise typer.Exit(Exit.UNAVAILABLE) from exc
    out.print(f"Published {done} {what}.")
