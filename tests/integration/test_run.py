"""`raas run`, the README's main job, against the broker the tests already run."""

from __future__ import annotations

import uuid

from raas import demo
from raas.config import Settings
from raas.stack import kafka
from tests.integration.cli import raas


def test_raas_run_answers_the_demo_and_leaves_a_broker_it_did_not_start_running(
    settings: Settings,
) -> None:
    app_id = f"raas-run-{uuid.uuid4().hex[:8]}"  # its own group: it starts from the demo's commands

    done = raas("run", "--count", "2", "--interval", "0.1", env={"RAAS_APP_ID": app_id})

    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Demo tenant {demo.TENANT}" in done.stdout
    assert f"Register {demo.persons()[0].insz}  OK" in done.stdout
    assert "Data is flowing" in done.stdout
    assert "the broker stays up" in done.stdout
    assert kafka.answers_metadata(settings.bootstrap_servers, timeout=10)
