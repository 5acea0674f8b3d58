"""PostgreSQL from Debian's packages: installed when missing (as root), started by pg_ctlcluster.

We manage the first cluster `pg_lsclusters` lists, create the `raas` role and database on it when
missing, and remember in var/ whether we started it, so `down` stops only what `up` started.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from raas.config import Settings
from raas.stack import StackError

INSTALL_COMMAND = "apt-get update && apt-get install -y postgresql"


@dataclass(frozen=True)
class Cluster:
    version: str
    name: str
    port: int
    online: bool


def installed() -> bool:
    return shutil.which("pg_lsclusters") is not None and any(
        Path("/usr/lib/postgresql").glob("*/bin/postgres")
    )


def install() -> None:
    """Install Debian's postgresql when no server is present (needs root)."""
    if installed():
        return
    if os.geteuid() != 0:
        raise StackError(
            f"PostgreSQL is not installed. Install it with: sudo sh -c '{INSTALL_COMMAND}'"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for argv in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "postgresql"]):
        result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise StackError(f"`{' '.join(argv)}` failed:\n{result.stdout[-2000:]}{result.stderr}")


def cluster() -> Cluster | None:
    """The first PostgreSQL cluster on this machine, or None."""
    if shutil.which("pg_lsclusters") is None:
        return None
    out = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=False
    ).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 4:
            return Cluster(parts[0], parts[1], int(parts[2]), parts[3] == "online")
    return None


def _marker(settings: Settings) -> Path:
    return settings.var_dir / "postgres.started-by-raas"


def start(settings: Settings) -> tuple[Cluster, bool]:
    """Start the cluster when it is down and make sure the raas role and database exist."""
    found = cluster()
    if found is None:
        raise StackError(
            "PostgreSQL has no cluster. Install the server with: "
            f"sudo sh -c '{INSTALL_COMMAND}' (it creates one)"
        )
    started = False
    if not found.online:
        _run(["pg_ctlcluster", found.version, found.name, "start"])
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        _marker(settings).write_text(f"{found.version} {found.name}\n")
        started = True
    _ensure_database(settings, found)
    return Cluster(found.version, found.name, found.port, True), started


def _ensure_database(settings: Settings, found: Cluster) -> None:
    url = urlsplit(settings.postgres_url)
    user, password = url.username or "raas", url.password or "raas"
    database = url.path.lstrip("/") or "raas"
    if url.port is not None and url.port != found.port:
        raise StackError(
            f"RAAS_POSTGRES_URL names port {url.port} but the cluster listens on {found.port}"
        )
    exists = _psql(found, f"SELECT 1 FROM pg_roles WHERE rolname = '{user}'")
    if exists != "1":
        _psql(found, f"CREATE ROLE \"{user}\" LOGIN PASSWORD '{password}' CREATEDB")
    exists = _psql(found, f"SELECT 1 FROM pg_database WHERE datname = '{database}'")
    if exists != "1":
        _psql(found, f'CREATE DATABASE "{database}" OWNER "{user}"')


def _psql(found: Cluster, sql: str) -> str:
    argv = ["psql", "-p", str(found.port), "-tAq", "-c", sql]
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    return _run(argv).strip()


def _run(argv: list[str]) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise StackError(f"`{' '.join(argv)}` failed: {result.stderr.strip() or result.stdout}")
    return result.stdout


def stop(settings: Settings) -> bool:
    """Stop the cluster only when our `start` started it; True when it did."""
    marker = _marker(settings)
    if not marker.exists():
        return False
    version, name = marker.read_text().split()
    marker.unlink()
    found = cluster()
    if found is not None and found.online:
        _run(["pg_ctlcluster", version, name, "stop", "-m", "fast"])
        return True
    return False


def server_version(settings: Settings) -> str | None:
    """The server's version string, asked over a real connection; None when it does not answer."""
    try:
        import sqlalchemy

        engine = sqlalchemy.create_engine(
            settings.postgres_url, connect_args={"connect_timeout": 3}
        )
        with engine.connect() as conn:
            version = conn.execute(sqlalchemy.text("SHOW server_version")).scalar_one()
        engine.dispose()
        return str(version).split()[0]
    except Exception:
        return None
