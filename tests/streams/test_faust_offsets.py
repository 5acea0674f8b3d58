"""The commit rules of `streams.faust_offsets`: never past a message in flight, nor stuck on marks,
nor over offsets nothing accounts for, nor forgetting what was done when a rebalance comes."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from faust.transport.consumer import Consumer
from faust.types import TP
from intervaltree import IntervalTree

from streams import faust_delivery, faust_offsets

TOPIC = TP("raas-commands", 0)


@dataclass(frozen=True)
class InFlight:
    tp: TP
    offset: int
    acked: bool = False


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
    assert faust_offsets.new_offset(consumer, TOPIC) == 13
    assert consumer._acked[TOPIC] == []


def test_the_message_at_the_committed_offset_still_in_flight_holds_the_commit() -> None:
    # faust-streaming #606: upstream returns 2590 here, and 2585 is lost on a restart.
    state = ConsumerState(committed=2585, acked=[2586, 2587, 2588, 2589], in_flight=[2585])
    consumer = state.consumer()
    assert faust_offsets.new_offset(consumer, TOPIC) is None
    assert consumer._acked[TOPIC] == [2586, 2587, 2588, 2589], "kept for the next commit"


def test_a_transaction_marker_at_the_committed_offset_does_not_hold_the_commit() -> None:
    # After a seek the committed offset can be a commit marker, never delivered to anyone: the
    # fetch stepped over it, so it is a gap (streams.faust_fetches).
    consumer = ConsumerState(committed=436, acked=[437, 438, 439], gaps=[(436, 437)]).consumer()
    assert faust_offsets.new_offset(consumer, TOPIC) == 440


def test_an_offset_at_the_head_that_nothing_accounts_for_holds_the_commit() -> None:
    # Upstream commits over a hole of one: the record at 469 may never have been delivered
    # (a rolling restart lost 469 and 471 so).
    consumer = ConsumerState(committed=469, acked=[470, 471, 472]).consumer()
    assert faust_offsets.new_offset(consumer, TOPIC) is None


def test_a_hole_of_more_than_one_offset_at_the_head_holds_the_commit() -> None:
    consumer = ConsumerState(committed=100, acked=[105, 106]).consumer()
    assert faust_offsets.new_offset(consumer, TOPIC) is None


def test_gaps_left_behind_the_committed_offset_do_not_hold_the_commit() -> None:
    consumer = ConsumerState(committed=10, acked=[10, 11], gaps=[(7, 9)]).consumer()
    assert faust_offsets.new_offset(consumer, TOPIC) == 12


def test_the_commit_stops_before_an_unacked_message_in_the_middle() -> None:
    consumer = ConsumerState(committed=0, acked=[0, 1, 2, 4, 5], in_flight=[3]).consumer()
    assert faust_offsets.new_offset(consumer, TOPIC) == 3
    assert consumer._acked[TOPIC] == [4, 5]


def test_registered_gaps_count_as_processed() -> None:
    consumer = ConsumerState(committed=0, acked=[0, 1, 5, 6], gaps=[(2, 5)]).consumer()
    assert faust_offsets.new_offset(consumer, TOPIC) == 7


def test_messages_of_other_partitions_in_flight_do_not_matter() -> None:
    state = ConsumerState(committed=10, acked=[10, 11])
    consumer = state.consumer()
    consumer._unacked_messages = {InFlight(TP("raas-commands", 1), 3)}
    assert faust_offsets.new_offset(consumer, TOPIC) == 12


def test_nothing_acked_commits_nothing() -> None:
    assert faust_offsets.new_offset(ConsumerState(committed=5, acked=[]).consumer(), TOPIC) is None


class RevokingConsumer:
    """A consumer whose app, on revoke, commits what `new_offset` allows, as Faust's does."""

    def __init__(self, state: ConsumerState) -> None:
        self.of = state.consumer()
        self.of._active_partitions = {TOPIC}
        self.of._paused_partitions = set()
        self.of._read_offset = defaultdict(lambda: None, {TOPIC: max(state.acked)})
        self.committed_on_revoke: list[int | None] = []

        async def on_revoke(revoked: set[TP]) -> None:  # the app's handler: wait empty, commit
            self.committed_on_revoke.append(faust_offsets.new_offset(self.of, TOPIC))

        self.of._on_partitions_revoked = on_revoke


def test_a_revoke_commits_the_offsets_acked_since_the_last_commit() -> None:
    # Upstream drops the acked offsets before the app commits: 10..12 were processed again.
    consumer = RevokingConsumer(ConsumerState(committed=10, acked=[10, 11, 12]))
    asyncio.run(faust_offsets.on_partitions_revoked(consumer.of, {TOPIC}))
    assert consumer.committed_on_revoke == [13]


def test_a_revoke_forgets_the_partition_after_the_commit() -> None:
    consumer = RevokingConsumer(ConsumerState(committed=10, acked=[10, 11], gaps=[(12, 13)]))
    asyncio.run(faust_offsets.on_partitions_revoked(consumer.of, {TOPIC}))
    of = consumer.of
    assert TOPIC not in of._active_partitions
    remembered = [of._acked, of._acked_index, of._committed_offset, of._read_offset, of._gap]
    assert [TOPIC in table for table in remembered] == [False] * 5
    assert TOPIC not in faust_delivery.expected_offsets(of)


def test_a_gap_that_holds_an_acked_record_does_not_cut_the_commit_short() -> None:
    # Faust's gap runs up to and with the record after it, which is acked as well: upstream then
    # commits one marker at a time, far behind what was processed.
    state = ConsumerState(committed=10, acked=[10, 12, 14, 16], gaps=[(11, 13), (13, 15), (15, 17)])
    assert faust_offsets.new_offset(state.consumer(), TOPIC) == 17


def test_a_message_acked_but_still_in_the_unacked_set_does_not_hold_the_commit() -> None:
    # Faust removes a message from its unacked set only when it counts the ack; a repeat of
    # an offset it counted already stays there, acked, as long as something holds it.
    consumer = ConsumerState(committed=412, acked=[412, 413, 414, 415]).consumer()
    consumer._unacked_messages = {InFlight(TOPIC, 412, acked=True)}
    assert faust_offsets.new_offset(consumer, TOPIC) == 416


class Committing:
    """A consumer with Faust's own `commit` and its wait for a commit under way."""

    commit = Consumer.commit
    maybe_wait_for_commit_to_finish = Consumer.maybe_wait_for_commit_to_finish

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.app = SimpleNamespace(client_only=False)
        self.loop = loop
        self._commit_fut: asyncio.Future[None] | None = None
        self.committed: list[bool] = []  # start_new_transaction of each commit made

    async def force_commit(self, topics: Any = None, start_new_transaction: bool = True) -> bool:
        self.committed.append(start_new_transaction)
        return True


def test_the_last_commit_waits_for_the_one_under_way_and_then_commits() -> None:
    # Upstream's returned at once, committing nothing, while the timer's commit was under way:
    # what was acked since stayed uncommitted at a stop, and the next owner answered it again.
    async def scenario() -> list[bool]:
        consumer = Committing(asyncio.get_running_loop())
        consumer._commit_fut = asyncio.get_running_loop().create_future()  # the timer's
        last = asyncio.create_task(faust_offsets.commit_and_end_transactions(consumer))
        await asyncio.sleep(0.01)
        assert consumer.committed == [], "it waits for the commit under way"
        under_way, consumer._commit_fut = consumer._commit_fut, None
        under_way.set_result(None)  # as Faust's commit does when it ends
        await asyncio.wait_for(last, 5)
        return consumer.committed

    assert asyncio.run(scenario()) == [False]
