"""`raas kafka`: which arguments a tool gets, without running Java."""

from __future__ import annotations

from raas.cli.kafka import TOOLS, tool_arguments


def test_the_bootstrap_server_goes_before_the_arguments_of_a_tool_that_takes_it() -> None:
    args = tool_arguments(TOOLS["topics"], ["--list"], "127.0.0.1:9992")
    assert args == ["--bootstrap-server", "127.0.0.1:9992", "--list"]


def test_a_bootstrap_server_or_controller_given_in_the_arguments_is_left_alone() -> None:
    for given in (
        ["--bootstrap-server", "other:9092", "--list"],
        ["--bootstrap-server=other:9092", "--list"],
        ["--bootstrap-controller", "other:9093", "describe"],
    ):
        assert tool_arguments(TOOLS["topics"], given, "127.0.0.1:9992") == given


def test_a_tool_with_a_subcommand_first_gets_the_bootstrap_server_after_it() -> None:
    args = tool_arguments(TOOLS["cluster"], ["cluster-id"], "h:1")
    assert args == ["cluster-id", "--bootstrap-server", "h:1"]


def test_a_tool_that_reads_files_gets_no_bootstrap_server() -> None:
    assert tool_arguments(TOOLS["dump-log"], ["--files", "x.log"], "h:1") == ["--files", "x.log"]
