"""A sink's lag per partition: the end offset it last fetched minus the offset it stored."""

from __future__ import annotations

from typing import Any

from confluent_kafka import TopicPartition

from sinks.batches import sink_lags


class FakeConsumer:
    """Answers get_watermark_offsets(cached=True) from a table; -1001 where nothing was fetched."""

    def __init__(self, ends: dict[tuple[str, int], int]) -> None:
        self.ends = ends

    def get_watermark_offsets(self, tp: TopicPartition, cached: bool = False) -> tuple[int, int]:
        assert cached, "a sink batch never asks the broker for its lag"
        return -1001, self.ends.get((tp.topic, tp.partition), -1001)


def test_a_sinks_lag_is_the_last_fetched_end_minus_the_stored_offset() -> None:
    consumer: Any = FakeConsumer({("a", 0): 10, ("a", 1): 5})
    lags = sink_lags(consumer, {("a", 0): 7, ("a", 1): 5, ("b", 0): 3})
    assert lags == {("a", 0): 3, ("a", 1): 0}  # b[0]: no end fetched yet, no figure
