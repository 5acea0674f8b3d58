"""Fix 8, `streams.faust_fetches` and `streams.faust_delivery`: records reach the agents in order
and none left out, and only offsets a fetch stepped over count as gaps. Small fakes stand in for
aiokafka's fetch result and Faust's consumer; the functions under test are the ones installed."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from faust.types import TP
from intervaltree import IntervalTree

from streams import faust_delivery, faust_fetches
from streams.faust_fetches import Fetched

TOPIC = TP("raas-tenant-commands", 0)


@dataclass(frozen=True)
class Record:
    offset: int


class PartitionState:
    """aiokafka's state of an assigned partition (only its identity matters here)."""


class FakeFetchResult:
    """aiokafka's `FetchResult` of one partition: a fetch at `at` whose records run to `end`."""

    def __init__(self, state: PartitionState, at: int, offsets: list[int], end: int) -> None:
        self._partition_records = SimpleNamespace(next_fetch_offset=at)
        self._topic_partition = TOPIC
        self._assignment = SimpleNamespace(state_value=lambda tp: state)
        self.offsets, self.end = offsets, end


def take(self: FakeFetchResult, max_records: int | None = None) -> list[Record]:
    """Upstream `getall`: the records, and the position moved past them (and past markers)."""
    self._partition_records.next_fetch_offset = self.end
    return [Record(o) for o in self.offsets]


@pytest.fixture
def taking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faust_fetches, "_upstream_getall", take)


def span(records: list[Any]) -> tuple[int, int, list[int]]:
    assert isinstance(records, Fetched)
    return records.start, records.end, [r.offset for r in records]


def test_a_batch_covers_the_offsets_from_the_position_before_it_to_the_one_after_it(
    taking: None,
) -> None:
    state = PartitionState()
    records = faust_fetches.getall(FakeFetchResult(state, 436, [437, 439], 441))
    assert span(records) == (436, 441, [437, 439])


def test_a_fetch_of_commit_markers_alone_joins_its_offsets_to_the_next_batch(taking: None) -> None:
    state = PartitionState()
    assert faust_fetches.getall(FakeFetchResult(state, 1201, [], 1203)) == []
    records = faust_fetches.getall(FakeFetchResult(state, 1203, [1203], 1204))
    assert span(records) == (1201, 1204, [1203])


def test_offsets_stepped_over_before_a_seek_do_not_join_the_batch_after_it(taking: None) -> None:
    state = PartitionState()
    faust_fetches.getall(FakeFetchResult(state, 1201, [], 1203))
    records = faust_fetches.getall(FakeFetchResult(state, 1190, [1190], 1191))
    assert span(records) == (1190, 1191, [1190])


def test_a_fetch_result_that_gives_nothing_moves_nothing(taking: None) -> None:
    state = PartitionState()
    paused = FakeFetchResult(state, 300, [], 300)  # paused or sought meanwhile: position kept
    assert faust_fetches.getall(paused) == []
    records = faust_fetches.getall(FakeFetchResult(state, 300, [300], 301))
    assert span(records) == (300, 301, [300])


class FakeConsumer:
    """The parts of Faust's consumer that fix 8 reads: each fetch returns the next of `fetches`;
    Faust drops the records at `dropped` (as it does those of a partition no longer active)."""

    def __init__(self, fetches: list[dict[Any, list[Any]]], acking: str = TOPIC.topic) -> None:
        topics = SimpleNamespace(acks_enabled_for=[acking].__contains__)
        self.app = SimpleNamespace(topics=topics, consumer_generation_id=1)
        self._gap: defaultdict[Any, IntervalTree] = defaultdict(IntervalTree)
        self._read_offset: dict[Any, int | None] = {}
        self._committed_offset: dict[Any, int | None] = {}
        self.fetches = fetches
        self.dropped: set[int] = set()
        self.should_stop, self.flow_active = False, True
        self.sought: list[dict[Any, int]] = []
        self.committed: dict[Any, int | None] = {}
        self.firsts: dict[Any, int] = {}

    def assignment(self) -> set[Any]:
        return {TOPIC}

    async def seek_wait(self, partitions: dict[Any, int]) -> None:
        await faust_delivery.seek_wait(self, partitions)

    async def seek_to_committed(self) -> dict[Any, int | None]:
        return self.committed

    async def earliest_offsets(self, *tps: Any) -> dict[Any, int]:
        return {tp: self.firsts[tp] for tp in tps}

    def gaps(self) -> list[int]:
        return sorted(o for g in self._gap[TOPIC] for o in range(g.begin, g.end))


@pytest.fixture
def faust(monkeypatch: pytest.MonkeyPatch) -> None:
    """Upstream's fetch and getmany as fakes: the getmany yields every record not dropped."""

    async def wait_next_records(self: FakeConsumer, timeout: float) -> tuple[Any, Any]:
        return self.fetches.pop(0), None

    async def getmany(self: FakeConsumer, timeout: float) -> Any:
        records, _active = await faust_delivery.wait_next_records(self, timeout)
        for tp, batch in records.items():
            for record in batch:
                if record.offset not in self.dropped:
                    yield tp, record

    async def seek_wait(self: FakeConsumer, partitions: dict[Any, int]) -> None:
        self.sought.append(dict(partitions))

    monkeypatch.setattr(faust_delivery, "_upstream_wait_next_records", wait_next_records)
    monkeypatch.setattr(faust_delivery, "_upstream_getmany", getmany)
    monkeypatch.setattr(faust_delivery, "_upstream_seek_wait", seek_wait)


def batch(start: int, offsets: list[int], end: int) -> dict[Any, list[Any]]:
    return {TOPIC: Fetched([Record(o) for o in offsets], start, end)}


def delivered(consumer: FakeConsumer) -> list[int]:
    async def run() -> list[int]:
        return [record.offset async for _tp, record in faust_delivery.getmany(consumer, 1.0)]

    return asyncio.run(run())


def sought_to(consumer: FakeConsumer, offset: int) -> None:
    asyncio.run(consumer.seek_wait({TOPIC: offset}))
    consumer.sought.clear()


def test_records_from_where_the_partition_was_sought_are_delivered_markers_between_are_gaps(
    faust: None,
) -> None:
    consumer = FakeConsumer([batch(436, [437, 439], 441)])
    sought_to(consumer, 436)
    assert delivered(consumer) == [437, 439]
    assert consumer.gaps() == [436, 438, 440]
    assert consumer.sought == []
    assert faust_delivery.expected_offsets(consumer)[TOPIC] == 441


def test_a_batch_that_starts_past_the_expected_offset_is_not_delivered_and_is_read_again(
    faust: None,
) -> None:
    # The lost 469 and 471: taken and dropped, the next batch starting at 472 (a marker). The
    # old rule accepted a start up to two past the last offset read and committed over them.
    consumer = FakeConsumer([batch(472, [473], 474), batch(469, [469, 471, 473], 474)])
    sought_to(consumer, 469)
    assert delivered(consumer) == []
    assert consumer.sought == [{TOPIC: 469}]
    assert consumer.gaps() == []
    assert delivered(consumer) == [469, 471, 473]
    assert consumer.gaps() == [470, 472]


def test_records_faust_drops_are_read_again_at_once(faust: None) -> None:
    # A partition paused while its records were in hand: Faust skips them, aiokafka is past them.
    consumer = FakeConsumer([batch(759, [760, 762, 763], 764)])
    consumer.dropped = {762}
    sought_to(consumer, 759)
    assert delivered(consumer) == [760]
    assert consumer.sought == [{TOPIC: 761}]
    assert consumer.gaps() == [759]


def test_nothing_is_sought_again_once_a_rebalance_has_begun(faust: None) -> None:
    consumer = FakeConsumer([batch(759, [760, 762], 763)])
    consumer.dropped = {760, 762}
    consumer.flow_active = False  # the revoke stopped the flow; the assignment seeks anyway
    sought_to(consumer, 759)
    assert delivered(consumer) == []
    assert consumer.sought == []


def test_a_changelog_is_delivered_unchecked(faust: None) -> None:
    consumer = FakeConsumer([batch(470, [479], 480)], acking="another-topic")
    sought_to(consumer, 118)
    assert delivered(consumer) == [479]
    assert consumer.sought == []


def test_a_seek_to_the_committed_offsets_sets_where_each_partition_goes_on(faust: None) -> None:
    fresh = TP("raas-tenant-commands", 1)
    consumer = FakeConsumer([])
    consumer.committed = {TOPIC: 469, fresh: None}
    consumer.firsts = {fresh: 12}
    asyncio.run(faust_delivery.perform_seek(consumer))
    assert faust_delivery.expected_offsets(consumer) == {TOPIC: 469, fresh: 12}
    assert consumer.sought == [{fresh: 12}], "never committed: sought to its first offset"
    assert consumer._committed_offset == {TOPIC: 469}


def test_records_taken_during_a_rebalance_seek_are_read_again_when_it_ends(faust: None) -> None:
    # Seen at each recovery: the seek to 759 done, 760..765 taken and dropped before the seek
    # returned (the partition not yet expected anywhere), the next record 768 long after.
    consumer = FakeConsumer([batch(759, [760, 765], 768)])
    consumer.dropped = {760, 765}
    assert delivered(consumer) == []
    assert consumer.sought == []
    consumer.committed = {TOPIC: 759}
    asyncio.run(faust_delivery.perform_seek(consumer))
    assert consumer.sought == [{TOPIC: 759}]


def test_a_fetch_with_no_active_partition_takes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # aiokafka reads an empty set as every partition: the paused ones' records were taken.
    asked: list[Any] = []

    async def fetch(self: Any, consumer: Any, active: Any, timeout: Any, most: Any) -> Any:
        asked.append(active)
        return {}

    monkeypatch.setattr(faust_fetches, "_upstream_fetch_records", fetch)
    live = {TOPIC}
    asyncio.run(faust_fetches.fetch_records(None, None, live))
    asyncio.run(faust_fetches.fetch_records(None, None, set()))
    assert asked == [{TOPIC}]
    assert asked[0] is not live, "a copy: a pause during the fetch does not change it"
