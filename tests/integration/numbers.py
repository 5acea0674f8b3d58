"""Fresh, valid numbers for each test, so tests never share a tenant or a person."""

from __future__ import annotations

import uuid


def _kbo(first8: int) -> str:
    return f"{first8:08d}{97 - first8 % 97:02d}"


ISSUED_KBOS: set[str] = set()  # every number new_kbo gave in this test session


def new_kbo() -> str:
    """A valid KBO enterprise number (first digit 1), new for each call."""
    kbo = _kbo(uuid.uuid4().int % 10**7 + 10**7)
    ISSUED_KBOS.add(kbo)
    return kbo


def new_insz() -> str:
    """A valid National Register number of someone born in the 1900s, new for each call."""
    n = uuid.uuid4().int
    yy, mm, dd, serial = n % 100, n // 100 % 12 + 1, n // 1200 % 28 + 1, n // 33600 % 997 + 1
    first9 = int(f"{yy:02d}{mm:02d}{dd:02d}{serial:03d}")
    return f"{first9:09d}{97 - first9 % 97:02d}"
