"""The services of the stack and their versions: what `raas stack status` and `raas status` show."""

from __future__ import annotations

from raas.config import Settings
from raas.stack import kafka, postgres, registry
from raas.stack.processes import port_open
from raas.stack.registry_schemas import ApicurioApi
from raas.status.report import Service


def services(settings: Settings, timeout: float = 2.0) -> list[Service]:
    """The broker, PostgreSQL where it is installed, and the schema registry where `raas stack up`
    started one, each with its version and state."""
    found: list[Service] = [
        Service(
            name="kafka",
            address=settings.bootstrap_servers,
            version=kafka.broker_version(kafka.BrokerPaths.of(settings).lib),
            up=kafka.broker_answers(settings, timeout=timeout),
        )
    ]
    if postgres.installed():
        cluster = postgres.cluster()
        port = cluster.port if cluster else None
        version = postgres.server_version(settings) if cluster and cluster.online else None
        found.append(
            Service(
                name="postgresql",
                address=f"127.0.0.1:{port}" if port else None,
                version=version,
                up=bool(port and port_open("127.0.0.1", port) and version),
            )
        )
    schemas = registry_service(settings, timeout)
    if schemas is not None:
        found.append(schemas)
    return found


def registry_service(settings: Settings, timeout: float = 2.0) -> Service | None:
    """The schema registry; None when none answers and `raas stack up` started none here."""
    version = ApicurioApi(settings.registry_url, timeout=timeout).version()
    started = registry.RegistryPaths.of(settings).pid.exists()
    if version is None and not started:
        return None
    return Service(
        name="schema-registry",
        address=settings.ccompat_url,
        version=version or registry.app_version(settings),
        up=version is not None,
    )
