"""`raas status`: the running system in one view; its exit code makes it a health check."""

from __future__ import annotations

import json
import time

import typer
from rich.console import Console
from rich.table import Table

from raas.config import Settings
from raas.status import probe
from raas.status.report import Health, Status, health, oldest_waiting, stalled_partitions

out = Console()


def status(
    as_json: bool = typer.Option(False, "--json", help="One JSON object (one per --watch round)."),
    watch: float = typer.Option(
        0.0,
        "--watch",
        min=0.0,
        metavar="SECONDS",
        help="Show it again every SECONDS until Ctrl-C (0: once).",
    ),
    stall: float = typer.Option(
        60.0,
        "--stall",
        min=1.0,
        metavar="SECONDS",
        help="A partition whose oldest record still to process is older than this is stalled.",
    ),
) -> None:
    """Show the services and their versions, the workers in each consumer group and their
    partitions, the lag per group and topic (as `raas kafka consumer-groups --describe` counts
    it), commands and results per second over the last minute, dead letters in the last hour and
    the oldest record still waiting for a group.

    The sinks (`raas sink`) keep their offsets in the database of RAAS_DATABASE_URL, not in
    Kafka: their lag is the high watermark minus the offset stored there, read only.

    \b
    Exit codes, so it can serve as a health check:
      0 healthy
      1 stalled: a partition's oldest record still to process is older than
        --stall, and the group's offset there did not move in 5 s
      4 the broker, the sinks' database or PostgreSQL (where installed) is down
    """
    settings = Settings.from_env()
    while True:
        taken = probe.take(settings, stall)
        code = health(taken, stall)
        if as_json:
            typer.echo(json.dumps(taken.to_json(stall)))
        else:
            show(taken, stall, code)
        if not watch:
            raise typer.Exit(int(code))
        try:
            time.sleep(watch)
        except KeyboardInterrupt:
            raise typer.Exit(int(code)) from None


def show(taken: Status, stall: float, code: Health) -> None:
    services = Table("service", "address", "version", "state", title="Services")
    for s in taken.services:
        state = "[green]up[/green]" if s.up else "[red]down[/red]"
        services.add_row(s.name, str(s.address), str(s.version), state)
    out.print(services)
    for group in taken.groups:
        members = Table("member", "host", "partitions", title=f"Group {group.group_id}")
        for m in group.members:
            members.add_row(m.client_id, m.host, ", ".join(m.partitions) or "-")
        if group.members:
            out.print(members)
        lags = group.lag_by_topic()
        where = " (offsets in the database)" if group.offsets == "database" else ""
        if lags:
            out.print(
                f"{group.group_id} ({group.state}){where} lag: "
                + ", ".join(f"{topic} {lag}" for topic, lag in sorted(lags.items()))
            )
        else:
            out.print(f"{group.group_id} ({group.state}){where}: no committed offsets")
    if taken.services[0].up:
        out.print(
            f"commands/s (last minute): {taken.commands_per_second:.2f}, "
            f"results/s: {taken.results_per_second:.2f}, "
            f"dead letters (last hour): {taken.dead_letters_last_hour}"
        )
        oldest = oldest_waiting(taken)
        if oldest is not None:
            out.print(
                f"oldest waiting: {oldest['topic']}[{oldest['partition']}]@{oldest['offset']} "
                f"for {oldest['group']}, {oldest['waiting_seconds']:.0f} s"
            )
    for group_id, where in stalled_partitions(taken, stall):
        out.print(f"[red]stalled:[/red] {group_id} on {where}")
    colour = {Health.HEALTHY: "green", Health.STALLED: "red", Health.DOWN: "red"}[code]
    out.print(f"[{colour}]{code.name.lower()}[/{colour}]")
