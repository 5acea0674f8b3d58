"""`raas tail TOPIC`: any of our topics, decoded, as one JSON object per line."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import typer

from raas.cli import options
from raas.cli.exits import Exit
from raas.codec import Codec, CodecError, decode_key, default_codec
from raas.config import Settings, client_security
from raas.tenant_client import QUIET, TopicFollower, Unavailable
from raas.topics import UnknownTopic, topic_for


def tail(
    topic: str = typer.Argument(
        ..., help="A concrete topic, e.g. raas.tenant.0403019261.results.", metavar="TOPIC"
    ),
    from_end: bool = typer.Option(False, "--from-end", help="Only records written from now on."),
    timeout: float | None = options.checked(
        None,
        "--timeout",
        options.seconds,
        "Exit after this many seconds without a new record (above 0); default: follow.",
    ),
    meta: bool = typer.Option(False, "--meta", help="Wrap each value with topic, offset, key."),
) -> None:
    """Decode a topic to JSON lines.

    Reads TOPIC from its earliest offset (or only new records, --from-end) and prints one JSON
    object per record on stdout, until Ctrl-C or --timeout seconds without a record. A topic that
    does not exist yet is waited for, and read from its start once it appears.
    """
    try:
        record = topic_for(topic).record
    except UnknownTopic:
        typer.echo(f"{topic!r} is none of the RAAS topics (see `raas schemas list`)", err=True)
        raise typer.Exit(Exit.USAGE) from None
    from confluent_kafka import Consumer, KafkaException

    from raas.clients import check_login

    settings = Settings.from_env()
    check_login(settings)  # a refused password exits 4 at once (raas.cli.main)
    consumer = Consumer(
        {
            "bootstrap.servers": settings.bootstrap_servers,
            "group.id": f"{settings.app_id}-tail",
            "enable.auto.commit": False,
            **QUIET,
            **client_security(settings),
        }
    )
    try:
        follower = TopicFollower(consumer, topic)
        follower.start(from_end=from_end)
        if not follower.assigned:
            typer.echo(f"{topic} does not exist yet; waiting for it to appear", err=True)
        follow(follower, record, typer.echo, timeout, meta=meta)
    except (KafkaException, Unavailable) as exc:
        typer.echo(f"broker at {settings.bootstrap_servers} unavailable: {exc}", err=True)
        raise typer.Exit(Exit.UNAVAILABLE) from exc
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()


def follow(
    consumer: Any,
    record: str,
    write: Callable[[str], object],
    timeout: float | None,
    *,
    meta: bool = False,
    codec: Codec | None = None,
) -> int:
    """Write each message as a JSON line until `timeout` seconds pass without one; the count."""
    chosen = codec or default_codec()
    count, last = 0, time.monotonic()
    while timeout is None or time.monotonic() - last < timeout:
        message = consumer.poll(0.2)
        if message is None or message.error() is not None:
            continue
        last, count = time.monotonic(), count + 1
        write(json.dumps(line_of(message, record, chosen, meta=meta), ensure_ascii=False))
    return count


def line_of(message: Any, record: str, codec: Codec, *, meta: bool) -> Any:
    """One message as JSON data: the decoded value, or what went wrong."""
    try:
        value = codec.decode_json(message.value(), record)
    except CodecError as exc:
        value = {"error": exc.reason.value, "message": exc.detail}
    if not meta:
        return value
    return {
        "topic": message.topic(),
        "partition": message.partition(),
        "offset": message.offset(),
        "key": decode_key(message.key()),
        "value": value,
    }
