from __future__ import annotations

import json

from bench.register.requests import client_kind, count_lines, summary

APP = "raas-bench-20261129053821"


def _line(client_id: str, api: str) -> str:
    header = {"requestApiKey": 1, "clientId": client_id, "requestApiKeyName": api}
    body = json.dumps({"isForwarded": False, "requestHeader": header, "request": ""})
    return f"[2026-11-29 18:15:11,171] DEBUG Completed request:{body} (kafka.request.logger)"


def test_a_client_kind_names_the_app_and_folds_digits() -> None:
    assert client_kind(f"{APP}-ingress", APP) == "<app>-ingress"
    assert client_kind("adminclient-17", APP) == "adminclient-N"
    assert client_kind("", APP) == "(no client id)"


def test_request_lines_are_counted_by_client_and_api_and_other_lines_skipped() -> None:
    lines = [
        _line(f"{APP}-worker", "PRODUCE"),
        _line(f"{APP}-worker", "PRODUCE"),
        _line(f"{APP}-ingress", "END_TXN"),
        "[2026-11-29 18:15:11,160] WARN Updated the log level (kafka.server.ConfigAdminManager)",
        "[2026-11-29 18:15:11,161] DEBUG Completed request:{not json (kafka.request.logger)",
    ]
    counts = count_lines(lines, APP)
    assert counts == {("<app>-worker", "PRODUCE"): 2, ("<app>-ingress", "END_TXN"): 1}


def test_the_summary_gives_requests_per_command_by_client_busiest_first() -> None:
    counts = count_lines(
        [_line("a", "FETCH")] * 3 + [_line("b", "PRODUCE")] * 6 + [_line("b", "METADATA")] * 3,
        APP,
    )
    s = summary(counts, commands=6)
    assert s["total"] == 12 and s["per_command"] == 2.0
    assert list(s["per_command_by_client"].items()) == [("b", 1.5), ("a", 0.5)]
    assert s["by_client"]["b"] == {"PRODUCE": 6, "METADATA": 3}
