"""`raas status` on the real broker: its lag is the broker's own, its exit code a health check."""

from __future__ import annotations

import json
import signal
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from raas.config import Settings
from raas.domain.commands import Consult
from sinks.database import make_engine
from sinks.writing import stored_offsets
from tests.integration import projection
from tests.integration.cli import NO_SINKS, raas
from tests.integration.numbers import new_insz
from tests.integration.ports import free_port
from tests.integration.workers import Worker, send, wait_for_members

pytestmark = pytest.mark.integration

Offsets = dict[
    tuple[str, str, int], tuple[int, int, int]
]  # (group, topic, p) -> committed, end, lag


def status(
    app_id: str, *args: str, env: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    done = raas(
        "status",
        "--json",
        *args,
        env={"RAAS_APP_ID": app_id, "RAAS_DATABASE_URL": NO_SINKS, **(env or {})},
    )
    assert done.returncode in (0, 1, 4), done.stderr
    return done.returncode, json.loads(done.stdout)


def status_offsets(report: dict[str, Any]) -> Offsets:
    return {
        (g["group_id"], p["topic"], p["partition"]): (p["committed"], p["end"], p["lag"])
        for g in report["groups"]
        for p in g["partitions"]
    }


def tool_offsets(groups: list[str]) -> Offsets:
    """What Kafka's own `kafka-consumer-groups --describe` says of `groups`."""
    args = ["kafka", "consumer-groups", "--describe"]
    for group in groups:
        args += ["--group", group]
    done = raas(*args)
    assert done.returncode == 0, done.stderr
    found: Offsets = {}
    for line in done.stdout.splitlines():
        cells = line.split()
        if len(cells) >= 6 and cells[0] in groups and cells[2].isdigit() and cells[3].isdigit():
            found[(cells[0], cells[1], int(cells[2]))] = (
                int(cells[3]),
                int(cells[4]),
                int(cells[5]),
            )
    return found


def test_status_shows_the_lag_that_kafkas_own_tool_reports_for_the_workers_and_the_ingress(
    worker: Worker, worker_settings: Settings, probe_tenant: str
) -> None:
    for _ in range(3):
        send(worker_settings, probe_tenant, Consult(str(uuid.uuid4()), "status", new_insz()))
    app_id = worker_settings.app_id
    groups = [app_id, f"{app_id}-ingress"]
    # Offsets move while commits land, and a new app id's ingress first reads the commands of
    # every tenant still on the broker (each module deletes its own tenants' topics when it ends,
    # but a developer's broker may hold many): compare at a quiet moment.
    for _attempt in range(40):
        before = tool_offsets(groups)
        _code, report = status(app_id)
        after = tool_offsets(groups)
        if before == after:
            break
    else:
        pytest.fail(f"the groups' offsets never held still between two reads: {after}")
    ours = {k: v for k, v in status_offsets(report).items() if k[0] in groups}
    assert ours == before
    assert {k[0] for k in before} == set(groups)


def test_status_names_the_worker_its_partitions_and_the_results_of_the_last_minute(
    worker: Worker, worker_settings: Settings, probe_tenant: str
) -> None:
    send(worker_settings, probe_tenant, Consult(str(uuid.uuid4()), "status", new_insz()))
    wait_for_members(worker_settings, worker_settings.app_id, 1)  # not in a rebalance
    code, report = status(worker_settings.app_id)
    assert code == 0, report
    assert report["health"] == "HEALTHY"
    faust = next(g for g in report["groups"] if g["group_id"] == worker_settings.app_id)
    assigned = [p for m in faust["members"] for p in m["partitions"]]
    assert len(assigned) >= worker_settings.partitions  # every partition of the commands topic
    assert report["results_per_second"] > 0
    assert report["commands_per_second"] > 0


def test_status_exits_4_when_no_broker_answers() -> None:
    done = raas("status", env={"RAAS_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}"})
    assert done.returncode == 4, done.stdout + done.stderr
    assert "down" in done.stdout


def _commit(settings: Settings, group: str, topic: str, offset: int) -> None:
    consumer = Consumer({"bootstrap.servers": settings.bootstrap_servers, "group.id": group})
    consumer.commit(offsets=[TopicPartition(topic, 0, offset)], asynchronous=False)
    consumer.close()


def test_status_exits_1_on_a_record_waiting_past_the_stall_bound_but_not_on_a_commit_marker(
    settings: Settings,
) -> None:
    app_id = f"raas-it-status-{uuid.uuid4().hex[:8]}"
    stuck, caught_up = f"{app_id}.stuck", f"{app_id}.transactional"
    admin = AdminClient({"bootstrap.servers": settings.bootstrap_servers})
    for future in admin.create_topics([NewTopic(t, 1, 1) for t in (stuck, caught_up)]).values():
        future.result(timeout=30)
    plain = Producer({"bootstrap.servers": settings.bootstrap_servers})
    ten_minutes_ago = int((time.time() - 600) * 1000)
    plain.produce(stuck, key=b"k", value=b"waiting", timestamp=ten_minutes_ago)
    assert plain.flush(30) == 0
    transactional = Producer(
        {"bootstrap.servers": settings.bootstrap_servers, "transactional.id": app_id}
    )
    transactional.init_transactions(30)
    transactional.begin_transaction()
    transactional.produce(caught_up, key=b"k", value=b"read", timestamp=ten_minutes_ago)
    transactional.commit_transaction(30)
    _commit(settings, f"{app_id}-stuck", stuck, 0)
    _commit(settings, f"{app_id}-caught-up", caught_up, 1)  # its lag of 1 is the commit marker

    code, report = status(app_id, "--stall", "60")

    assert code == 1, report
    assert report["stalled"] == [f"{app_id}-stuck: {stuck}[0]"]
    lags = {g["group_id"]: g["lag_by_topic"] for g in report["groups"]}
    assert lags == {f"{app_id}-caught-up": {caught_up: 1}, f"{app_id}-stuck": {stuck: 1}}
    assert report["oldest_waiting"]["topic"] == stuck
    assert report["oldest_waiting"]["waiting_seconds"] > 60


def test_status_shows_a_sinks_lag_as_the_high_watermark_minus_the_offset_stored_in_the_database(
    settings: Settings, tmp_path: Path
) -> None:
    app = replace(settings, app_id=f"raas-it-sinklag-{uuid.uuid4().hex[:8]}", partitions=2)
    changelog = projection.send_register_states(app, 5)
    with projection.fresh_database("postgresql", tmp_path) as url:
        sink = projection.sink_read_register(app, url, tmp_path, batch=50)
        try:
            assert sink.signal(signal.SIGTERM) == 0, sink.tail()
        finally:
            projection.stop(sink)
        ten_minutes_ago = int((time.time() - 600) * 1000)
        projection.send_register_states(app, 3, ten_minutes_ago)  # waiting, and nobody reads

        code, report = status(app.app_id, "--stall", "60", env={"RAAS_DATABASE_URL": url})

        engine = make_engine(url)
        with engine.connect() as connection:
            stored = stored_offsets(connection, "register")
        engine.dispose()
    ends = projection.end_offsets(app, [changelog])
    group = f"{app.app_id}-sink-register"
    assert {k[1:]: v for k, v in status_offsets(report).items() if k[0] == group} == {
        where: (stored[where], end, end - stored[where]) for where, end in ends.items()
    }
    assert [g["lag_by_topic"] for g in report["groups"] if g["group_id"] == group] == [
        {changelog: 6}
    ]
    assert code == 1, report
    assert {f"{group}: {changelog}[0]", f"{group}: {changelog}[1]"} <= set(report["stalled"])
    database = next(s for s in report["services"] if s["name"] == "database")
    assert database["up"] and database["version"].startswith("postgresql")


def test_status_reads_no_sink_offsets_from_a_sqlite_file_that_does_not_exist_and_makes_none(
    settings: Settings, tmp_path: Path
) -> None:
    absent = tmp_path / "var" / "raas.db"
    code, report = status(
        f"raas-it-nosink-{uuid.uuid4().hex[:8]}",
        env={"RAAS_DATABASE_URL": f"sqlite:///{absent}"},
    )
    assert code == 0, report
    assert "database" not in {s["name"] for s in report["services"]}
    assert not absent.parent.exists()


def test_status_exits_4_when_the_sinks_database_does_not_answer(settings: Settings) -> None:
    url = f"postgresql+psycopg2://raas:raas@127.0.0.1:{free_port()}/raas"
    code, report = status("raas-it-nodb", env={"RAAS_DATABASE_URL": url})
    assert code == 4, report
    database = next(s for s in report["services"] if s["name"] == "database")
    assert not database["up"] and "***" in database["address"]
