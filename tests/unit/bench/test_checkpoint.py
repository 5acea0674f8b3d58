from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.register.checkpoint import Checkpoint


def test_a_phase_that_fails_keeps_the_figures_of_the_phases_before_it(tmp_path: Path) -> None:
    output = tmp_path / "run.json"
    report: dict[str, object] = {"app_id": "raas-bench-1"}
    kept = Checkpoint(report, output)
    with kept.phase("passthrough"):
        report["passthrough"] = {"per_s": 1000.0}
    with pytest.raises(RuntimeError), kept.phase("quix"):
        raise RuntimeError("quix: the process under test exited")
    written = json.loads(output.read_text())
    assert written["passthrough"] == {"per_s": 1000.0}
    assert written["failed"] == {"quix": "RuntimeError: quix: the process under test exited"}
    assert written["complete"] is False


def test_the_pipeline_is_written_after_each_of_its_phases(tmp_path: Path) -> None:
    output = tmp_path / "run.json"
    kept = Checkpoint({}, output)
    kept.pipeline({"per_s": 700.0, "cpu_us_per_command": {}, "paced": {}})
    assert json.loads(output.read_text())["pipeline"]["per_s"] == 700.0
