"""The ingress's quiet partitions: paused after a silence, resumed once a record waits past the
position, forgotten on revoke, and all paused partitions looked up together.

A fake clock and a hand-written fake of the consumer; the real broker's side is in
tests/integration/test_quiet_tenants.py.
"""

from __future__ import annotations

from confluent_kafka import TopicPartition

from streams.quiet_partitions import Key, PartitionPauser, QuietPartitions
from tests.unit.codec.fakes import FakeMessage

A = ("raas.tenant.0123456749.commands", 0)
B = ("raas.tenant.0212345678.commands", 0)
C = ("raas.tenant.0403019261.commands", 0)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _quiet(clock: Clock, *assigned: Key) -> QuietPartitions:
    quiet = QuietPartitions(quiet_after=10.0, watch_interval=1.0, clock=clock)
    quiet.assigned(assigned)
    return quiet


def test_a_partition_is_quiet_once_it_had_no_record_for_the_interval_and_not_before() -> None:
    clock = Clock()
    quiet = _quiet(clock, A, B)
    clock.now += 5
    quiet.heard([B])

    clock.now += 4.9
    assert quiet.quiet() == []
    clock.now += 1.1  # A: 11 s without a record, B: 6 s
    assert quiet.quiet() == [A]


def test_a_paused_partition_resumes_when_its_end_offset_passed_the_position() -> None:
    clock = Clock()
    quiet = _quiet(clock, A, B)
    clock.now += 10
    quiet.pause({A: 7, B: 3})

    resumed = quiet.to_resume({A: 7, B: 4}, {A: 7, B: 3})

    assert resumed == [B]
    assert quiet.paused == {A}


def test_a_paused_partition_compares_its_end_with_the_offset_noted_when_no_position_is_known() -> (
    None
):
    clock = Clock()
    quiet = _quiet(clock, A, B)
    clock.now += 10
    quiet.pause({A: 7, B: 3})  # committed offsets: nothing read since the assignment

    assert quiet.to_resume({A: 7, B: 5}, {}) == [B]


def test_a_paused_partition_whose_end_is_unknown_is_resumed() -> None:
    clock = Clock()
    quiet = _quiet(clock, A)
    clock.now += 10
    quiet.pause({A: 7})

    assert quiet.to_resume({}, {A: 7}) == [A]


def test_a_resumed_partition_is_paused_again_after_another_silence() -> None:
    clock = Clock()
    quiet = _quiet(clock, A)
    clock.now += 10
    quiet.pause({A: 7})
    quiet.to_resume({A: 8}, {A: 7})

    clock.now += 9
    assert quiet.quiet() == []
    clock.now += 1
    assert quiet.quiet() == [A]


def test_a_revoked_partition_is_forgotten_paused_or_not() -> None:
    clock = Clock()
    quiet = _quiet(clock, A, B)
    clock.now += 10
    quiet.pause({A: 7})

    quiet.revoked([A, B])
    clock.now += 20

    assert quiet.paused == frozenset()
    assert quiet.quiet() == []
    assert quiet.to_watch() == []


def test_a_partition_assigned_again_starts_active() -> None:
    clock = Clock()
    quiet = _quiet(clock, A)
    clock.now += 10
    quiet.pause({A: 7})

    quiet.assigned([A])

    assert quiet.paused == frozenset()
    clock.now += 9
    assert quiet.quiet() == []


def test_all_paused_partitions_are_watched_together_once_per_interval() -> None:
    clock = Clock()
    quiet = _quiet(clock, A, B, C)
    clock.now += 10
    quiet.pause({A: 1, B: 2, C: 3})

    assert quiet.to_watch() == [A, B, C]
    clock.now += 0.5
    assert quiet.to_watch() == []
    clock.now += 0.5
    assert quiet.to_watch() == [A, B, C]


class Consumer:
    """Records pause, resume and assign; positions and committed offsets as prepared."""

    def __init__(self, positions: dict[Key, int], committed: dict[Key, int]) -> None:
        self.positions, self.committed_offsets = positions, committed
        self.paused: set[Key] = set()
        self.assigned: list[Key] = []

    def assign(self, partitions: list[TopicPartition]) -> None:
        self.assigned = [(tp.topic, tp.partition) for tp in partitions]

    def pause(self, partitions: list[TopicPartition]) -> None:
        self.paused |= {(tp.topic, tp.partition) for tp in partitions}

    def resume(self, partitions: list[TopicPartition]) -> None:
        self.paused -= {(tp.topic, tp.partition) for tp in partitions}

    def position(self, partitions: list[TopicPartition]) -> list[TopicPartition]:
        return [_at(tp, self.positions.get((tp.topic, tp.partition), -1001)) for tp in partitions]

    def committed(self, partitions: list[TopicPartition], timeout: float) -> list[TopicPartition]:
        return [
            _at(tp, self.committed_offsets.get((tp.topic, tp.partition), -1001))
            for tp in partitions
        ]


def _at(tp: TopicPartition, offset: int) -> TopicPartition:
    return TopicPartition(tp.topic, tp.partition, offset)


class Ends:
    """The end offsets lookup: one call per lookup, for every key asked."""

    def __init__(self, ends: dict[Key, int]) -> None:
        self.ends = ends
        self.calls: list[list[Key]] = []

    def __call__(self, keys: list[Key]) -> dict[Key, int]:
        self.calls.append(keys)
        return {k: self.ends[k] for k in keys if k in self.ends}


def _pauser(consumer: Consumer, ends: Ends, clock: Clock) -> PartitionPauser:
    pauser = PartitionPauser(consumer, ends, QuietPartitions(10.0, 1.0, clock))  # type: ignore[arg-type]
    pauser.assigned([TopicPartition(*key) for key in (A, B, C)])
    return pauser


def test_the_pauser_asks_the_ends_of_all_paused_partitions_in_one_lookup() -> None:
    clock = Clock()
    consumer = Consumer(positions={A: 4, B: 9}, committed={C: 2})
    ends = Ends({A: 4, B: 9, C: 2})
    pauser = _pauser(consumer, ends, clock)
    clock.now += 10

    pauser.tick()

    assert consumer.paused == {A, B, C}
    assert ends.calls == [[A, B, C]]


def test_the_pauser_resumes_a_partition_with_a_record_past_its_committed_offset() -> None:
    clock = Clock()
    consumer = Consumer(positions={A: 4}, committed={C: 2})  # C: nothing read since assigned
    ends = Ends({A: 4, B: 0, C: 2})
    pauser = _pauser(consumer, ends, clock)
    clock.now += 10
    pauser.tick()

    ends.ends[C] = 3  # a command for C
    clock.now += 1
    pauser.tick()

    assert consumer.paused == {A, B}
    assert pauser.paused == {A, B}


def test_the_pauser_keeps_nothing_paused_when_the_lookup_fails() -> None:
    clock = Clock()
    consumer = Consumer(positions={A: 4, B: 9, C: 1}, committed={})

    def failing(keys: list[Key]) -> dict[Key, int]:
        raise TimeoutError("the broker is slow")

    pauser = _pauser(consumer, failing, clock)  # type: ignore[arg-type]
    clock.now += 10

    pauser.tick()

    assert consumer.paused == set()


def test_a_partition_assigned_again_is_resumed_in_the_consumer() -> None:
    clock = Clock()
    consumer = Consumer(positions={A: 4, B: 9, C: 1}, committed={})
    pauser = _pauser(consumer, Ends({A: 4, B: 9, C: 1}), clock)
    clock.now += 10
    pauser.tick()
    assert consumer.paused == {A, B, C}

    pauser.revoked([TopicPartition(*A)])
    pauser.assigned([TopicPartition(*A)])

    assert consumer.assigned == [A]
    assert consumer.paused == {B, C}
    assert pauser.paused == {B, C}


def test_records_from_a_partition_delay_its_pause() -> None:
    clock = Clock()
    consumer = Consumer(positions={A: 4, B: 9, C: 1}, committed={})
    pauser = _pauser(consumer, Ends({A: 4, B: 9, C: 1}), clock)
    clock.now += 5
    pauser.heard([FakeMessage(b"", _topic=A[0], _partition=A[1])])  # type: ignore[list-item]
    clock.now += 5

    pauser.tick()

    assert consumer.paused == {B, C}
