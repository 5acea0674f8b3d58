"""Background processes tracked by pid files, so `up` is idempotent and `down` leaves nothing."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from raas.stack import StackError


def read_pid(pid_file: Path) -> int | None:
    """The pid in `pid_file` when that process is still alive, else None."""
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if is_alive(pid) else None


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child is dead for our purposes.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (FileNotFoundError, IndexError):
        return True
    return state != "Z"


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def ours_running(pid_file: Path, host: str, ports: Sequence[int], choose: str) -> int | None:
    """The pid of our process when `pid_file` names a live one; else None once every port is free.

    A port taken by a process we did not start raises StackError, which says to stop it or to
    `choose` (the settings that move the service elsewhere).
    """
    running = read_pid(pid_file)
    if running is not None:
        return running
    if any(port_open(host, port) for port in ports):
        raise StackError(
            f"Port {' or '.join(map(str, ports))} on {host} is already taken by a process we did "
            f"not start. Stop it, or choose {choose}."
        )
    return None


def spawn(argv: Sequence[str], log_file: Path, pid_file: Path, cwd: Path | None = None) -> int:
    """Start `argv` in its own session, output appended to `log_file`; record its pid."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            start_new_session=True,
        )
    pid_file.write_text(f"{proc.pid}\n")
    return proc.pid


def stop(pid_file: Path, grace: float = 20.0) -> bool:
    """Stop the process group recorded in `pid_file`: SIGTERM, then SIGKILL after `grace`.

    Returns True when a process was running.
    """
    pid = read_pid(pid_file)
    pid_file.unlink(missing_ok=True)
    if pid is None:
        return False
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        _reap(pid)
        if not is_alive(pid):
            return True
        time.sleep(0.2)
    _signal_group(pid, signal.SIGKILL)
    for _ in range(50):
        _reap(pid)
        if not is_alive(pid):
            break
        time.sleep(0.1)
    return True


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
