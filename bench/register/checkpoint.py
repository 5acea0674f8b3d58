"""The run's report on disk after every phase: a run that dies late keeps what it measured."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.register import report as reporting
from bench.register.phase import console


class Checkpoint:
    """The report written after every phase, so a run that dies late keeps what it measured: a
    failed phase is named under `failed` with its error, and `complete` stays false."""

    def __init__(self, report: dict[str, Any], output: Path) -> None:
        self.report, self.output = report, output
        report["complete"] = False

    def save(self) -> None:
        reporting.write(self.report, self.output)

    def pipeline(self, result: dict[str, Any]) -> None:
        """The pipeline's figures so far (its open loop, then each paced phase as it ends)."""
        self.report["pipeline"] = result
        self.save()

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        try:
            yield
        except BaseException as exc:
            self.report.setdefault("failed", {})[name] = f"{type(exc).__name__}: {exc}"
            self.save()
            console.print(f"[red]{name} failed; what was measured is in {self.output}")
            raise
        self.save()
