"""`raas tail` against the real broker: our records in, JSON lines out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from raas.codec import encode, encode_key
from raas.config import REPO_ROOT, Settings
from raas.domain.notifications import IdentityChanged
from raas.domain.persons import FieldChange
from tests.integration.numbers import new_insz, new_kbo

pytestmark = pytest.mark.integration


def test_tail_prints_every_record_of_a_topic_from_the_start_then_stops_after_the_timeout(
    settings: Settings,
) -> None:
    topic = f"raas.tenant.{new_kbo()}.notifications"
    admin = AdminClient({"bootstrap.servers": settings.bootstrap_servers})
    admin.create_topics([NewTopic(topic, 2, 1)])[topic].result(timeout=30)
    insz = new_insz()
    at = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    change = IdentityChanged(topic.split(".")[2], insz, (FieldChange("sex", "M", "F"),), "e1", at)
    producer = Producer({"bootstrap.servers": settings.bootstrap_servers})
    producer.produce(topic, key=encode_key(insz), value=encode(change))
    producer.produce(topic, key=encode_key(insz), value=b"not avro at all")
    assert producer.flush(30) == 0

    done = subprocess.run(
        [sys.executable, "-m", "raas.cli", "tail", topic, "--timeout", "3"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )

    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines[0]["body"] == {"IdentityChanged": {"insz": insz, "changes": [
        {"field": "sex", "old": "M", "new": "F"}]}}  # fmt: skip
    assert lines[0]["timestamp"] == "2024-05-01T08:00:00+00:00"
    assert lines[1]["error"] == "BAD_MAGIC"
