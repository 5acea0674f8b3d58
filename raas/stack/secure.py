"""Secure mode of the local broker (issue 13): SASL/SCRAM-SHA-512 clients, ACLs, secrets 0600.

The client listener speaks SASL_PLAINTEXT with SCRAM-SHA-512; the KRaft `StandardAuthorizer`
denies whatever no ACL allows. The admin super user is created when the storage is formatted
(SCRAM users live in the metadata log). The controller listener cannot use SCRAM: it speaks
SASL/PLAIN with its own static JAAS user, stays on the broker's host, and `User:ANONYMOUS` is no
super user.

The passwords live in one JSON file (`Settings.secrets_path`, under the git-ignored `var/`),
created with mode 0600 and never printed or logged: `{"controller": ..., "users": {name: ...}}`.
server.properties holds the JAAS lines, so it is written with mode 0600 too.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from raas.config import ADMIN_USER, SCRAM_MECHANISM, Settings, client_credentials
from raas.stack import StackError

CONTROLLER_USER = "controller"
Secrets = dict[str, Any]


def new_password() -> str:
    """A random password of URL-safe characters: nothing to quote in JAAS or the format tool."""
    return secrets.token_urlsafe(24)


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` with mode 0600 from the first byte, replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    os.replace(temporary, path)


def load_secrets(settings: Settings) -> Secrets:
    try:
        loaded: Secrets = json.loads(settings.secrets_path.read_text())
    except FileNotFoundError as exc:
        raise StackError(
            f"No secrets file {settings.secrets_path}: start the secure broker with "
            "`raas stack up --secure` first"
        ) from exc
    return loaded


def save_secrets(settings: Settings, stored: Secrets) -> None:
    write_private(settings.secrets_path, json.dumps(stored, indent=2, sort_keys=True) + "\n")


@contextmanager
def secrets_locked(settings: Settings) -> Iterator[Secrets]:
    """The secrets, to change in the block and saved after it, one writer at a time (threads and
    processes: onboarding tenants in parallel must not lose a password)."""
    lock = settings.secrets_path.with_name(settings.secrets_path.name + ".lock")
    fd = os.open(lock, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        stored = load_secrets(settings)
        yield stored
        save_secrets(settings, stored)
    finally:
        os.close(fd)  # releases the lock


def ensure_secrets(settings: Settings, formatted: bool) -> Secrets:
    """The secrets of the secure broker, made on its first start (before its storage exists)."""
    if settings.secrets_path.exists():
        return load_secrets(settings)
    if formatted:
        raise StackError(
            f"The secure broker's storage exists but its secrets file {settings.secrets_path} is "
            "gone; its users cannot log in. Remove the secure data directory to start afresh."
        )
    made: Secrets = {"controller": new_password(), "users": {ADMIN_USER: new_password()}}
    save_secrets(settings, made)
    return made


def listener_properties(settings: Settings, stored: Secrets) -> list[str]:
    """The listener, SASL and authorizer lines of the secure broker's server.properties."""
    host, port, cport = settings.kafka_host, settings.kafka_port, settings.controller_port
    admin = stored["users"][ADMIN_USER]
    controller = stored["controller"]
    scram = "org.apache.kafka.common.security.scram.ScramLoginModule"
    plain = "org.apache.kafka.common.security.plain.PlainLoginModule"
    return [
        f"listeners=SASL_PLAINTEXT://{host}:{port},CONTROLLER://{host}:{cport}",
        f"advertised.listeners=SASL_PLAINTEXT://{host}:{port}",
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=SASL_PLAINTEXT",
        "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
        f"sasl.enabled.mechanisms={SCRAM_MECHANISM}",
        f"sasl.mechanism.inter.broker.protocol={SCRAM_MECHANISM}",
        "sasl.mechanism.controller.protocol=PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
        f"listener.name.controller.plain.sasl.jaas.config={plain} required "
        f'username="{CONTROLLER_USER}" password="{controller}" '
        f'user_{CONTROLLER_USER}="{controller}";',
        f"listener.name.sasl_plaintext.{SCRAM_MECHANISM.lower()}.sasl.jaas.config={scram} "
        f'required username="{ADMIN_USER}" password="{admin}";',
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "allow.everyone.if.no.acl.found=false",
        f"super.users=User:{ADMIN_USER};User:{CONTROLLER_USER}",
    ]


def format_arguments(stored: Secrets) -> list[str]:
    """The storage tool's arguments that create the admin super user's SCRAM credential."""
    admin = stored["users"][ADMIN_USER]
    return ["--add-scram", f"{SCRAM_MECHANISM}=[name={ADMIN_USER},password={admin}]"]


def redact(text: str, stored: Secrets | None) -> str:
    """`text` with every password of `stored` replaced, so a tool's error can be shown."""
    if stored:
        for password in [stored.get("controller", ""), *stored.get("users", {}).values()]:
            if password:
                text = text.replace(str(password), "***")
    return text


def tool_properties(settings: Settings) -> Path:
    """A client properties file (mode 0600, beside the secrets) that logs Kafka's own tools in
    as the settings' user; `raas kafka` passes it to the tool."""
    username, password = client_credentials(settings)
    scram = "org.apache.kafka.common.security.scram.ScramLoginModule"
    path = settings.secrets_path.parent / f"{username}.properties"
    write_private(
        path,
        "security.protocol=SASL_PLAINTEXT\n"
        f"sasl.mechanism={SCRAM_MECHANISM}\n"
        f'sasl.jaas.config={scram} required username="{username}" password="{password}";\n',
    )
    return path
