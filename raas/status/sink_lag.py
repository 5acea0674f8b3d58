"""The sinks' lag: a sink keeps its offsets in the database (`sink_offsets`), not in Kafka.

Each batch of a sink stores the next offset of every partition it read in the same transaction
as its rows (`sinks/loop.py`), so its Kafka group has members but no committed offsets. Here
those stored offsets are read from the database `Settings.database_url` names (SQLite or
PostgreSQL), read only: nothing is created or migrated, and a SQLite file that does not exist
means no sink ran here. A sink's lag on a partition is its high watermark minus the stored
offset; a partition of a topic it reads that it never stored an offset for counts from the
partition's first offset, where the sink starts it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from confluent_kafka import TopicPartition
from confluent_kafka.admin import AdminClient
from sqlalchemy import Connection, create_engine, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from raas.status.offsets import EARLIEST, LATEST, offsets_at
from raas.status.report import Group, PartitionLag, Service
from sinks import tables
from sinks.routes import SinkSpec, sink_specs

Stored = dict[str, dict[tuple[str, int], int]]  # sink -> (topic, partition) -> next offset


def read_database(url: str) -> tuple[Service | None, Stored]:
    """The read side's database as a service, and every sink's stored offsets.

    (None, {}) when `url` names a SQLite file that does not exist; the service down when the
    database cannot be read. A database without the `sink_offsets` table stored nothing yet.
    """
    parsed = make_url(url)
    address = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        return None, {}
    engine = create_engine(url)  # not sinks.database.make_engine: it would make the folder
    try:
        with engine.connect() as connection:
            stored = _stored(connection)
            version = ".".join(str(n) for n in engine.dialect.server_version_info or ())
    except SQLAlchemyError:
        return Service("database", address, None, up=False), {}
    finally:
        engine.dispose()
    return Service("database", address, f"{engine.dialect.name} {version}", up=True), stored


def _stored(connection: Connection) -> Stored:
    if not inspect(connection).has_table(tables.sink_offsets.name):
        return {}
    table = tables.sink_offsets
    found: Stored = {}
    rows = connection.execute(
        select(table.c.consumer, table.c.topic, table.c.partition, table.c.next_offset)
    )
    for consumer, topic, partition, offset in rows:
        found.setdefault(consumer, {})[(topic, partition)] = offset
    return found


def sink_groups(
    admin: AdminClient,
    metadata: Mapping[str, Any],
    app_id: str,
    listed: Mapping[str, Group],
    stored: Stored,
) -> list[Group]:
    """A group for each sink that ran here (its Kafka group is listed, or it stored offsets),
    with the lag of every partition of the topics it reads, at its stored offsets."""
    found = []
    for spec in sink_specs(app_id):
        group_id = spec.group_id(app_id)
        own = stored.get(spec.name, {})
        kafka = listed.get(group_id)
        if kafka is None and not own:
            continue
        found.append(
            Group(
                group_id=group_id,
                state=kafka.state if kafka else "DEAD",  # what Kafka says of a group it has not
                members=kafka.members if kafka else (),
                partitions=_lags(admin, _read_by(spec, metadata), own),
                offsets="database",
            )
        )
    return found


def sink_name(app_id: str, group_id: str) -> str:
    """The sink (the `consumer` of `sink_offsets`) whose group is `group_id`."""
    return group_id.removeprefix(f"{app_id}-sink-")


def _read_by(spec: SinkSpec, metadata: Mapping[str, Any]) -> list[TopicPartition]:
    return [
        TopicPartition(topic, partition)
        for topic in sorted(metadata)
        if spec.route_for(topic) is not None
        for partition in sorted(metadata[topic].partitions)
    ]


def _lags(
    admin: AdminClient, partitions: list[TopicPartition], own: dict[tuple[str, int], int]
) -> tuple[PartitionLag, ...]:
    ends = offsets_at(admin, partitions, LATEST)
    firsts = offsets_at(
        admin, [tp for tp in partitions if (tp.topic, tp.partition) not in own], EARLIEST
    )
    return tuple(
        PartitionLag(
            topic, partition, own.get((topic, partition), firsts.get((topic, partition), 0)), end
        )
        for (topic, partition), end in sorted(ends.items())
    )
