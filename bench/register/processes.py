"""The processes under test, and the checks that say when they are ready or not alone."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import confluent_kafka
from confluent_kafka import Producer, TopicPartition
from confluent_kafka.admin import AdminClient  # type: ignore[attr-defined]

from bench.register.phase import console
from raas import codec
from raas.clients import end_offset, make_consumer, make_producer
from raas.config import Settings, client_security, security_environment
from raas.domain.commands import Consult
from raas.stack import kafka


@dataclass
class Child:
    """A subprocess in its own session, its output in a log file; stopped with TERM, then KILL."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Child:
        with self.log.open("ab") as sink:
            self.proc = subprocess.Popen(
                self.argv, stdout=sink, stderr=subprocess.STDOUT, env=self.env,
                start_new_session=True,
            )  # fmt: skip
        return self

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace: float = 30) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            console.print(f"{self.name} did not stop in {grace:.0f} s after TERM: killing it")
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"


REPO = Path(__file__).resolve().parents[2]


def child_env(settings: Settings, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "RAAS_VAR_DIR": str(settings.var_dir),
        "RAAS_APP_ID": settings.app_id,
        "RAAS_BOOTSTRAP_SERVERS": settings.bootstrap_servers,
        "RAAS_PARTITIONS": str(settings.partitions),
        **security_environment(settings),
        "RAAS_METRICS_PORT": str(settings.metrics_port),
        **extra,
    }


def probe(producer: Producer, targets: list[tuple[str, bytes]], value: bytes | None) -> int:
    """One message per (topic, key), answered under a key the collector does not know."""
    for topic, key in targets:
        consult = Consult(f"warm-{uuid.uuid4()}", "warm-up", key.decode())
        producer.produce(topic, key=key, value=value or codec.encode(consult))
    producer.flush(10)
    return len(targets)


def forwards_a_probe(settings: Settings, in_topic: str, out_topic: str) -> Callable[[], bool]:
    """A check that sends a probe through a passthrough and says whether it came out."""
    consumer = make_consumer(
        settings, group_id=f"{settings.app_id}-probe", **{"enable.partition.eof": False}
    )
    parts = consumer.list_topics(out_topic, timeout=30).topics[out_topic].partitions
    consumer.assign([end_offset(consumer, out_topic, p) for p in parts])
    producer = make_producer(settings)

    def check() -> bool:
        producer.produce(in_topic, key=b"probe", value=b"probe")
        producer.flush(10)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            msg = consumer.poll(0.2)
            if msg is not None and msg.error() is None:
                consumer.close()
                return True
        return False

    return check


def committed_to_end(settings: Settings, group: str, topic: str) -> Callable[[], bool]:
    """A check: has `group` committed `topic` up to the end offsets it had when this was made?"""
    consumer = make_consumer(settings, group_id=group)
    parts = consumer.list_topics(topic, timeout=30).topics[topic].partitions
    ends = {p: end_offset(consumer, topic, p).offset for p in parts}

    def check() -> bool:
        committed = consumer.committed([TopicPartition(topic, p) for p in ends], timeout=10)
        done = all(tp.offset >= ends[tp.partition] for tp in committed if ends[tp.partition] > 0)
        if done:
            consumer.close()
        return done

    return check


def start_group_at_end(settings: Settings, group: str, topics: list[str]) -> None:
    """Commit `group`'s offsets at the topics' current ends: it reads only what comes next."""
    consumer = make_consumer(settings, group_id=group)
    ends = []
    for topic in topics:
        parts = consumer.list_topics(topic, timeout=30).topics[topic].partitions
        ends += [end_offset(consumer, topic, p) for p in parts]
    consumer.commit(offsets=ends, asynchronous=False)
    consumer.close()


@functools.cache
def _admin(settings: Settings) -> AdminClient:
    admin = AdminClient(
        {"bootstrap.servers": settings.bootstrap_servers, **client_security(settings)}
    )
    admin.list_topics(timeout=10)  # a fresh client lists the groups of the brokers it knows
    return admin


def other_apps(settings: Settings) -> dict[str, list[str]]:
    """Other RAAS apps live on the broker. Every app's ingress reads *every* tenant's commands
    topic (one regex), so another app's live ingress forwards our commands too (CPU on this
    machine), and when its register agent is live as well it answers them into our results
    topics (duplicates, possibly first)."""
    try:
        admin = _admin(settings)
        groups = admin.list_consumer_groups().result(timeout=10).valid
    except Exception as exc:  # informative only
        return {"unknown": [str(exc)]}
    gone = {confluent_kafka.ConsumerGroupState.EMPTY, confluent_kafka.ConsumerGroupState.DEAD}
    live = {g.group_id for g in groups if g.state not in gone}  # stable or rebalancing
    apps = {g.removesuffix("-ingress") for g in live if g.endswith("-ingress")}
    apps.discard(settings.app_id)
    return {"forwarding": sorted(apps), "answering": sorted(app for app in apps if app in live)}


class Watch(threading.Thread):
    """Polls `other_apps` every few seconds; the union of what it saw."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(name="watch", daemon=True)
        self.settings = settings
        self.seen: dict[str, set[str]] = {}
        self._halt = threading.Event()

    def run(self) -> None:
        while True:
            for kind, apps in other_apps(self.settings).items():
                self.seen.setdefault(kind, set()).update(apps)
            if self._halt.wait(5):
                return

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=30)


def fresh_run(prefix: str) -> tuple[Settings, Settings, str] | None:
    """The environment's settings (`base`) and a run's own: app id `<prefix>-<stamp>`, a fresh
    temp dir as var dir; with the stamp. None, said why, when no broker answers."""
    base = Settings.from_env()
    if not kafka.answers_to(base, timeout=10):
        console.print(f"[red]no broker answers on {base.bootstrap_servers}")
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    var = Path(tempfile.mkdtemp(prefix=f"{prefix}-{stamp}-"))
    return base, replace(base, app_id=f"{prefix}-{stamp}", var_dir=var), stamp
