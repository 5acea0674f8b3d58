"""The broker's requests during a phase, counted by client and API, from its own request log.

Issue 10 asks where the broker's CPU per command goes: "count the requests per command by type,
and say which clients send them". Kafka's `kafka.request.logger` logs one line per completed
request at DEBUG, with the API's name and the client id. `RequestLog` turns that logger on for a
phase through Kafka's own ConfigCommand (`--entity-type broker-loggers`, no restart), reads the
lines the phase added to the broker's log, and turns it off again. The logging costs the broker
some CPU of its own, so a phase that counts requests does not also stand for a clean CPU figure.

Client ids name the sender: `<app>-ingress` and `<app>-worker` (our clients set them), `bench` for
this bench's producer and collector, and the broker's own senders (transaction markers, the
controller) under their ids; digits are folded so one kind of client is one row.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

from raas.config import Settings
from raas.stack.kafka import tool_command

LOGGER = "kafka.request.logger"
MARK = "Completed request:"
_DIGITS = re.compile(r"\d+")


def client_kind(client_id: str, app_id: str) -> str:
    """One row per kind of client: the app id named `<app>`, runs of digits folded to N."""
    return _DIGITS.sub("N", client_id.replace(app_id, "<app>")) or "(no client id)"


def count_lines(lines: list[str], app_id: str) -> Counter[tuple[str, str]]:
    """(client kind, API name) -> requests, from request-log lines; other lines are skipped."""
    counts: Counter[tuple[str, str]] = Counter()
    for line in lines:
        at = line.find(MARK)
        if at < 0:
            continue
        body = line[at + len(MARK) :].rsplit(" (", 1)[0]
        try:
            header = json.loads(body)["requestHeader"]
        except (ValueError, KeyError, TypeError):
            continue
        kind = client_kind(str(header.get("clientId") or ""), app_id)
        counts[(kind, str(header.get("requestApiKeyName", header.get("requestApiKey"))))] += 1
    return counts


def summary(counts: Counter[tuple[str, str]], commands: int) -> dict[str, Any]:
    """Totals and requests per command, by client and by API within each client."""
    by_client: dict[str, dict[str, int]] = {}
    for (kind, api), n in sorted(counts.items(), key=lambda item: -item[1]):
        by_client.setdefault(kind, {})[api] = n
    total = sum(counts.values())
    return {
        "total": total,
        "per_command": round(total / commands, 2) if commands else None,
        "per_command_by_client": {
            kind: round(sum(apis.values()) / commands, 3) if commands else None
            for kind, apis in sorted(by_client.items(), key=lambda kv: -sum(kv[1].values()))
        },
        "by_client": by_client,
    }


class RequestLog:
    """Counts the broker's requests between start() and stop() (a plain-mode broker we started)."""

    def __init__(self, settings: Settings, log: Path, node_id: int = 1) -> None:
        self.settings = settings
        self.node_id = node_id
        self.log = log  # the broker's own log (its var dir, not the bench's)
        self._from = 0

    def _level(self, level: str) -> None:
        argv = tool_command(
            self.settings,
            "kafka.admin.ConfigCommand",
            [
                "--bootstrap-server",
                self.settings.bootstrap_servers,
                "--alter",
                "--entity-type",
                "broker-loggers",
                "--entity-name",
                str(self.node_id),
                "--add-config",
                f"{LOGGER}={level}",
            ],
        )
        subprocess.run(argv, check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        """Turn the request log on; counting starts once it is on (the tool takes seconds)."""
        self._level("DEBUG")
        self._from = self.log.stat().st_size

    def stop(self, commands: int) -> dict[str, Any]:
        """Stop counting now, turn the log off, and sum up what was counted for `commands`."""
        end = self.log.stat().st_size
        self._level("WARN")
        with self.log.open("rb") as f:
            f.seek(self._from)
            lines = f.read(end - self._from).decode("utf-8", "replace").splitlines()
        return summary(count_lines(lines, self.settings.app_id), commands)
