"""A dying thread is a dying process (issue 9).

The ingress and the tenant directory run beside Faust in threads of their own. A thread that stops
on an exception used to leave the worker up and looking healthy while no command reached the
register. Now the thread logs one line that says which thread died and why, and stops the process:
`raas worker` shuts Faust down as on SIGTERM (offsets committed, tables flushed) and then exits
with code 1, so a supervisor (systemd, docker's `restart: on-failure`) starts it again. If the
shutdown hangs, the process exits anyway after `GRACE` seconds.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)
EXIT_CODE = 1
GRACE = 60.0


class Lifeline:
    """Runs background threads; the first one to die stops the process."""

    def __init__(self, stop_process: Callable[[], None] | None = None) -> None:
        self._stop_process = stop_process or _terminate_self
        self._lock = threading.Lock()
        self.death: str | None = None  # "<thread>: <why>" once a thread died

    def thread(self, name: str, target: Callable[[], None]) -> threading.Thread:
        """A daemon thread running `target`; its exception stops the process."""
        return threading.Thread(target=self._guarded(name, target), name=name, daemon=True)

    def _guarded(self, name: str, target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            except BaseException as exc:  # whatever stops the thread stops the worker
                self.died(name, exc)

        return run

    def died(self, name: str, exc: BaseException) -> None:
        why = f"{type(exc).__name__}: {exc}"
        if exc.__cause__ is not None:  # e.g. an abort that failed after the real failure
            why += f" (after {type(exc.__cause__).__name__}: {exc.__cause__})"
        with self._lock:
            if self.death is not None:
                return
            self.death = f"{name}: {why}"
        log.critical("worker stops: the %s thread died: %s", name, why)
        self._stop_process()


def _terminate_self() -> None:
    """SIGTERM to ourselves (Faust's graceful stop), then a hard exit if that hangs."""
    timer = threading.Timer(GRACE, os._exit, (EXIT_CODE,))
    timer.daemon = True
    timer.start()
    os.kill(os.getpid(), signal.SIGTERM)
