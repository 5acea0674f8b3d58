"""The rules of `raas status`: lag as Kafka counts it, stalls, the oldest waiting, the exit code."""

from __future__ import annotations

from raas.status.report import (
    Group,
    Health,
    PartitionLag,
    Service,
    Status,
    health,
    oldest_waiting,
    stalled_partitions,
)

UP = Service("kafka", "127.0.0.1:9092", "4.1.1", True)
NOW = 1_000_000.0


def status(*partitions: PartitionLag, services: tuple[Service, ...] = (UP,)) -> Status:
    return Status(
        services=services,
        groups=(Group("raas", "STABLE", (), partitions),),
        taken_at=NOW,
    )


def test_lag_is_the_end_offset_minus_the_committed_one_summed_per_topic() -> None:
    group = Group(
        "raas",
        "STABLE",
        (),
        (PartitionLag("a", 0, 5, 9), PartitionLag("a", 1, 3, 3), PartitionLag("b", 0, 0, 2)),
    )
    assert group.lag_by_topic() == {"a": 4, "b": 2}


def test_a_record_waiting_longer_than_the_stall_bound_is_stalled() -> None:
    taken = status(PartitionLag("a", 0, 5, 9, waiting_since=NOW - 61))
    assert stalled_partitions(taken, 60) == [("raas", "a[0]")]
    assert health(taken, 60) is Health.STALLED


def test_an_old_record_is_no_stall_when_the_offset_moved_meanwhile_a_backlog_being_worked_off() -> (
    None
):
    taken = status(PartitionLag("a", 0, 5, 9, waiting_since=NOW - 600, moved=True))
    assert health(taken, 60) is Health.HEALTHY


def test_a_lag_with_no_record_waiting_is_healthy_as_a_lone_commit_marker_is() -> None:
    taken = status(PartitionLag("a", 0, 5, 6, waiting_since=None))
    assert stalled_partitions(taken, 60) == []
    assert health(taken, 60) is Health.HEALTHY


def test_a_record_waiting_less_than_the_stall_bound_is_not_stalled() -> None:
    assert health(status(PartitionLag("a", 0, 5, 9, waiting_since=NOW - 59)), 60) is Health.HEALTHY


def test_a_service_down_outweighs_a_stall() -> None:
    down = Service("kafka", "127.0.0.1:9092", None, False)
    taken = status(PartitionLag("a", 0, 5, 9, waiting_since=NOW - 600), services=(down,))
    assert health(taken, 60) is Health.DOWN


def test_the_oldest_waiting_record_is_the_one_waiting_longest_over_all_partitions() -> None:
    taken = status(
        PartitionLag("a", 0, 5, 9, waiting_since=NOW - 10),
        PartitionLag("b", 2, 7, 8, waiting_since=NOW - 30),
        PartitionLag("c", 0, 1, 1),
    )
    assert oldest_waiting(taken) == {
        "group": "raas",
        "topic": "b",
        "partition": 2,
        "offset": 7,
        "waiting_seconds": 30.0,
    }
    assert oldest_waiting(status(PartitionLag("c", 0, 1, 1))) is None
