"""Usage errors of the operator queries and the sink: found before any database is opened."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from raas.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    "args",
    [
        ["usage", "--tenant", "0403019261", "--month", "2025-13"],
        ["usage", "--tenant", "0403019261", "--month", "March"],
        ["usage", "--tenant", "0403019262", "--month", "2025-03"],
        ["audit", "--tenant", "0403019261", "--since", "yesterday"],
        ["lines", "--insz", "85073003328"],
        ["sink", "--batch", "0"],
    ],
)
def test_a_bad_query_is_a_usage_error_that_opens_no_database(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAAS_DATABASE_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    found = runner.invoke(app, args)
    assert found.exit_code == 2, found.output


def test_each_query_offers_json_and_asks_for_the_tenant_in_its_help() -> None:
    for command in ("audit", "lines", "usage"):
        found = runner.invoke(app, [command, "--help"])
        assert found.exit_code == 0
        assert "--json" in found.output and "--tenant" in found.output
