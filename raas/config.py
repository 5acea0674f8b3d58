"""Settings, read from the environment in one place, with localhost defaults.

Nothing here opens a connection: `Settings.from_env()` only reads variables. In secure mode
`client_security` also reads the client's password from the secrets file the launcher wrote.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PLAIN, SECURE = "plain", "secure"
ADMIN_USER = "admin"  # the secure broker's super user, created when its storage is formatted
INGRESS_USER = "svc-ingress"  # the ingress's own login (raas.service_users), beside the worker's
SCRAM_MECHANISM = "SCRAM-SHA-512"
REGISTRY_PORT = 8081  # the schema registry's port when RAAS_REGISTRY_PORT is unset


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
    # Client security (secure mode, issue 13); every client reads it through `client_security`.
    security: str = "plain"  # RAAS_SECURITY: plain or secure (SASL_PLAINTEXT, SCRAM-SHA-512)
    sasl_username: str = ""  # RAAS_SASL_USERNAME; the admin super user when unset
    sasl_password: str = ""  # RAAS_SASL_PASSWORD; else the user's entry in the secrets file
    secrets_file: Path | None = None  # RAAS_SECRETS_FILE; <var_dir>/secure/secrets.json if None
    ingress_username: str = ""  # RAAS_INGRESS_SASL_USERNAME; svc-ingress when unset
    ingress_password: str = ""  # RAAS_INGRESS_SASL_PASSWORD; else the secrets file's entry

    @property
    def secure(self) -> bool:
        return self.security == SECURE

    @property
    def secrets_path(self) -> Path:
        """The git-ignored file (mode 0600) with the secure broker's passwords."""
        return self.secrets_file or self.var_dir / "secure" / "secrets.json"

    metrics_port: int = 0  # RAAS_METRICS_PORT: where /metrics is served; 0 serves nothing
    metrics_host: str = "127.0.0.1"  # RAAS_METRICS_HOST: the address /metrics listens on
    # The schema registry (Apicurio) `raas stack up` starts and fills from avro/schema-ids.json.
    registry_port: int = REGISTRY_PORT  # RAAS_REGISTRY_PORT: where the local registry listens
    registry_url: str = f"http://127.0.0.1:{REGISTRY_PORT}"  # RAAS_REGISTRY_URL: its base URL
    registry_dir: Path = REPO_ROOT / "registry"  # RAAS_REGISTRY_DIR: pom.xml and the app app/
    # Partitions of each new tenant's four topics. Every regex consumer (the ingress, the sinks)
    # fetches every partition of every tenant in each fetch request, so they cost the broker per
    # partition and per fetch, whatever the traffic: one is the default.
    tenant_partitions: int = 1  # RAAS_TENANT_PARTITIONS
    # Seconds without a command before the ingress pauses a tenant's partition (issue 10).
    ingress_quiet_after: float = 10.0  # RAAS_INGRESS_QUIET_AFTER

    @property
    def ccompat_url(self) -> str:
        """The registry's Confluent-compatible API, for a Confluent SchemaRegistryClient."""
        return self.registry_url.rstrip("/") + "/apis/ccompat/v7"

    @classmethod
    def from_env(cls, metrics_port: int | None = None) -> Settings:
        """The settings of the environment; `metrics_port`, when given, overrides its own."""
        host = _env("RAAS_KAFKA_HOST", "127.0.0.1")
        port = _env_int("RAAS_KAFKA_PORT", 9092)
        var_dir = Path(_env("RAAS_VAR_DIR", str(REPO_ROOT / "var"))).resolve()
        registry_port = _env_int("RAAS_REGISTRY_PORT", REGISTRY_PORT)
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
            security=_security(_env("RAAS_SECURITY", PLAIN)),
            sasl_username=_env("RAAS_SASL_USERNAME", ""),
            sasl_password=os.environ.get("RAAS_SASL_PASSWORD", ""),
            # Fixed here, so settings given another var_dir (a bench run) keep the broker's secrets.
            secrets_file=Path(
                _env("RAAS_SECRETS_FILE", str(var_dir / "secure" / "secrets.json"))
            ).resolve(),
            ingress_username=_env("RAAS_INGRESS_SASL_USERNAME", ""),
            ingress_password=os.environ.get("RAAS_INGRESS_SASL_PASSWORD", ""),
            metrics_port=_env_int("RAAS_METRICS_PORT", 0) if metrics_port is None else metrics_port,
            metrics_host=_env("RAAS_METRICS_HOST", "127.0.0.1"),
            registry_port=registry_port,
            registry_url=_env("RAAS_REGISTRY_URL", f"http://{host}:{registry_port}"),
            registry_dir=Path(_env("RAAS_REGISTRY_DIR", str(REPO_ROOT / "registry"))).resolve(),
            tenant_partitions=_env_int("RAAS_TENANT_PARTITIONS", 1),
            ingress_quiet_after=float(_env("RAAS_INGRESS_QUIET_AFTER", "10")),
        )


def _security(raw: str) -> str:
    if raw not in (PLAIN, SECURE):
        raise ValueError(f"RAAS_SECURITY must be {PLAIN} or {SECURE}, got {raw!r}")
    return raw


class MissingCredentials(LookupError):
    """Secure mode, and no password for the client's user (neither set nor in the secrets file)."""


def client_credentials(settings: Settings) -> tuple[str, str]:
    """The (username, password) a client of `settings` logs in with, in secure mode.

    RAAS_SASL_USERNAME names the user (the admin super user when unset); its password is
    RAAS_SASL_PASSWORD, or else the user's entry in the secrets file the launcher wrote.
    """
    username = settings.sasl_username or ADMIN_USER
    if settings.sasl_password:
        return username, settings.sasl_password
    try:
        users = json.loads(settings.secrets_path.read_text()).get("users", {})
    except FileNotFoundError as exc:
        raise MissingCredentials(
            f"secure mode, and no secrets file {settings.secrets_path}: start the secure broker "
            "with `raas stack up --secure`, or set RAAS_SASL_USERNAME and RAAS_SASL_PASSWORD"
        ) from exc
    if username not in users:
        raise MissingCredentials(
            f"secure mode, and user {username!r} is not in {settings.secrets_path}; "
            "set RAAS_SASL_PASSWORD"
        )
    return username, str(users[username])


def as_user(settings: Settings, username: str = ADMIN_USER) -> Settings:
    """`settings` logging in as `username`, its password from the secrets file."""
    return replace(settings, sasl_username=username, sasl_password="")


def ingress_login(settings: Settings) -> Settings:
    """`settings` logging in as the ingress: its own user (svc-ingress unless
    RAAS_INGRESS_SASL_USERNAME says otherwise), though it runs in the worker's process."""
    return replace(
        settings,
        sasl_username=settings.ingress_username or INGRESS_USER,
        sasl_password=settings.ingress_password,
    )


def security_environment(settings: Settings) -> dict[str, str]:
    """The variables that give a child process (a worker, a sink) the same logins as `settings`:
    its own, and the ingress's when that was set (otherwise the secrets file has it)."""
    if not settings.secure:
        return {"RAAS_SECURITY": PLAIN}
    username, password = client_credentials(settings)
    ingress = {
        "RAAS_INGRESS_SASL_USERNAME": settings.ingress_username,
        "RAAS_INGRESS_SASL_PASSWORD": settings.ingress_password,
    }
    return {
        "RAAS_SECURITY": SECURE,
        "RAAS_SASL_USERNAME": username,
        "RAAS_SASL_PASSWORD": password,
        "RAAS_SECRETS_FILE": str(settings.secrets_path),
        **{name: value for name, value in ingress.items() if value},
    }


def client_security(settings: Settings) -> dict[str, str]:
    """The librdkafka settings that log a client in: none in plain mode."""
    if not settings.secure:
        return {}
    username, password = client_credentials(settings)
    return {
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanism": SCRAM_MECHANISM,
        "sasl.username": username,
        "sasl.password": password,
    }
