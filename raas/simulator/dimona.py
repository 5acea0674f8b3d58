"""Dimona declarations for simulated persons: an IN, then later UPDATEs, and an OUT or a CANCEL.

Declarations of different periods interleave, as they do on the feed. Every OUT, UPDATE and CANCEL
carries the period id, employer and worker of an earlier IN; nothing follows an OUT or a CANCEL.
Employers are a few dozen made-up enterprises with valid KBO numbers.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

from raas.domain.dimona import DimonaDeclaration, DimonaKind
from raas.domain.identifiers import event_id_for
from raas.simulator import EPOCH
from raas.simulator.numbers import kbo_number
from raas.simulator.persons import simulated_persons

FIRST_DAY = date(2024, 1, 1)
# worker type -> (joint committees, longest employment in days, chance of an open end)
WORKER_TYPES: dict[str, tuple[tuple[str, ...], int, float]] = {
    "STU": (("302", "200", "118", "311"), 60, 0.0),
    "FLX": (("302", "311", "201"), 30, 0.0),
    "EXT": (("302",), 2, 0.0),
    "OTH": (("200", "124", "322", "330", "118"), 700, 0.6),
}
MOST_OPEN = 20


def simulated_declarations(seed: int, count: int, population: int) -> Iterator[DimonaDeclaration]:
    """`count` declarations for the first `population` persons of the seed."""
    workers = [p.insz for p in itertools.islice(simulated_persons(seed), population)]
    rng = random.Random(f"dimona:{seed}:{population}")
    employers = [kbo_number(rng) for _ in range(30)]
    open_periods: dict[str, DimonaDeclaration] = {}
    periods = itertools.count(1)
    for index in range(count):
        if open_periods and (len(open_periods) >= MOST_OPEN or rng.random() < 0.5):
            period_id = rng.choice(sorted(open_periods))
            made = _mutation(open_periods[period_id], rng)
            if made.kind in (DimonaKind.OUT, DimonaKind.CANCEL):
                del open_periods[period_id]
            else:
                open_periods[period_id] = made
        else:
            made = _start(rng, f"{seed * 10_000_000 + next(periods)}", workers, employers)
            open_periods[made.period_id] = made
        cause = event_id_for("simulator", str(seed), "dimona", str(population), str(index))
        yield replace(
            made,
            declaration_id=str(seed * 100_000_000 + index + 1),
            event_id=cause,
            timestamp=EPOCH + timedelta(days=3, seconds=index),
        )


def _start(
    rng: random.Random, period_id: str, workers: list[str], employers: list[str]
) -> DimonaDeclaration:
    worker_type = rng.choice(sorted(WORKER_TYPES))
    committees, longest, open_end = WORKER_TYPES[worker_type]
    begin = FIRST_DAY + timedelta(days=rng.randrange(3 * 365))
    end = None if rng.random() < open_end else begin + timedelta(days=rng.randrange(longest))
    return DimonaDeclaration(
        declaration_id="",
        period_id=period_id,
        kind=DimonaKind.IN,
        employer=rng.choice(employers),
        worker_insz=rng.choice(workers),
        worker_type=worker_type,
        joint_committee=rng.choice(committees),
        begin=begin,
        end=end,
        event_id="",
        timestamp=EPOCH,
    )


def _mutation(last: DimonaDeclaration, rng: random.Random) -> DimonaDeclaration:
    """An UPDATE of the dates, an OUT with the end, or a CANCEL of the period."""
    kind = rng.choices((DimonaKind.UPDATE, DimonaKind.OUT, DimonaKind.CANCEL), (3, 5, 2))[0]
    if kind is DimonaKind.CANCEL:
        return replace(last, kind=kind)
    end = last.begin + timedelta(days=rng.randrange(WORKER_TYPES[last.worker_type][1] + 1))
    if kind is DimonaKind.UPDATE and rng.random() < 0.3:
        return replace(
            last,
            kind=kind,
            begin=last.begin + timedelta(days=1),
            end=max(end, last.begin + timedelta(days=1)),
        )
    return replace(last, kind=kind, end=end)
