"""The pure parts of raas/metrics.py: lag from a consumer's offsets, a table's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from raas.metrics import faust_lags, table_keys


@dataclass(frozen=True)
class TP:
    topic: str
    partition: int


@dataclass
class FakeConsumer:
    """What faust_lags reads of Faust's consumer."""

    ends: dict[TP, int | None]
    _committed_offset: dict[TP, int] = field(default_factory=dict)

    def assignment(self) -> set[TP]:
        return set(self.ends)

    def highwater(self, tp: TP) -> int | None:
        return self.ends[tp]


def test_lag_is_the_last_seen_end_minus_the_committed_offset_of_each_partition() -> None:
    a0, a1, b0 = TP("a", 0), TP("a", 1), TP("b", 0)
    consumer = FakeConsumer({a0: 10, a1: None, b0: 4}, {a0: 7, a1: 3})
    assert faust_lags(consumer) == {("a", 0): 3}  # a1: no end seen yet; b0: never committed


class FakeRdict:
    def __init__(self, keys: int) -> None:
        self.keys = keys

    def property_int_value(self, name: str) -> int:
        assert name == "rocksdb.estimate-num-keys"
        return self.keys


@dataclass
class FakeTable:
    data: Any


@dataclass
class FakeRocksStore:
    _dbs: dict[int, FakeRdict]


def test_a_rocksdb_tables_size_is_the_sum_of_its_partitions_estimates() -> None:
    assert table_keys(FakeTable(FakeRocksStore({0: FakeRdict(3), 5: FakeRdict(4)}))) == 7


def test_a_memory_tables_size_is_its_count_of_keys() -> None:
    assert table_keys(FakeTable({b"a": b"1", b"b": b"2"})) == 2
