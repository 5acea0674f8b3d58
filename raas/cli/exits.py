"""Exit codes of the `raas` command (contracts.md, CLI conventions)."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0  # OK or WARNING
    ERROR = 1  # the service answered with an ERROR, or a checked value is invalid
    USAGE = 2  # usage error
    TIMEOUT = 3  # no answer within the timeout
    UNAVAILABLE = 4  # infrastructure unavailable (broker or database)
