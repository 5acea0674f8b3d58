"""Real worker processes for the integration tier: started, killed and restarted by the tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from confluent_kafka import ConsumerGroupState

from raas.clients import make_admin
from raas.config import Settings, security_environment
from raas.domain.codes import INSZ_UNKNOWN
from raas.domain.commands import Command, Consult
from raas.domain.results import CommandResult
from raas.tenant_client import request
from tests.integration.trace import trace_person


@dataclass
class Worker:
    """One `raas worker` process, its log in its own var/ folder."""

    settings: Settings
    name: str
    proc: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        return self.settings.var_dir / f"{self.name}.log"

    def start(self) -> Worker:
        self.settings.var_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "RAAS_VAR_DIR": str(self.settings.var_dir),
            "RAAS_APP_ID": self.settings.app_id,
            "RAAS_BOOTSTRAP_SERVERS": self.settings.bootstrap_servers,
            "RAAS_PARTITIONS": str(self.settings.partitions),
            **security_environment(self.settings),  # the secure tier's worker logs in
            "RAAS_METRICS_PORT": str(self.settings.metrics_port),
            "RAAS_INGRESS_QUIET_AFTER": str(self.settings.ingress_quiet_after),
        }
        with self.log.open("ab") as sink:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "raas.cli", "worker", "--name", self.name],
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        return self

    def kill(self) -> None:
        """kill -9: no shutdown, no flush, no commit."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def kill_if_running(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.kill()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"


def log_tails(workers: list[Worker]) -> str:
    """The end of each worker's log, for a failure message."""
    return "\n".join(w.log_tail() for w in workers)


def worker_settings(settings: Settings, var_dir: Path, app_id: str) -> Settings:
    return replace(settings, var_dir=var_dir, app_id=app_id)


def send(settings: Settings, tenant: str, command: Command, timeout: float = 60) -> CommandResult:
    result = request(settings, tenant, command, timeout)
    assert result is not None, f"no result for {command} within {timeout} s"
    return result


def wait_until_answering(
    settings: Settings, tenant: str, insz: str, workers: list[Worker], timeout: float = 180
) -> None:
    """Block until a worker answers a command: it joined its group and recovered its tables."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for w in workers:
            if w.proc is not None and w.proc.poll() is not None:
                raise AssertionError(f"worker {w.name} exited:\n{w.log_tail()}")
        if request(settings, tenant, Consult(str(uuid.uuid4()), "probe", insz), 15) is not None:
            return
    raise AssertionError(f"no worker answered within {timeout} s:\n{log_tails(workers)}")


def wait_until_known(
    settings: Settings,
    tenant: str,
    persons: list[str],
    workers: list[Worker],
    timeout: float = 180,
) -> None:
    """Block until the worker holds every person: identities and commands come on two topics."""
    deadline = time.monotonic() + timeout
    for insz in persons:
        while True:
            result = request(settings, tenant, Consult(str(uuid.uuid4()), "probe", insz), 30)
            if result is not None and all(d.code != INSZ_UNKNOWN.code for d in result.details):
                break
            if time.monotonic() > deadline:
                said = "no answer" if result is None else f"{result.details}"
                raise AssertionError(
                    f"{insz} still unknown after {timeout} s; last consult: {said}\n"
                    f"{trace_person(settings, insz)}\n{log_tails(workers)}"
                )
            time.sleep(0.5)


def wait_for_members(settings: Settings, group: str, count: int, timeout: float = 120) -> list[Any]:
    """The members of a stable consumer group, once it has `count` of them."""
    admin = make_admin(settings)
    deadline = time.monotonic() + timeout
    seen = "nothing"
    while time.monotonic() < deadline:
        try:
            future = admin.describe_consumer_groups([group], request_timeout=10)[group]
            description = future.result(timeout=15)
        except Exception as exc:  # a group in the middle of a rebalance may not answer yet
            seen = repr(exc)
        else:
            seen = f"{description.state} with {len(description.members)} members"
            if description.state == ConsumerGroupState.STABLE and len(description.members) == count:
                return list(description.members)
        time.sleep(1)
    raise AssertionError(f"group {group} never had {count} stable members; last: {seen}")
