"""`raas check insz|kbo VALUE`: what a number says, or why it is no number. No broker needed."""

from __future__ import annotations

import json

import typer

from raas.cli.exits import Exit
from raas.domain.insz import InvalidInsz, parse_insz
from raas.domain.kbo import InvalidKbo, parse_kbo

app = typer.Typer(help="Check an INSZ or a KBO number offline.", no_args_is_help=True)

JSON_OPTION = typer.Option(False, "--json", help="Print one JSON object instead of text.")


def _refuse(value: str, reason: str, as_json: bool) -> typer.Exit:
    if as_json:
        typer.echo(json.dumps({"value": value, "valid": False, "reason": reason}))
    else:
        typer.echo(f"invalid: {reason}", err=True)
    return typer.Exit(Exit.ERROR)


@app.command()
def insz(
    value: str = typer.Argument(
        ..., help="An INSZ, e.g. 85073003328 or 85.07.30-033.28.", metavar="VALUE"
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Say whether VALUE is a National Register or BIS number, and what it tells."""
    try:
        number = parse_insz(value)
    except InvalidInsz as invalid:
        raise _refuse(value, invalid.reason, as_json) from invalid
    facts = {
        "value": value,
        "valid": True,
        "insz": number.number,
        "kind": number.kind.value,
        "birth_date": str(number.birth_date),
        "birth_date_complete": number.birth_date.is_complete,
        "sex": number.sex.value if number.sex is not None else None,
        "century": number.century,
    }
    if as_json:
        typer.echo(json.dumps(facts))
        return
    sex = number.sex.value if number.sex is not None else "not told by the number"
    typer.echo(f"insz:       {number.number}")
    typer.echo(f"kind:       {number.kind.value}")
    typer.echo(f"birth date: {number.birth_date} (00 = unknown)")
    typer.echo(f"sex:        {sex}")
    typer.echo(f"century:    {number.century}00s")


@app.command()
def kbo(
    value: str = typer.Argument(
        ..., help="An enterprise number, e.g. 0403019261.", metavar="VALUE"
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Say whether VALUE is a valid KBO enterprise number."""
    try:
        number = parse_kbo(value)
    except InvalidKbo as invalid:
        raise _refuse(value, invalid.reason, as_json) from invalid
    if as_json:
        typer.echo(json.dumps({"value": value, "valid": True, "kbo": number, "kind": "enterprise"}))
        return
    typer.echo(f"kbo:  {number}")
    typer.echo("kind: enterprise")
