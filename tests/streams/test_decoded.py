"""The decoded-value memory of the register agent: trusted only while the bytes are the same."""

from __future__ import annotations

from streams.decoded import Decoded


def counting() -> tuple[Decoded[str], list[bytes]]:
    calls: list[bytes] = []

    def decode(raw: bytes) -> str:
        calls.append(raw)
        return raw.decode().upper()

    return Decoded(decode, size=2), calls


def test_unchanged_bytes_are_decoded_once() -> None:
    decoded, calls = counting()
    assert decoded.get(b"k", b"abc") == "ABC"
    assert decoded.get(b"k", b"abc") == "ABC"
    assert calls == [b"abc"]
    assert (decoded.hits, decoded.misses) == (1, 1)


def test_changed_bytes_are_decoded_again() -> None:
    """A value restored from the changelog, or written elsewhere, is never served stale."""
    decoded, calls = counting()
    decoded.get(b"k", b"abc")
    assert decoded.get(b"k", b"xyz") == "XYZ"
    assert calls == [b"abc", b"xyz"]


def test_put_serves_what_was_written_without_decoding() -> None:
    decoded, calls = counting()
    decoded.put(b"k", b"new", "written")
    assert decoded.get(b"k", b"new") == "written"
    assert calls == []


def test_least_recently_used_goes_first() -> None:
    decoded, calls = counting()
    decoded.get(b"a", b"1")
    decoded.get(b"b", b"2")
    decoded.get(b"a", b"1")  # a is now the most recent
    decoded.get(b"c", b"3")  # b goes
    assert len(decoded) == 2
    decoded.get(b"a", b"1")
    decoded.get(b"b", b"2")
    assert calls == [b"1", b"2", b"3", b"2"]
