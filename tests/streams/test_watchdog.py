"""The stall rule of `streams.watchdog`: seek only a partition that nothing else will move."""

from __future__ import annotations

from dataclasses import replace

from streams.watchdog import Progress, stalled, stalled_partitions

IDLE = Progress(read=516, committed=517, end=518, in_flight=0, acked=0)  # 517: a commit marker


def test_an_idle_partition_that_ends_with_a_commit_marker_is_not_stalled() -> None:
    assert not stalled(IDLE, IDLE)


def test_offsets_waiting_beyond_the_last_delivered_with_no_progress_are_a_stall() -> None:
    # A partition taken over in a rebalance and never fetched: 60 commands wait.
    before = Progress(read=70, committed=70, end=130, in_flight=0, acked=0)
    assert stalled(before, before)


def test_a_hole_at_the_committed_offset_that_nothing_will_fill_is_a_stall() -> None:
    # 485..500 never delivered, 501..517 delivered and acked: the commit cannot pass 485.
    before = Progress(read=517, committed=485, end=518, in_flight=0, acked=17)
    assert stalled(before, before)


def test_progress_between_the_samples_is_not_a_stall() -> None:
    before = Progress(read=70, committed=70, end=130, in_flight=0, acked=0)
    assert not stalled(before, replace(before, read=90, committed=91))


def test_a_busy_agent_is_not_a_stall() -> None:
    busy = Progress(read=70, committed=60, end=130, in_flight=12, acked=0)
    assert not stalled(busy, busy)


def test_a_partition_never_committed_whose_records_are_never_delivered_is_stalled() -> None:
    # CI: the only record of a partition, at offset 0, reached neither worker in 180 s.
    fresh = Progress(read=None, committed=None, end=1, in_flight=0, acked=0, start=0)
    assert stalled(fresh, fresh)
    assert fresh.origin == 0, "sought to its first offset, as a restart would read it"


def test_a_partition_never_committed_and_empty_is_not_stalled() -> None:
    empty = Progress(read=None, committed=None, end=12, in_flight=0, acked=0, start=12)
    assert not stalled(empty, empty)


def test_a_partition_never_committed_that_delivers_is_judged_from_its_first_offset() -> None:
    before = Progress(read=3, committed=None, end=40, in_flight=0, acked=0, start=0)
    assert stalled(before, before)
    assert not stalled(before, Progress(read=9, committed=None, end=40, in_flight=0, acked=0))
    done = Progress(read=39, committed=None, end=40, in_flight=0, acked=0, start=0)
    assert not stalled(done, done)


def test_only_partitions_seen_twice_are_judged() -> None:
    stuck = Progress(read=70, committed=70, end=130, in_flight=0, acked=0)
    assert stalled_partitions({}, {"p0": stuck}) == []
    assert stalled_partitions({"p0": stuck, "p1": IDLE}, {"p0": stuck, "p1": IDLE}) == ["p0"]
