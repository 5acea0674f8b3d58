"""The Apache Kafka broker, single node in KRaft mode, run from jars Maven fetched.

`kafka/pom.xml` pins the version; `fetch_jars` copies the jars into `kafka/lib/`; `start` formats
the storage once, launches `kafka.Kafka` with a capped heap, and waits until the broker answers a
metadata request.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import uuid
from base64 import urlsafe_b64encode
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from raas.config import ADMIN_USER, Settings, as_user, client_security
from raas.stack import StackError, secure
from raas.stack.processes import ours_running, read_pid, spawn, stop

BROKER_JAR = re.compile(r"^kafka_2\.13-(?P<version>[0-9][0-9.]*)\.jar$")
READY_TIMEOUT = 120.0
# A cache without one of these is fetched anew (e.g. one made before kafka-tools joined the pom).
NEEDED_JARS = tuple(
    re.compile(rf"^{name}-[0-9][0-9.]*\.jar$")
    for name in ("kafka-clients", "kafka-server", "kafka-tools", "log4j-core", "log4j-slf4j2-impl")
)


@dataclass(frozen=True)
class BrokerPaths:
    lib: Path
    home: Path
    data: Path
    config: Path
    log: Path
    pid: Path

    @classmethod
    def of(cls, settings: Settings) -> BrokerPaths:
        # Plain and secure brokers keep their own data: SCRAM users are added at format time.
        home = settings.var_dir / ("kafka-secure" if settings.secure else "kafka")
        return cls(
            lib=settings.kafka_dir / "lib",
            home=home,
            data=home / "data",
            config=home / "server.properties",
            log=home / "server.log",
            pid=home / "kafka.pid",
        )


def broker_version(lib: Path) -> str | None:
    """The Kafka version of the cached broker jar, or None when the cache has none."""
    if not lib.is_dir():
        return None
    for jar in lib.iterdir():
        match = BROKER_JAR.match(jar.name)
        if match:
            return match.group("version")
    return None


def fetch_jars(settings: Settings) -> str:
    """Resolve the broker and its log4j2 backend into kafka/lib; return the Kafka version."""
    paths = BrokerPaths.of(settings)
    version = broker_version(paths.lib)
    if version and _cache_complete(paths.lib):
        return version
    mvn = shutil.which("mvn")
    if mvn is None:
        raise StackError(
            "Maven (mvn) is not installed; it fetches the Kafka jars. "
            "Install it with: apt-get install -y maven"
        )
    if paths.lib.exists():
        shutil.rmtree(paths.lib)  # a broken or partial cache is fetched anew
    result = subprocess.run(
        [mvn, "-q", "-B", "dependency:copy-dependencies"],
        cwd=settings.kafka_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    version = broker_version(paths.lib)
    if result.returncode != 0 or version is None or not _cache_complete(paths.lib):
        tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
        raise StackError("Maven could not fetch the Kafka jars:\n" + "\n".join(tail))
    return version


def _cache_complete(lib: Path) -> bool:
    names = {p.name for p in lib.glob("*.jar") if p.stat().st_size > 0}
    return all(any(jar.match(n) for n in names) for jar in NEEDED_JARS)


def java_path() -> str:
    """The `java` on PATH; the broker and the schema registry need Java 17 or newer."""
    java = shutil.which("java")
    if java is None:
        raise StackError(
            "Java is not installed; the Kafka broker and the schema registry need Java 17 or "
            "newer. Install it with: apt-get install -y openjdk-17-jre-headless"
        )
    return java


def _server_properties(
    settings: Settings, paths: BrokerPaths, stored: secure.Secrets | None = None
) -> str:
    host, port, cport = settings.kafka_host, settings.kafka_port, settings.controller_port
    listeners = (
        secure.listener_properties(settings, stored)
        if stored is not None
        else [
            f"listeners=PLAINTEXT://{host}:{port},CONTROLLER://{host}:{cport}",
            f"advertised.listeners=PLAINTEXT://{host}:{port}",
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        ]
    )
    return "\n".join(
        [
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.bootstrap.servers={host}:{cport}",
            *listeners,
            f"log.dirs={paths.data}",
            f"num.partitions={settings.partitions}",
            # Topics are created by whoever owns them (`raas tenant add`, the worker), never by a
            # first write: a command to a stray topic name must not create a tenant's topics.
            "auto.create.topics.enable=false",
            # A single node: every internal topic has one replica, or groups and
            # transactions hang waiting for replicas that do not exist.
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=8",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "transaction.state.log.num.partitions=8",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "log.retention.hours=168",
            "",
        ]
    )


def _formatted(paths: BrokerPaths) -> bool:
    return (paths.data / "meta.properties").exists()


def _format_storage(
    settings: Settings, paths: BrokerPaths, java: str, stored: secure.Secrets | None
) -> None:
    if _formatted(paths):
        return
    paths.data.mkdir(parents=True, exist_ok=True)
    cluster_id = new_cluster_id()
    result = subprocess.run(
        [
            java,
            "-cp",
            f"{paths.lib}/*",
            "-Dlog4j2.configurationFile=" + str(_log_config(settings)),
            "kafka.tools.StorageTool",
            "format",
            "--standalone",
            "-t",
            cluster_id,
            "-c",
            str(paths.config),
            *(secure.format_arguments(stored) if stored is not None else []),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        output = secure.redact(result.stdout + result.stderr, stored)
        raise StackError("Formatting the Kafka storage failed:\n" + output)


def new_cluster_id(draw: Callable[[], uuid.UUID] = uuid.uuid4) -> str:
    """A random cluster id that never starts with `-`, as Kafka's own `Uuid.randomUuid()`.

    The id is URL-safe base64 of a random UUID; one in 64 starts with `-`, which the storage
    tool's argument parser takes for an option. Such draws (and the all-zero UUID, which Kafka
    reserves) are drawn again.
    """
    while True:
        drawn = draw()
        cluster_id = urlsafe_b64encode(drawn.bytes).decode().rstrip("=")
        if drawn.int != 0 and not cluster_id.startswith("-"):
            return cluster_id


def _log_config(settings: Settings) -> Path:
    return settings.kafka_dir / "log4j2.yaml"


def start(settings: Settings) -> tuple[int, bool]:
    """Start the broker unless ours is already running; return (pid, started_now)."""
    paths = BrokerPaths.of(settings)
    running = ours_running(
        paths.pid,
        settings.kafka_host,
        [settings.kafka_port, settings.controller_port],
        "other ports: RAAS_KAFKA_PORT and RAAS_CONTROLLER_PORT",
    )
    if running is not None:
        wait_ready(settings, paths)
        return running, False
    java = java_path()
    fetch_jars(settings)
    paths.home.mkdir(parents=True, exist_ok=True)
    stored = secure.ensure_secrets(settings, _formatted(paths)) if settings.secure else None
    if stored is None:
        paths.config.write_text(_server_properties(settings, paths))
    else:  # it holds the JAAS passwords
        secure.write_private(paths.config, _server_properties(settings, paths, stored))
    _format_storage(settings, paths, java, stored)
    pid = spawn(
        [
            java,
            f"-Xms{settings.kafka_heap}",
            f"-Xmx{settings.kafka_heap}",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={_log_config(settings)}",
            "-cp",
            f"{paths.lib}/*",
            "kafka.Kafka",
            str(paths.config),
        ],
        log_file=paths.log,
        pid_file=paths.pid,
    )
    wait_ready(settings, paths)
    return pid, True


def wait_ready(settings: Settings, paths: BrokerPaths, timeout: float = READY_TIMEOUT) -> None:
    """Block until the broker answers a metadata request, or fail with its log's last lines."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if read_pid(paths.pid) is None:
            raise StackError("The Kafka broker exited during start-up:\n" + log_tail(paths.log))
        if broker_answers(settings):
            return
        time.sleep(0.5)
    raise StackError(
        f"The Kafka broker did not answer within {timeout:.0f} s:\n" + log_tail(paths.log)
    )


def broker_answers(settings: Settings, timeout: float = 2.0) -> bool:
    """True when our broker answers a metadata request; in secure mode, to the admin user."""
    return answers_to(as_user(settings, ADMIN_USER), timeout)


def answers_to(settings: Settings, timeout: float = 2.0) -> bool:
    """True when the broker answers a metadata request of `settings`' user (in secure mode);
    raises `LoginRefused` when it refuses that user's password."""
    from raas.clients import check_login

    check_login(settings, wait=timeout)
    return answers_metadata(settings.bootstrap_servers, timeout, client_security(settings))


def answers_metadata(
    bootstrap_servers: str, timeout: float = 2.0, login: Mapping[str, str] | None = None
) -> bool:
    """True when a broker at `bootstrap_servers` answers a metadata request."""
    from confluent_kafka.admin import AdminClient

    admin = AdminClient({"bootstrap.servers": bootstrap_servers, "log_level": 0, **(login or {})})
    try:
        admin.list_topics(timeout=timeout)
    except Exception:
        return False
    return True


def log_tail(log: Path, lines: int = 20) -> str:
    """The last lines of a service's log, to show why it did not start."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return f"(no log {log})"


def stop_broker(settings: Settings) -> bool:
    """Stop our broker; True when one was running."""
    return stop(BrokerPaths.of(settings).pid, grace=30.0)


def running_pid(settings: Settings) -> int | None:
    return read_pid(BrokerPaths.of(settings).pid)


def tool_command(settings: Settings, main_class: str, args: list[str]) -> list[str]:
    """The java command line that runs one of Kafka's tools (`main_class`) from the jar cache.

    Its log goes to stderr at WARN (`kafka/tools-log4j2.yaml`), as with Kafka's own scripts.
    """
    paths = BrokerPaths.of(settings)
    if broker_version(paths.lib) is None or not _cache_complete(paths.lib):
        raise StackError(f"The Kafka jars are not in {paths.lib}; fetch them: raas stack fetch")
    return [
        java_path(),
        "-Xmx256m",
        "-XX:+UseSerialGC",
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={settings.kafka_dir / 'tools-log4j2.yaml'}",
        "-cp",
        f"{paths.lib}/*",
        main_class,
        *args,
    ]
