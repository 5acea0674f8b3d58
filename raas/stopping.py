"""A stop that always ends (issue 14): the deadline a worker and a sink arm at their stop signal.

On SIGTERM (or Ctrl-C) a worker or a sink finishes the batch in hand, commits and leaves its group;
with the broker up that takes a few seconds. With the broker (or the database) gone, a client can
wait for it forever. So the first stop signal also arms a `Deadline`: a process still running
`GRACE` seconds later logs one line saying what it could not finish and exits with `EXIT_CODE`,
so its supervisor knows the stop was not clean. What was not committed is read again by the next
process, which is safe: a worker answers a command it saw before with its stored answer, and a
sink's rows commit with their offsets.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)
GRACE = 30.0  # seconds from the stop signal to a forced exit
EXIT_CODE = 1


class Deadline:
    """Once armed, ends the process `grace` seconds later unless it ended by itself first."""

    def __init__(
        self,
        what: str,
        unfinished: Callable[[], str],
        grace: float = GRACE,
        suspect: str = "the broker",
        exit: Callable[[int], object] | None = None,
    ) -> None:
        self.what = what  # "worker", "sink": who did not stop
        self.unfinished = unfinished  # what is not finished yet, said when giving up
        self.grace = grace
        self.suspect = suspect  # what is likely away when the stop hangs
        self.exit = exit or _exit
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def arm(self, why: str) -> None:
        """Start the countdown (once: a second stop signal changes nothing)."""
        with self._lock:
            if self._timer is not None:
                return
            log.info("stopping (%s): at most %.0f s to finish", why, self.grace)
            self._timer = threading.Timer(self.grace, self.give_up)
            self._timer.daemon = True
            self._timer.start()

    def give_up(self) -> None:
        try:
            unfinished = self.unfinished()
        except Exception as exc:  # a half-stopped process may have lost any of its parts
            unfinished = f"its state could not be read ({type(exc).__name__}: {exc})"
        log.critical(
            "%s did not stop within %.0f s (is %s down?); not finished: %s; exiting with code %d",
            self.what,
            self.grace,
            self.suspect,
            unfinished,
            EXIT_CODE,
        )
        self.exit(EXIT_CODE)


def _exit(code: int) -> None:
    """The log written out, then os._exit: no cleanup that could wait again on what hangs."""
    logging.shutdown()
    os._exit(code)
