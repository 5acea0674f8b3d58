"""A worker killed with SIGKILL during a burst of INSZ replacements loses and doubles nothing.

Its own workers (not the module worker of the other files): one is killed once a quarter of the
replacements were notified, and a fresh one, with an empty state folder, takes over from the
changelogs and the committed offsets.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from confluent_kafka import TopicPartition

from raas import codec
from raas.clients import make_consumer
from raas.config import Settings
from raas.domain.commands import Consult, Register
from raas.domain.notifications import InszReplaced
from raas.domain.periods import Period
from raas.domain.results import Status
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant
from raas.outside.replacements import replacement
from raas.sources import person, publish_persons
from raas.topics import tenant_topic
from tests.integration.numbers import new_insz, new_kbo
from tests.integration.workers import Worker, send, wait_until_answering, wait_until_known

PAIRS = 24
OLD_LINE = Period(date(2024, 1, 1), date(2024, 3, 31))
NEW_LINE = Period(date(2024, 6, 1), date(2024, 8, 31))


@pytest.mark.timeout(900)
def test_a_worker_killed_during_a_burst_of_replacements_loses_and_doubles_nothing(
    worker_settings: Settings, tmp_path: Path
) -> None:
    s = worker_settings
    tenant = new_kbo()
    add_tenant(s, tenant, "Recovery", [DossierType(1, "a")])
    pairs = [(new_insz(), new_insz()) for _ in range(PAIRS)]
    numbers = [n for pair in pairs for n in pair]
    publish_persons(s, [person(n, "Claes", "Eva") for n in numbers])
    first = Worker(replace(s, var_dir=tmp_path / "crashing"), "crashing").start()
    second = Worker(replace(s, var_dir=tmp_path / "fresh"), "fresh")
    notes = make_consumer(s, group_id=None, **{"enable.partition.eof": False})
    try:
        wait_until_answering(s, tenant, numbers[0], [first])
        wait_until_known(s, tenant, numbers, [first])
        for old, new in pairs:
            for insz, period in ((old, OLD_LINE), (new, NEW_LINE)):
                done = send(s, tenant, Register(str(uuid.uuid4()), "r", insz, 1, period))
                assert done.status is Status.OK, done.details
        topic = tenant_topic(tenant, "notifications")
        partitions = notes.list_topics(topic, timeout=10).topics[topic].partitions
        notes.assign([TopicPartition(topic, p, 0) for p in partitions])

        publish_persons(s, [replacement(old, new) for old, new in pairs])
        seen: dict[tuple[str, str], list[InszReplaced]] = {}
        crashed, deadline = False, time.monotonic() + 400
        while len(seen) < PAIRS:
            assert time.monotonic() < deadline, f"{len(seen)} of {PAIRS} replacements notified"
            msg = notes.poll(0.5)
            if msg is None or msg.error() is not None:
                continue
            note = codec.decode(msg.value(), codec.NOTIFICATION)
            assert isinstance(note, InszReplaced), note
            seen.setdefault((note.old_insz, note.new_insz), []).append(note)
            if not crashed and len(seen) >= PAIRS // 4:
                first.kill()  # kill -9: no flush, no commit, no goodbye
                second.start()  # an empty state folder: the tables come back from the changelog
                crashed = True
        assert crashed
        assert set(seen) == set(pairs)
        for copies in seen.values():  # a copy written again after the crash is the same event
            assert len({(c.event_id, c.lines) for c in copies}) == 1, copies
        for old, new in pairs:
            on_old = send(s, tenant, Consult(str(uuid.uuid4()), None, old), timeout=120)
            assert on_old.insz == new
            assert [ln.period for ln in on_old.lines] == [OLD_LINE, NEW_LINE], (old, new)
    finally:
        notes.close()
        first.stop()
        second.stop()
