"""Settings, read from the environment in one place, with localhost defaults.

Nothing here opens a connection: `Settings.from_env()` only reads variables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _env_int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with the variable that sets it."""

    bootstrap_servers: str  # RAAS_BOOTSTRAP_SERVERS
    kafka_host: str  # RAAS_KAFKA_HOST
    kafka_port: int  # RAAS_KAFKA_PORT
    controller_port: int  # RAAS_CONTROLLER_PORT
    kafka_heap: str  # RAAS_KAFKA_HEAP, a JVM size such as 1g
    kafka_dir: Path  # RAAS_KAFKA_DIR: holds pom.xml and the jar cache lib/
    var_dir: Path  # RAAS_VAR_DIR: broker data, logs, pid files, SQLite
    database_url: str  # RAAS_DATABASE_URL; SQLite under var/ when unset
    postgres_url: str  # RAAS_POSTGRES_URL: the server `raas stack up` manages
    partitions: int  # RAAS_PARTITIONS: partitions of the internal, INSZ-keyed topics
    schema_registry_url: str  # RAAS_SCHEMA_REGISTRY_URL; the committed id table when unset
    app_id: str  # RAAS_APP_ID: prefix of internal topics and consumer groups
    result_timeout: float  # RAAS_TIMEOUT: seconds to wait for a result
    metrics_port: int = 0  # RAAS_METRICS_PORT: where /metrics is served; 0 serves nothing
    metrics_host: str = "127.0.0.1"  # RAAS_METRICS_HOST: the address /metrics listens on

    @classmethod
    def from_env(cls, metrics_port: int | None = None) -> Settings:
        """The settings of the environment; `metrics_port`, when given, overrides its own."""
        host = _env("RAAS_KAFKA_HOST", "127.0.0.1")
        port = _env_int("RAAS_KAFKA_PORT", 9092)
        var_dir = Path(_env("RAAS_VAR_DIR", str(REPO_ROOT / "var"))).resolve()
        return cls(
            bootstrap_servers=_env("RAAS_BOOTSTRAP_SERVERS", f"{host}:{port}"),
            kafka_host=host,
            kafka_port=port,
            controller_port=_env_int("RAAS_CONTROLLER_PORT", port + 1),
            kafka_heap=_env("RAAS_KAFKA_HEAP", "1g"),
            kafka_dir=Path(_env("RAAS_KAFKA_DIR", str(REPO_ROOT / "kafka"))).resolve(),
            var_dir=var_dir,
            database_url=_env("RAAS_DATABASE_URL", f"sqlite:///{var_dir / 'raas.db'}"),
            postgres_url=_env(
                "RAAS_POSTGRES_URL", "postgresql+psycopg2://raas:raas@127.0.0.1:5432/raas"
            ),
            partitions=_env_int("RAAS_PARTITIONS", 8),
            schema_registry_url=_env("RAAS_SCHEMA_REGISTRY_URL", ""),
            app_id=_env("RAAS_APP_ID", "raas"),
            result_timeout=float(_env("RAAS_TIMEOUT", "30")),
            metrics_port=_env_int("RAAS_METRICS_PORT", 0) if metrics_port is None else metrics_port,
            metrics_host=_env("RAAS_METRICS_HOST", "127.0.0.1"),
        )
