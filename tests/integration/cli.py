"""The `raas` command as a subprocess, as an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys

from raas.config import REPO_ROOT


def raas(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`raas ARGS...` with this interpreter; its output as text, whatever the exit code.

    `env` adds to (or overrides) this process's environment."""
    return subprocess.run(
        [sys.executable, "-m", "raas.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})},
    )
