"""The schema registry: Apicurio Registry 2.x, run from the Quarkus app Maven unpacked.

`registry/pom.xml` pins the version; `fetch_app` unpacks the app into `registry/app/`; `start`
launches its runner jar with a small heap on 127.0.0.1, its H2 database a file under
`<var>/registry/data/`, and waits until it is ready. What it holds is filled and checked by
`raas.stack.registry_schemas`; its Confluent-compatible API is `Settings.ccompat_url`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from raas.config import Settings
from raas.stack import StackError
from raas.stack.kafka import java_path, log_tail
from raas.stack.processes import ours_running, read_pid, spawn, stop
from raas.stack.registry_schemas import ApicurioApi

RUNNER_JAR = re.compile(r"^apicurio-registry-app-(?P<version>.+)-runner\.jar$")
# A small heap (it idles at about 250 MB RSS) and the client compiler only, which halves its start
# (5 s against 14 s here) and costs nothing a registry's few calls would notice.
# docker-compose.yml gives its container the same (tests/unit/stack/test_compose.py).
JVM_OPTIONS = ("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
READY_TIMEOUT = 120.0


@dataclass(frozen=True)
class RegistryPaths:
    app: Path
    home: Path
    data: Path
    log: Path
    pid: Path

    @classmethod
    def of(cls, settings: Settings) -> RegistryPaths:
        home = settings.var_dir / "registry"
        return cls(
            app=settings.registry_dir / "app",
            home=home,
            data=home / "data",
            log=home / "registry.log",
            pid=home / "registry.pid",
        )


def runner_jar(app: Path) -> Path | None:
    """The app's runner jar, or None when the app is not unpacked."""
    if not (app / "lib").is_dir():
        return None
    return next((jar for jar in sorted(app.glob("*.jar")) if RUNNER_JAR.match(jar.name)), None)


def app_version(settings: Settings) -> str | None:
    """The version of the unpacked registry app, or None when there is none."""
    jar = runner_jar(RegistryPaths.of(settings).app)
    match = RUNNER_JAR.match(jar.name) if jar else None
    return match.group("version") if match else None


def fetch_app(settings: Settings) -> str:
    """Unpack the registry app into registry/app through Maven; return its version."""
    version = app_version(settings)
    if version is not None:
        return version
    mvn = shutil.which("mvn")
    if mvn is None:
        raise StackError(
            "Maven (mvn) is not installed; it fetches the schema registry. "
            "Install it with: apt-get install -y maven"
        )
    if not (settings.registry_dir / "pom.xml").is_file():
        raise StackError(
            f"No registry/pom.xml in {settings.registry_dir}: run from a checkout of the project, "
            "or point RAAS_REGISTRY_DIR at its registry/ folder"
        )
    app = RegistryPaths.of(settings).app
    if app.exists():
        shutil.rmtree(app)  # a partial unpack is fetched anew
    result = subprocess.run(
        [mvn, "-q", "-B", "dependency:unpack"],
        cwd=settings.registry_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    version = app_version(settings)
    if result.returncode != 0 or version is None:
        tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
        raise StackError("Maven could not fetch the schema registry:\n" + "\n".join(tail))
    return version


def launch_properties(settings: Settings, paths: RegistryPaths) -> dict[str, str]:
    """The Quarkus settings the registry is started with: address, H2 file, a small pool."""
    return {
        "quarkus.http.host": _host(settings),
        "quarkus.http.port": str(settings.registry_port),
        "quarkus.datasource.jdbc.url": f"jdbc:h2:file:{paths.data / 'registry'}",
        "quarkus.datasource.jdbc.initial-size": "2",
        "quarkus.datasource.jdbc.min-size": "2",
    }


def _host(settings: Settings) -> str:
    return urlsplit(settings.registry_url).hostname or "127.0.0.1"


def start(settings: Settings) -> tuple[int, bool]:
    """Start the registry unless ours is already running; return (pid, started_now)."""
    paths = RegistryPaths.of(settings)
    running = ours_running(
        paths.pid, _host(settings), [settings.registry_port], "another port: RAAS_REGISTRY_PORT"
    )
    if running is not None:
        wait_ready(settings, paths)
        return running, False
    java = java_path()
    fetch_app(settings)
    jar = runner_jar(paths.app)
    assert jar is not None  # fetch_app made sure
    paths.data.mkdir(parents=True, exist_ok=True)
    pid = spawn(
        [
            java,
            *JVM_OPTIONS,
            "-Djava.awt.headless=true",
            *(f"-D{key}={value}" for key, value in launch_properties(settings, paths).items()),
            "-jar",
            str(jar),
        ],
        log_file=paths.log,
        pid_file=paths.pid,
        cwd=paths.home,
    )
    wait_ready(settings, paths)
    return pid, True


def wait_ready(settings: Settings, paths: RegistryPaths, timeout: float = READY_TIMEOUT) -> None:
    """Block until the registry answers, or fail with its log's last lines."""
    api = ApicurioApi(settings.registry_url, timeout=2.0)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if read_pid(paths.pid) is None:
            raise StackError("The schema registry exited during start-up:\n" + log_tail(paths.log))
        if api.version() is not None:
            return
        time.sleep(0.5)
    raise StackError(
        f"The schema registry did not answer within {timeout:.0f} s:\n" + log_tail(paths.log)
    )


def stop_registry(settings: Settings) -> bool:
    """Stop our registry; True when one was running."""
    return stop(RegistryPaths.of(settings).pid, grace=20.0)


def running_pid(settings: Settings) -> int | None:
    return read_pid(RegistryPaths.of(settings).pid)
