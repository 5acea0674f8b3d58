"""`raas dlq list|replay`: the dead letters on raas.dlq, decoded, and replayed (`raas.replays`)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import typer

from raas.cli.exits import Exit
from raas.config import Settings
from raas.deadletters import bounded
from raas.replays import DeadLetters, Entry, ReplayError, read_dead_letters, replay
from raas.stack.kafka import answers_to

SHOWN_VALUE_BYTES = 64  # of the value, in hex, in the text listing (--json has all that is kept)
_AGO = re.compile(r"([0-9]+)([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_PLACE = re.compile(r"(?:([0-9]+):)?([0-9]+)")

app = typer.Typer(help="Dead letters on raas.dlq: list them decoded, replay them to their topic.")


def since(value: str) -> datetime:
    """A moment: `15m`, `2h`, `3d`, `90s` ago, or an ISO date or time (Brussels when no zone)."""
    text = value.strip()
    ago = _AGO.fullmatch(text)
    if ago:
        return datetime.now(UTC) - timedelta(**{_UNITS[ago[2]]: int(ago[1])})
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is no time: 15m, 2h, 3d or 2026-11-29T08:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Europe/Brussels"))
    return moment.astimezone(UTC)


def place(value: str) -> tuple[int | None, int]:
    """`N` (an offset on raas.dlq) or `P:N` (partition P, offset N)."""
    found = _PLACE.fullmatch(value.strip())
    if not found:
        raise typer.BadParameter(f"{value!r} is no offset: N or PARTITION:N")
    return (int(found[1]) if found[1] else None), int(found[2])


def place_text(value: str) -> str:
    """`value`, once `place` accepts it."""
    place(value)
    return value.strip()


_SINCE = typer.Option(None, "--since", parser=since, metavar="WHEN", help=since.__doc__)


def _read(settings: Settings, start: datetime | None) -> DeadLetters:
    if not answers_to(settings, timeout=10):
        typer.echo(f"the broker at {settings.bootstrap_servers} does not answer", err=True)
        raise typer.Exit(Exit.UNAVAILABLE)
    return read_dead_letters(settings, start)


def _where(entry: Entry) -> str:
    return f"raas.dlq[{entry.partition}]@{entry.offset}"


def _key_text(key: bytes | None) -> str | None:
    try:
        return None if key is None else key.decode()
    except UnicodeDecodeError:
        return None


def as_json(entry: Entry, found: DeadLetters) -> dict[str, Any]:
    """One dead letter as a JSON object: the record's fields, bytes in hex, replay links."""
    letter, first = entry.letter, found.replay_of.get(entry.source)
    return {
        "dlq_partition": entry.partition,
        "dlq_offset": entry.offset,
        "timestamp": letter.timestamp.isoformat(),
        "topic": letter.topic,
        "partition": letter.partition,
        "offset": letter.offset,
        "key": _key_text(letter.key),
        "key_hex": None if letter.key is None else letter.key.hex(),
        "reason": letter.reason,
        "error": letter.error,
        "consumer": letter.consumer,
        "event_id": letter.event_id,
        "value_hex": None if letter.value is None else letter.value.hex(),
        "value_truncated": entry.truncated,
        "replayed": entry.source in found.replayed,
        "replay_of": None if first is None else _where(first),
    }


def as_text(entry: Entry, found: DeadLetters) -> str:
    """One dead letter as a few lines: where, why, the key, the value's first bytes in hex."""
    letter, first = entry.letter, found.replay_of.get(entry.source)
    shown, cut = bounded(letter.value, SHOWN_VALUE_BYTES, "value")
    lines = [
        f"{_where(entry)}  {letter.timestamp:%Y-%m-%dT%H:%M:%S}Z  {letter.reason}  "
        f"{letter.topic}[{letter.partition}]@{letter.offset}  consumer={letter.consumer}",
        f"  key: {_key_text(letter.key) or (letter.key.hex() if letter.key else '(none)')}",
        f"  error: {letter.error}",
        f"  value: {'(none)' if shown is None else shown.hex()}{cut}",
    ]
    if first is not None:
        lines.append(f"  replay of: {_where(first)}")
    if entry.source in found.replayed:
        lines.append("  replayed: yes")
    return "\n".join(lines)


@app.command("list")
def list_letters(
    start: datetime | None = _SINCE,
    reason: str | None = typer.Option(None, "--reason", help="Only this reason, e.g. BAD_MAGIC."),
    as_json_lines: bool = typer.Option(False, "--json", help="One JSON object per dead letter."),
) -> None:
    """Every dead letter on raas.dlq (since --since), oldest first per partition, decoded."""
    found = _read(Settings.from_env(), start)
    for entry in found.entries:
        if reason is None or entry.letter.reason == reason:
            shown = as_json(entry, found) if as_json_lines else as_text(entry, found)
            typer.echo(json.dumps(shown) if isinstance(shown, dict) else shown)


@app.command("replay")
def replay_letters(
    offset: str | None = typer.Option(
        None,
        "--offset",
        parser=place_text,
        metavar="[P:]N",
        help="The dead letter at raas.dlq [P:]N.",
    ),
    start: datetime | None = _SINCE,
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would be sent; send nothing."),
) -> None:
    """Send dead letters' original records back to their source topic and partition, once.

    Give --offset (as `raas dlq list` shows it) or --since. A dead letter already replayed is
    skipped. A replay that fails again is dead-lettered again; `raas dlq list` shows it with
    `replay of:` the first. Exits 1 when an original is no longer on its topic.
    """
    if (offset is None) == (start is None):
        typer.echo("give either --offset [P:]N or --since WHEN", err=True)
        raise typer.Exit(Exit.USAGE)
    settings = Settings.from_env()
    found = _read(settings, start)
    chosen = [e for e in found.entries if offset is None or _at(e, place(offset))]
    if offset is not None and len(chosen) != 1:
        many = ", ".join(_where(e) for e in chosen) or "none"
        typer.echo(f"--offset {offset} matches {len(chosen)} dead letters ({many})", err=True)
        raise typer.Exit(Exit.USAGE)
    status = Exit.OK
    for entry in chosen:
        target = f"{entry.letter.topic}[{entry.letter.partition}]"
        if entry.source in found.replayed:
            typer.echo(f"{_where(entry)}: already replayed, skipped")
        elif dry_run:
            typer.echo(f"{_where(entry)}: would replay to {target}")
        else:
            try:
                landed = replay(settings, entry)
            except ReplayError as exc:
                typer.echo(f"{_where(entry)}: {exc}", err=True)
                status = Exit.ERROR
                continue
            typer.echo(f"{_where(entry)}: replayed to {target}@{landed[2]}")
    raise typer.Exit(status)


def _at(entry: Entry, wanted: tuple[int | None, int]) -> bool:
    partition, offset = wanted
    return entry.offset == offset and partition in (None, entry.partition)
