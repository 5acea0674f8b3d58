"""Repeated warnings summarised, not repeated (issue 14).

While the broker is away, aiokafka logs the same few errors ("Unable connect to node with id 1",
"Failed fetch messages from 1: NodeNotReadyError") over a hundred times a second. This filter,
set on the worker's log handlers, lets the first of each kind through, drops the rest for
`WINDOW` seconds while counting them, and adds the count to the first one after the window:
`... [and 212 more like it in the last 30 s]`. A kind is the logger and the message with its
digits left out, so "node with id 1" and "node with id 2", or two ports, are one kind. Records
below WARNING pass.

librdkafka logs on its own to stderr, about 20 lines a second for each client while the broker is
away; the clients that poll all the time (the ingress and the tenant directory) hand their logs to
Python's logger `librdkafka` instead (`client_logs()`), so the same filter summarises them.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

WINDOW = 30.0
_DIGITS = re.compile(r"[0-9]+")


class RepeatSummary(logging.Filter):
    """Let one record of each kind through per `window` seconds; count the others."""

    def __init__(self, window: float = WINDOW, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.window = window
        self.clock = clock
        self._kinds: dict[tuple[str, str], tuple[float, int]] = {}  # kind -> (shown at, dropped)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        kind = (record.name, _DIGITS.sub("#", record.getMessage()))
        now = self.clock()
        shown, dropped = self._kinds.get(kind, (float("-inf"), 0))
        if now - shown < self.window:
            self._kinds[kind] = (shown, dropped + 1)
            return False
        if dropped:
            record.msg = (
                f"{record.msg} [and {dropped} more like it in the last {now - shown:.0f} s]"
            )
        self._kinds[kind] = (now, 0)
        return True


def summarise_repeats(logger: logging.Logger) -> None:
    """Put one RepeatSummary on every handler of `logger` (the root logger, once set up)."""
    summary = RepeatSummary()
    for handler in logger.handlers:
        handler.addFilter(summary)


def client_logs() -> dict[str, Any]:
    """The confluent-kafka setting that sends a client's librdkafka logs to Python's logging.

    Only for a client polled all the time: its logs are handed over when it polls."""
    return {"logger": logging.getLogger("librdkafka")}
