"""The Quix Streams peer (bench/peers/quix/peer.py) on the same workload, in its own venv."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from bench.register.measure import Broker, CpuMeter
from bench.register.phase import Target, console, run_phase, wait_for
from bench.register.pipeline import checked, warm_probes
from bench.register.processes import REPO, Child, child_env, committed_to_end, start_group_at_end
from bench.register.workload import Population, Workload
from raas.config import Settings
from raas.topics import AUTHENTIC_PERSONS, tenant_topic

PEER = REPO / "bench" / "peers" / "quix"
PYTHON = PEER / ".venv" / "bin" / "python"


def ensure_venv() -> Path:
    """The peer's own environment, made by its setup script when missing."""
    with console.status("Quix Streams peer: making its environment (bench/peers/quix/setup.sh)"):
        subprocess.run(["bash", str(PEER / "setup.sh")], check=True)
    return PYTHON


def run_quix(
    settings: Settings, broker: Broker, w: Workload, people: Population, args: Any, var: Path
) -> dict[str, Any]:
    """Start the peer on the run's tenants, wait until it has the persons, time `w` through it."""
    python = ensure_venv()
    group = f"{settings.app_id}-quix"
    commands = [tenant_topic(kbo, "commands") for kbo in people.tenants]
    start_group_at_end(settings, group, commands)  # not the pipeline's commands of this run
    persons_loaded = committed_to_end(settings, group, AUTHENTIC_PERSONS)
    argv = [str(python), str(PEER / "peer.py"), "--group", group, "--state-dir", str(var / "quix")]
    peer = Child("quix", [*argv, *people.tenants], child_env(settings), var / "quix.log").start()
    try:
        wait_for("quix: waiting until authentic.persons is loaded", persons_loaded, 600, peer.alive)
        target = Target(
            label="quix",
            result_topics=[tenant_topic(kbo, "results") for kbo in people.tenants],
            meter=CpuMeter({"process_under_test": peer.pid, "broker": broker.pid}),
            alive=peer.alive,
            warm=warm_probes(people.tenants, people.numbers[0]),
        )
        result = checked(run_phase(settings, w, target, 0, args.idle_timeout))
        result["quixstreams"] = _version(python)
    except Exception:
        console.print(f"[red]quix peer log:\n{peer.tail()}")
        raise
    finally:
        peer.stop()
    return result


def _version(python: Path) -> str:
    argv = [str(python), "-c", "import quixstreams; print(quixstreams.__version__)"]
    return subprocess.run(argv, capture_output=True, text=True, check=False).stdout.strip()
