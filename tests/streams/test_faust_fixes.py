"""The commit rule of `streams.faust_fixes`: never past a message in flight, nor stuck on marks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from faust.types import TP
from intervaltree import IntervalTree

from streams import faust_fixes

TOPIC = TP("raas-commands", 0)


@dataclass(frozen=True)
class InFlight:
    tp: TP
    offset: int


@dataclass
class ConsumerState:
    """The attributes of a Faust consumer that `_new_offset` reads and changes."""

    committed: int | None
    acked: list[int]
    in_flight: list[int] = field(default_factory=list)
    gaps: list[tuple[int, int]] = field(default_factory=list)

    def consumer(self) -> Any:
        class Consumer:
            pass

        c = Consumer()
        c._acked = defaultdict(list, {TOPIC: list(self.acked)})  # type: ignore[attr-defined]
        c._acked_index = defaultdict(set, {TOPIC: set(self.acked)})  # type: ignore[attr-defined]
        c._committed_offset = defaultdict(lambda: None, {TOPIC: self.committed})  # type: ignore[attr-defined]
        c._unacked_messages = {InFlight(TOPIC, o) for o in self.in_flight}  # type: ignore[attr-defined]
        tree = IntervalTree()
        for begin, end in self.gaps:
            tree.addi(begin, end)
        c._gap = defaultdict(IntervalTree, {TOPIC: tree})  # type: ignore[attr-defined]
        return c


def test_a_consecutive_run_after_the_committed_offset_is_committed() -> None:
    consumer = ConsumerState(committed=10, acked=[10, 11, 12]).consumer()
    assert faust_fixes.new_offset(consumer, TOPIC) == 13
    assert consumer._acked[TOPIC] == []


def test_the_message_at_the_committed_offset_still_in_flight_holds_the_commit() -> None:
    # faust-streaming #606: upstream returns 2590 here, and 2585 is lost on a restart.
    state = ConsumerState(committed=2585, acked=[2586, 2587, 2588, 2589], in_flight=[2585])
    consumer = state.consumer()
    assert faust_fixes.new_offset(consumer, TOPIC) is None
    assert consumer._acked[TOPIC] == [2586, 2587, 2588, 2589], "kept for the next commit"


def test_a_transaction_marker_at_the_committed_offset_does_not_hold_the_commit() -> None:
    # After a seek the committed offset can be a commit marker, never delivered to anyone.
    consumer = ConsumerState(committed=436, acked=[437, 438, 439]).consumer()
    assert faust_fixes.new_offset(consumer, TOPIC) == 440


def test_a_hole_of_more_than_one_offset_at_the_head_holds_the_commit() -> None:
    consumer = ConsumerState(committed=100, acked=[105, 106]).consumer()
    assert faust_fixes.new_offset(consumer, TOPIC) is None


def test_the_commit_stops_before_an_unacked_message_in_the_middle() -> None:
    consumer = ConsumerState(committed=0, acked=[0, 1, 2, 4, 5], in_flight=[3]).consumer()
    assert faust_fixes.new_offset(consumer, TOPIC) == 3
    assert consumer._acked[TOPIC] == [4, 5]


def test_registered_gaps_count_as_processed() -> None:
    consumer = ConsumerState(committed=0, acked=[0, 1, 5, 6], gaps=[(2, 5)]).consumer()
    assert faust_fixes.new_offset(consumer, TOPIC) == 7


def test_messages_of_other_partitions_in_flight_do_not_matter() -> None:
    state = ConsumerState(committed=10, acked=[10, 11])
    consumer = state.consumer()
    consumer._unacked_messages = {InFlight(TP("raas-commands", 1), 3)}
    assert faust_fixes.new_offset(consumer, TOPIC) == 12


def test_nothing_acked_commits_nothing() -> None:
    assert faust_fixes.new_offset(ConsumerState(committed=5, acked=[]).consumer(), TOPIC) is None
