"""`pip install` of the wheel (not editable) gives a working `raas`, its schemas inside."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from raas.config import REPO_ROOT

pytestmark = pytest.mark.integration

ROUND_TRIP = """
import raas
from datetime import date
from raas.codec import COMMAND, decode, encode
from raas.domain.commands import Register
from raas.domain.periods import Period
command = Register("r-1", "ref", "85073003328", 1, Period(date(2024, 1, 1), None))
assert decode(encode(command), COMMAND) == command
print(raas.__file__)
"""
_NOT_SOURCES = shutil.ignore_patterns(
    ".venv",
    "var",
    "kafka",
    "build",
    "dist",
    "*.egg-info",
    ".git",
    "__pycache__",
    "*_cache",
    "bench",
)


def _run(*argv: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv], capture_output=True, text=True, cwd=cwd, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the wheel in it; the runtime deps are those of our own venv."""
    work = tmp_path_factory.mktemp("packaging")
    sources = shutil.copytree(REPO_ROOT, work / "src", symlinks=True, ignore=_NOT_SOURCES)
    built = _run(
        sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", ".", "-w", work, cwd=sources
    )
    assert built.returncode == 0, built.stderr
    [wheel] = work.glob("raas-*.whl")
    fresh = work / "venv"
    venv.EnvBuilder(with_pip=False).create(fresh)
    [site] = (fresh / "lib").glob("python*/site-packages")
    # The deps only: a .pth line adds our venv's site-packages after the fresh one, and does not
    # run the .pth files there (our own editable raas stays out of sight).
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        fresh / "bin" / "python",
        "install",
        "-q",
        "--no-deps",
        wheel,
        cwd=work,
    )
    assert pip.returncode == 0, pip.stderr
    return fresh


def test_the_installed_raas_checks_its_packaged_schemas(installed: Path) -> None:
    done = _run(installed / "bin" / "raas", "schemas", "check", cwd=installed)
    assert done.returncode == 0, done.stderr
    assert "records: compatible" in done.stdout
    assert not done.stdout.startswith("0 records")


def test_the_installed_raas_checks_an_insz(installed: Path) -> None:
    done = _run(installed / "bin" / "raas", "check", "insz", "85073003328", cwd=installed)
    assert done.returncode == 0, done.stderr


def test_the_installed_package_round_trips_a_command_through_the_codec(installed: Path) -> None:
    done = _run(installed / "bin" / "python", "-c", ROUND_TRIP, cwd=installed)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).is_relative_to(installed)
