"""DeadLetter: a message some consumer gave up on, with its original bytes."""

from __future__ import annotations

from dataclasses import asdict

from raas.codec.envelopes import DeadLetter
from raas.codec.records.record import AvroDict, Record


def dead_letter_to(letter: DeadLetter) -> AvroDict:
    return asdict(letter)


def dead_letter_from(datum: AvroDict) -> DeadLetter:
    return DeadLetter(**datum)


DEAD_LETTER: Record[DeadLetter] = Record(
    "DeadLetter", (DeadLetter,), dead_letter_to, dead_letter_from
)
