"""The Faust app: its internal topics and tables, wired in one place.

All state is keyed by INSZ. The internal topics `<app>-commands` (tenant commands, re-keyed by the
ingress), `<app>-persons` (identities, re-keyed by `rekey_persons`), `<app>-replacements` (the
steps of INSZ replacements, `streams.following`), `<app>-dimona` (Dimona declarations, re-keyed
by `streams.dimona`) and `<app>-bis` (new BIS persons, `streams.bis`) have the partition count of
the tables, so a person's register state, identity, commands, replacements and Dimona meet in one
partition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import faust
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

from raas.config import SCRAM_MECHANISM, Settings, client_credentials
from raas.topics import (
    AUTHENTIC_PERSONS,
    AUTHENTIC_REPLACEMENTS,
    DIMONA_DECLARATIONS,
    internal_bis_topic,
    internal_commands_topic,
    internal_dimona_topic,
    internal_persons_topic,
    internal_replacements_topic,
    internal_topics,
)
from streams import faust_fixes


@dataclass
class RaasApp:
    """The Faust app with the topics and tables its agents use."""

    app: faust.App
    inputs: faust.TopicT  # the internal INSZ-keyed topics, read by one agent
    commands: faust.TopicT
    persons_in: faust.TopicT
    persons: faust.TopicT
    replacements_in: faust.TopicT
    replacements: faust.TopicT
    register: faust.types.TableT[bytes, bytes]
    identities: faust.types.TableT[bytes, bytes]
    # issue 11, Dimona (streams.dimona): declarations re-keyed by INSZ, and who received a period
    dimona_in: faust.TopicT
    dimona: faust.TopicT
    dimona_routes: faust.types.TableT[bytes, bytes]
    # issue 11, BIS register (streams.bis): new persons to their INSZ, numbers per birth date
    bis: faust.TopicT
    bis_days: faust.types.TableT[bytes, bytes]


class QuietApp(faust.App):
    """A Faust app without Faust's Monitor: it keeps statistics on every event, table read and
    write, and we read none of them (no web server, no sensors of our own)."""

    def on_init_dependencies(self) -> Any:
        dependencies = super().on_init_dependencies()
        self.sensors.remove(self.monitor)
        return dependencies


def verify_fetching_only(self: Any, now: float, tp: Any) -> None:
    """`AIOKafkaConsumerThread.verify_event_path` without its checks that read the Monitor.

    Those judge a partition idle by the Monitor's `stream_inbound_time`, which QuietApp never
    fills: five minutes after start every partition with unread records got a false ERROR,
    "Stream has not started processing". `streams.watchdog` does that check on the consumer's own
    offsets. The checks of aiokafka's fetch requests and responses stay."""
    self._verify_aiokafka_event_path(now, tp)


def use_uvloop() -> None:
    """Run the worker's event loop on uvloop; call before the Faust worker is made."""
    import mode.loop

    mode.loop.use("uvloop")


def broker_credentials(settings: Settings) -> faust.SASLCredentials | None:
    """Faust's login in secure mode (SCRAM-SHA-512, from `raas.config`); None in plain mode."""
    if not settings.secure:
        return None
    username, password = client_credentials(settings)
    return faust.SASLCredentials(username=username, password=password, mechanism=SCRAM_MECHANISM)


def faust_app(
    settings: Settings, worker_name: str = "worker-1", store: str = "rocksdb://"
) -> faust.App:
    """A Faust app with our settings (the bench's Faust passthrough uses the same)."""
    faust_fixes.install()
    AIOKafkaConsumerThread.verify_event_path = verify_fetching_only  # type: ignore[method-assign]
    # Local state belongs to one app id: another app id on the same var/ has other changelogs.
    datadir = settings.var_dir / worker_name / settings.app_id
    datadir.mkdir(parents=True, exist_ok=True)  # a fresh RAAS_VAR_DIR has no folders yet
    return QuietApp(
        settings.app_id,
        broker=f"kafka://{settings.bootstrap_servers}",
        broker_credentials=broker_credentials(settings),
        broker_client_id=f"{settings.app_id}-worker",  # names it in the broker's request log
        store=store,
        datadir=str(datadir),
        topic_partitions=settings.partitions,
        topic_replication_factor=1,
        topic_allow_declare=True,
        web_enabled=False,
        processing_guarantee="at_least_once",
        producer_acks=-1,
        # Batches of 10 ms instead of a produce request per message: a third of the broker's CPU.
        producer_linger=0.01,
        broker_commit_every=1000,
        broker_commit_interval=1.0,
        table_standby_replicas=0,
        # A crashed worker's partitions move to the others after 10 s, not Faust's default 60 s.
        broker_session_timeout=10.0,
        broker_heartbeat_interval=3.0,
        consumer_auto_offset_reset="earliest",
        key_serializer="raw",
        value_serializer="raw",
    )


def create_app(
    settings: Settings, worker_name: str = "worker-1", store: str = "rocksdb://"
) -> RaasApp:
    app = faust_app(settings, worker_name, store)

    def internal(*names: str) -> faust.TopicT:
        return app.topic(
            *names,
            partitions=settings.partitions,
            internal=True,
            key_type=bytes,
            value_type=bytes,
        )

    return RaasApp(
        app=app,
        inputs=internal(*internal_topics(settings.app_id)),
        commands=internal(internal_commands_topic(settings.app_id)),
        persons_in=app.topic(AUTHENTIC_PERSONS, key_type=bytes, value_type=bytes),
        persons=internal(internal_persons_topic(settings.app_id)),
        replacements_in=app.topic(AUTHENTIC_REPLACEMENTS, key_type=bytes, value_type=bytes),
        replacements=internal(internal_replacements_topic(settings.app_id)),
        register=app.Table(
            "register", partitions=settings.partitions, key_type=bytes, value_type=bytes
        ),
        identities=app.Table(
            "persons", partitions=settings.partitions, key_type=bytes, value_type=bytes
        ),
        dimona_in=app.topic(DIMONA_DECLARATIONS, key_type=bytes, value_type=bytes),
        dimona=internal(internal_dimona_topic(settings.app_id)),
        dimona_routes=app.Table(
            "dimona-routes", partitions=settings.partitions, key_type=bytes, value_type=bytes
        ),
        bis=internal(internal_bis_topic(settings.app_id)),
        bis_days=app.Table(
            "bis-days", partitions=settings.partitions, key_type=bytes, value_type=bytes
        ),
    )
