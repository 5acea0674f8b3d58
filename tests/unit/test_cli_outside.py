"""Usage errors of the commands that play the outside world: found before any broker is asked."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from raas.cli import app
from raas.cli.prose import prose

runner = CliRunner()

DIMONA = [
    "authentic",
    "dimona",
    "--insz",
    "85073003328",
    "--type",
    "IN",
    "--period-id",
    "1",
    "--employer",
    "0403019261",
    "--worker-type",
    "STU",
    "--joint-committee",
    "302",
    "--from",
    "2025-07-01",
]


def with_option(args: list[str], option: str, value: str) -> list[str]:
    given = list(args)
    if option in given:
        given[given.index(option) + 1] = value
    else:
        given += [option, value]
    return given


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--insz", "85073003327", "is not an INSZ"),
        ("--employer", "0431150351", "is not a KBO enterprise number"),
        ("--type", "START", "is not IN, OUT, UPDATE or CANCEL"),
        ("--from", "2025-13-01", "is not a day"),
        ("--to", "2025-06-30", "is before the begin"),
        ("--period-id", "abc", "is not a number"),
    ],
)
def test_a_bad_dimona_value_exits_2_with_one_line_saying_what(
    option: str, value: str, says: str
) -> None:
    result = runner.invoke(app, with_option(DIMONA, option, value))
    assert result.exit_code == 2
    assert says in result.output
    assert [says in line for line in result.output.splitlines()].count(True) == 1
    assert "Traceback" not in result.output


def test_an_out_without_its_end_exits_2() -> None:
    result = runner.invoke(app, with_option(DIMONA, "--type", "OUT"))
    assert result.exit_code == 2
    assert "give its end" in result.output


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("85073003327", "75060898009", "is not an INSZ"),
        ("85073003328", "12345678901", "is not an INSZ"),
        ("85073003328", "85073003328", "cannot replace itself"),
    ],
)
def test_a_bad_replacement_exits_2_with_one_line(old: str, new: str, says: str) -> None:
    result = runner.invoke(app, ["authentic", "replace", "--old", old, "--new", new])
    assert result.exit_code == 2
    assert says in result.output
    assert [says in line for line in result.output.splitlines()].count(True) == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["simulate", "persons", "0"],
        ["simulate", "persons", "ten"],
        ["simulate", "dimona", "5", "--rate", "-1"],
        ["simulate", "changes", "5", "--persons", "0"],
        ["tenant", "authorize", "0403019261", "payroll", "--reference", "R"],
        ["tenant", "authorize", "0403019261", "dimona"],
        ["tenant", "subscribe", "0431150351", "dimona"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert runner.invoke(app, args).exit_code == 2


@pytest.mark.parametrize("group", ["authentic", "simulate"])
def test_the_help_says_nothing_answers_on_these_topics(group: str) -> None:
    result = runner.invoke(app, [group, "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "Nothing answers" in result.output


def test_a_wrapped_docstring_becomes_one_line_per_paragraph() -> None:
    doc = """First line
    goes on.

    Second paragraph,
        indented oddly,
    ends here.
    """
    assert prose(doc) == "First line goes on.\n\nSecond paragraph, indented oddly, ends here."
