"""The `raas` command as a subprocess, as an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping

from raas.config import REPO_ROOT, Settings

# The sinks keep their offsets in the database by sink name, so one database serves one app id: a
# test app's `raas status` reads a database where no sink ran (a file that does not exist), unless
# the test names one. The default SQLite file under var/ holds the offsets of `raas run`'s sinks.
NO_SINKS = "sqlite:////nonexistent/raas-it-no-sinks.db"


def raas(
    *args: str | bytes, env: Mapping[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`raas ARGS...` with this interpreter and `env` added to ours; its output as text, whatever
    the exit code. The command's own timeouts bound it; `timeout` only guards the test."""
    return subprocess.run(
        [sys.executable, "-m", "raas.cli", *args],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        check=False,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})},
    )


def against(settings: Settings) -> dict[str, str]:
    """The environment that points `raas` at the broker and app id of `settings`."""
    return {"RAAS_BOOTSTRAP_SERVERS": settings.bootstrap_servers, "RAAS_APP_ID": settings.app_id}
