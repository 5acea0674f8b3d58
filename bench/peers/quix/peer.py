"""The register on Quix Streams: the topology of the RAAS pipeline, for the bench to compare.

    bench/peers/quix/.venv/bin/python bench/peers/quix/peer.py --group G --state-dir D KBO...

Runs in its own environment (`setup.sh`: Quix Streams pins its own confluent-kafka) with this
repository on its path, so the domain core and codec are ours, as checked out.

- Each tenant's `raas.tenant.<KBO>.commands` becomes a `TenantCommand` (the tenant from the topic)
  and goes, keyed by INSZ, to `<group>-tenant-commands` (8 partitions): what our ingress does.
- `authentic.persons` is re-keyed by INSZ the same way: what our `rekey_persons` agent does.
- Both meet in one stateful step: per INSZ, the `InszState` and the identity live in Quix's
  RocksDB store, backed by its changelog; `raas.domain.register.handle` answers each command.
- Each result goes to `raas.tenant.<KBO>.results`, keyed by request id.

Tenant configurations are read once from `raas.admin.tenants` at start (the bench adds its
tenants before). Replaced INSZs (forwarding) are not handled: the bench does not replace any.
Producers use `murmur2_random`, as ours do, so keys land where Faust and Java clients put them.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from datetime import UTC, datetime
from functools import reduce
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from confluent_kafka import Consumer, TopicPartition  # noqa: E402
from quixstreams import Application, State  # noqa: E402
from quixstreams.models.serializers import Deserializer, Serializer  # noqa: E402
from quixstreams.models.topics import TopicConfig  # noqa: E402
from quixstreams.models.topics.manager import TopicManager  # noqa: E402
from quixstreams.state.rocksdb import RocksDBOptions  # noqa: E402
from quixstreams.utils.json import dumps as json_dumps  # noqa: E402
from quixstreams.utils.json import loads as json_loads  # noqa: E402

from raas import codec  # noqa: E402
from raas.config import Settings  # noqa: E402
from raas.codec.envelopes import TenantCommand  # noqa: E402
from raas.domain.commands import Consult, Delete, Register  # noqa: E402
from raas.domain.insz import parse_insz  # noqa: E402
from raas.domain.persons import PersonIdentity  # noqa: E402
from raas.domain.register import InszState, handle, refuse_unserved  # noqa: E402
from raas.domain.tenants import TenantConfig  # noqa: E402
from raas.topics import ADMIN_TENANTS, AUTHENTIC_PERSONS, tenant_topic  # noqa: E402


_internal_name = TopicManager._internal_name


def _short_internal_name(self: Any, topic_type: Any, topic_name: Any, suffix: str) -> str:
    """Quix names an internal topic after every source topic of its stream, joined: with ten
    tenants' topics that passes Kafka's limit of 249 characters. A long name keeps its group and
    suffix and replaces the sources with a digest of them."""
    name = _internal_name(self, topic_type, topic_name, suffix)
    if len(name) <= 200:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:16]
    return f"{topic_type}__{self._consumer_group}--{digest}--{suffix}"


TopicManager._internal_name = _short_internal_name


class AvroOut(Serializer):
    def __call__(self, value: Any, ctx: Any) -> bytes:
        return codec.encode(value)


class AvroIn(Deserializer):
    def __init__(self, record: Any) -> None:
        super().__init__()
        self.record = record

    def __call__(self, value: bytes, ctx: Any) -> Any:
        return codec.decode(value, self.record)


def dumps(value: Any) -> bytes:
    """State values in our codec (one byte says which record); keys as Quix keeps them."""
    if isinstance(value, InszState):
        return b"S" + codec.encode(value)
    if isinstance(value, PersonIdentity):
        return b"P" + codec.encode(value)
    return json_dumps(value)


def loads(raw: bytes) -> Any:
    if raw[:1] == b"S":
        return codec.decode(raw[1:], codec.INSZ_STATE)
    if raw[:1] == b"P":
        return codec.decode(raw[1:], codec.PERSON_IDENTITY)
    return json_loads(raw)


def tenant_configs(bootstrap: str, tenants: list[str]) -> dict[str, TenantConfig]:
    """The tenants' configurations, read once from the admin topic."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "unused", "enable.auto.commit": False})
    parts = consumer.list_topics(ADMIN_TENANTS, timeout=30).topics[ADMIN_TENANTS].partitions
    ends = {p: consumer.get_watermark_offsets(TopicPartition(ADMIN_TENANTS, p), timeout=30)[1] for p in parts}
    consumer.assign([TopicPartition(ADMIN_TENANTS, p, 0) for p in parts])
    configs: dict[str, TenantConfig] = {}
    done = {p for p, end in ends.items() if end == 0}
    while len(done) < len(parts):
        msg = consumer.poll(1.0)
        if msg is None or msg.error() is not None:
            continue
        key = msg.key().decode()
        if key in tenants:
            if msg.value() is None:
                configs.pop(key, None)
            else:
                configs[key] = codec.decode(msg.value(), codec.TENANT_CONFIG)
        if msg.offset() + 1 >= ends[msg.partition()]:
            done.add(msg.partition())
    consumer.close()
    return configs


def build(
    app: Application, group: str, tenants: list[str], configs: dict[str, TenantConfig]
) -> None:
    def commands_of(kbo: str) -> Any:
        topic = app.topic(tenant_topic(kbo, "commands"), value_deserializer=AvroIn(codec.COMMAND))
        return app.dataframe(topic).apply(lambda c: TenantCommand.of(kbo, c, datetime.now(UTC)))

    # The tenants' topics have one partition each, and Quix's group_by keeps a source's count
    # (with one, it re-keys in place), so the commands go through a topic of the internal count,
    # as our ingress forwards them to <app>-tenant-commands: copartitioned with the persons.
    internal = app.topic(
        f"{group}-tenant-commands", key_serializer="str", key_deserializer="str",
        value_serializer=AvroOut(), value_deserializer=AvroIn(codec.TENANT_COMMAND),
        config=TopicConfig(num_partitions=Settings.from_env().partitions, replication_factor=1),
    )  # fmt: skip
    envelopes = reduce(lambda a, b: a.concat(b), [commands_of(kbo) for kbo in tenants])
    envelopes.to_topic(internal, key=lambda e: parse_insz(e.command.insz).number)
    commands = app.dataframe(internal)
    identities = app.dataframe(
        app.topic(AUTHENTIC_PERSONS, value_deserializer=AvroIn(codec.PERSON_IDENTITY))
    ).group_by(
        lambda p: parse_insz(p.insz).number, name="persons",
        key_serializer="str", key_deserializer="str",
        value_serializer=AvroOut(), value_deserializer=AvroIn(codec.PERSON_IDENTITY),
    )  # fmt: skip

    def step(value: Any, key: str, _timestamp: int, _headers: Any, state: State) -> Any:
        if isinstance(value, PersonIdentity):
            state.set("person", value)
            return None
        command, tenant, now = value.command, value.tenant, datetime.now(UTC)
        if not isinstance(command, Register | Delete | Consult):
            return refuse_unserved(command, tenant=tenant, now=now)
        old = state.get("state") or InszState(key)
        new, result = handle(
            old, command, tenant=tenant, config=configs.get(tenant),
            person=state.get("person"), now=now,
        )  # fmt: skip
        if new is not old:
            state.set("state", new)
        return result

    results = {
        kbo: app.topic(tenant_topic(kbo, "results"), key_serializer="str", value_serializer=AvroOut())
        for kbo in tenants
    }
    answered = commands.concat(identities).apply(step, stateful=True, metadata=True)
    answered = answered.filter(lambda r: r is not None)
    answered.to_topic(lambda r, *_: results[r.tenant], key=lambda r: r.request_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--group", required=True, help="consumer group, prefix of its topics")
    parser.add_argument("--state-dir", required=True, type=Path)
    parser.add_argument("tenants", nargs="+", help="KBO numbers of the tenants to serve")
    args = parser.parse_args()
    bootstrap = os.environ.get("RAAS_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    app = Application(
        broker_address=bootstrap,
        consumer_group=args.group,
        auto_offset_reset="earliest",  # the bench commits the commands topics' ends first
        commit_interval=1.0,  # as our Faust app's broker_commit_interval
        state_dir=args.state_dir,
        rocksdb_options=RocksDBOptions(dumps=dumps, loads=loads),
        producer_extra_config={"partitioner": "murmur2_random", "linger.ms": 10},
        loglevel="WARNING",
    )
    build(app, args.group, args.tenants, tenant_configs(bootstrap, args.tenants))
    app.run()


if __name__ == "__main__":
    main()
