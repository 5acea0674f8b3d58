"""The services of the stack and their versions: what `raas stack status` and `raas status` show."""

from __future__ import annotations

from raas.config import Settings
from raas.stack import kafka, postgres
from raas.stack.processes import port_open
from raas.status.report import Service


def services(settings: Settings, timeout: float = 2.0) -> list[Service]:
    """The broker, and PostgreSQL where it is installed, each with its version and state."""
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
    return found
