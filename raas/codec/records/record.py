"""How one domain type maps to one top-level Avro record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

AvroDict = dict[str, Any]


@dataclass(frozen=True)
class Record(Generic[T]):
    """A top-level record: its Avro name, the Python types it holds and the mapping both ways."""

    name: str  # short Avro name, e.g. "Command"; its .avsc is avro/<name>.avsc
    types: tuple[type, ...]  # the classes `encode` dispatches on
    to_dict: Callable[[T], AvroDict]
    from_dict: Callable[[AvroDict], T]

    def __repr__(self) -> str:
        return f"Record({self.name})"


def branch(name: str, datum: AvroDict) -> tuple[str, AvroDict]:
    """A union value naming its branch, as fastavro writes and reads it."""
    return (f"be.raas.{name}", datum)


def branch_name(value: tuple[str, AvroDict]) -> str:
    return value[0].rsplit(".", 1)[-1]
