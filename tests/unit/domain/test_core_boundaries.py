"""The core imports nothing outside the standard library (import-linter checks it in CI too)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from raas.domain.notifications import notify_identity_change
from tests.unit.domain.builders import MAN, NOW, OTHER_TENANT, TENANT, person

CORE = Path(__file__).parents[3] / "raas" / "domain"


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module)
    return roots


def test_the_core_imports_only_the_standard_library_and_itself() -> None:
    for path in sorted(CORE.glob("*.py")):
        for module in imported_roots(path):
            top = module.split(".")[0]
            allowed = top in sys.stdlib_module_names or module.startswith("raas.domain")
            assert allowed, f"{path.name} imports {module}"


def test_every_core_module_stays_small() -> None:
    for path in CORE.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 200, path.name


def test_each_tenant_knowing_the_person_is_told_which_fields_changed() -> None:
    notes = notify_identity_change(
        person(),
        person(last_name="Peeters", event_id="rn-2"),
        [OTHER_TENANT, TENANT, TENANT],
        now=NOW,
    )
    assert [(n.tenant, n.insz) for n in notes] == [(TENANT, MAN), (OTHER_TENANT, MAN)]
    assert [c.field for c in notes[0].changes] == ["last_name"]
    assert notes[0].event_id != notes[1].event_id


def test_no_change_means_no_notification() -> None:
    assert notify_identity_change(person(), person(event_id="rn-2"), [TENANT], now=NOW) == ()
