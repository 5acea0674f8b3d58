"""The last decoded value of each key, so an unchanged stored value is not decoded again.

A table value is decoded on every command for its key (the register state and the person's
identity): 20 to 60 µs each, more than the rest of the command's own work. `Decoded` keeps, per
key, the bytes it last saw and what they decoded to, and trusts that only while the stored bytes
are the same (compared, not assumed), so a value restored from the changelog, or written by
another worker before a rebalance, is decoded afresh. Bounded, least recently used first out.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Decoded(Generic[T]):
    def __init__(self, decode: Callable[[bytes], T], size: int = 50_000) -> None:
        self._decode = decode
        self._size = size
        self._entries: OrderedDict[bytes, tuple[bytes, T]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: bytes, raw: bytes) -> T:
        """`raw` (the value stored under `key`) decoded, from memory when it is unchanged."""
        entry = self._entries.get(key)
        if entry is not None and entry[0] == raw:
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]
        self.misses += 1
        value = self._decode(raw)
        self.put(key, raw, value)
        return value

    def put(self, key: bytes, raw: bytes, value: T) -> None:
        """Note that `raw`, about to be stored under `key`, decodes to `value`."""
        self._entries[key] = (raw, value)
        self._entries.move_to_end(key)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
