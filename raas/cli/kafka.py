"""`raas kafka TOOL ARGS...`: Kafka's own command-line tools, run from the jar cache.

`raas kafka consumer-groups --describe --all-groups` is `kafka-consumer-groups.sh
--bootstrap-server <ours> --describe --all-groups`: the tool's main class runs from `kafka/lib/`
(`org.apache.kafka:kafka-tools` in `kafka/pom.xml`), with the bootstrap server of the settings
filled in unless ARGS name one. The process becomes the tool (exec), so its output, its exit code
and Ctrl-C are the tool's own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import typer

from raas.cli.exits import Exit
from raas.config import Settings
from raas.stack import StackError
from raas.stack.kafka import tool_command
from raas.stack.processes import port_open
from raas.stack.secure import tool_properties


@dataclass(frozen=True)
class Tool:
    main_class: str
    summary: str
    bootstrap: str = "front"  # where --bootstrap-server goes: "front", "end" or "" (none)
    login: str = "--command-config"  # the option that takes a client config (secure mode)


_T = "org.apache.kafka.tools."
TOOLS: dict[str, Tool] = {
    "topics": Tool(_T + "TopicCommand", "list, describe, create, alter topics"),
    "consumer-groups": Tool(
        _T + "consumer.group.ConsumerGroupCommand", "groups, their members, offsets and lag"
    ),
    "console-consumer": Tool(
        _T + "consumer.ConsoleConsumer", "print a topic's records", login="--consumer.config"
    ),
    "console-producer": Tool(
        _T + "ConsoleProducer", "write lines of stdin to a topic", login="--producer.config"
    ),
    "get-offsets": Tool(_T + "GetOffsetShell", "the earliest/latest offsets of partitions"),
    "configs": Tool("kafka.admin.ConfigCommand", "describe or alter topic and broker configs"),
    "delete-records": Tool(_T + "DeleteRecordsCommand", "delete records below an offset"),
    "transactions": Tool(_T + "TransactionsCommand", "list, describe, abort transactions"),
    "log-dirs": Tool(_T + "LogDirsCommand", "the broker's log directories and their sizes"),
    "acls": Tool(_T + "AclCommand", "list, add, remove ACLs"),
    "groups": Tool(_T + "GroupsCommand", "every group, of any type"),
    "share-groups": Tool(_T + "consumer.group.ShareGroupCommand", "share groups"),
    "streams-groups": Tool(_T + "streams.StreamsGroupCommand", "Kafka Streams groups"),
    "metadata-quorum": Tool(_T + "MetadataQuorumCommand", "the KRaft quorum's state"),
    "features": Tool(_T + "FeatureCommand", "the cluster's feature levels"),
    "broker-api-versions": Tool(_T + "BrokerApiVersionsCommand", "API versions the broker has"),
    "leader-election": Tool(_T + "LeaderElectionCommand", "elect partition leaders"),
    "reassign-partitions": Tool(
        _T + "reassign.ReassignPartitionsCommand", "move partition replicas"
    ),
    "client-metrics": Tool(_T + "ClientMetricsCommand", "client metrics subscriptions"),
    "cluster": Tool(_T + "ClusterTool", "cluster-id, unregister (subcommand first)", "end"),
    "dump-log": Tool("kafka.tools.DumpLogSegments", "decode log segment files (--files)", ""),
}
_OWN_BOOTSTRAP = ("--bootstrap-server", "--bootstrap-controller")


def _tool_list() -> str:
    width = max(map(len, TOOLS))
    return "\n".join(f"  {name:<{width}}  {tool.summary}" for name, tool in TOOLS.items())


HELP = f"""Run one of Kafka's own tools with our bootstrap server filled in.

\b
  raas kafka topics --list
  raas kafka consumer-groups --describe --all-groups
  raas kafka console-consumer --topic raas.dlq --from-beginning --max-messages 1
  raas kafka TOOL --help        the tool's own options

\b
TOOL is one of:
{_tool_list()}

--bootstrap-server is the settings' (RAAS_BOOTSTRAP_SERVERS) unless ARGS give
--bootstrap-server or --bootstrap-controller. In secure mode (RAAS_SECURITY=secure) the tool also
gets a client config (--command-config, or --consumer.config / --producer.config)
that logs it in as RAAS_SASL_USERNAME (admin when unset). Exit codes are the tool's; 2 for an
unknown TOOL; 4 when the broker does not answer or Java or the jars are missing."""


def tool_arguments(tool: Tool, args: list[str], bootstrap_servers: str) -> list[str]:
    """ARGS with `--bootstrap-server` added where the tool takes it, unless ARGS name one."""
    given = any(a == o or a.startswith(o + "=") for a in args for o in _OWN_BOOTSTRAP)
    if given or not tool.bootstrap:
        return list(args)
    filled = ["--bootstrap-server", bootstrap_servers]
    return filled + list(args) if tool.bootstrap == "front" else list(args) + filled


def _broker_answers(bootstrap_servers: str) -> bool:
    host, _, port = bootstrap_servers.split(",")[0].rpartition(":")
    return port.isdigit() and port_open(host.strip("[]") or "127.0.0.1", int(port))


def kafka(ctx: typer.Context, tool: str = typer.Argument(..., metavar="TOOL")) -> None:
    if tool not in TOOLS:
        typer.echo(f"unknown tool {tool!r}; `raas kafka --help` lists them", err=True)
        raise typer.Exit(Exit.USAGE)
    settings = Settings.from_env()
    chosen = TOOLS[tool]
    args = tool_arguments(chosen, list(ctx.args), settings.bootstrap_servers)
    wants_help = "--help" in args or "-h" in args
    if chosen.bootstrap and not wants_help and not _broker_answers(settings.bootstrap_servers):
        typer.echo(f"the broker at {settings.bootstrap_servers} does not answer", err=True)
        raise typer.Exit(Exit.UNAVAILABLE)
    if settings.secure and chosen.bootstrap and chosen.login not in args:
        from raas.clients import check_login

        check_login(settings)  # a refused password exits 4 at once, as in every raas command
        args += [chosen.login, str(tool_properties(settings))]
    try:
        argv = tool_command(settings, chosen.main_class, args)
    except StackError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(Exit.UNAVAILABLE) from None
    os.execv(argv[0], argv)


def register(app: typer.Typer) -> None:
    """Add `raas kafka`: everything after TOOL goes to the tool, --help included."""
    app.command(
        "kafka",
        help=HELP,
        context_settings={
            "allow_extra_args": True,
            "ignore_unknown_options": True,
            "allow_interspersed_args": False,
        },
    )(kafka)
