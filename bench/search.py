"""Phonetic search over N simulated persons, queried by their spelling variants.

    python bench/search.py [--persons 1000000] [--queries 2000] [--database URL]

Loads N persons (seed 11) into the projection's `persons` table (`sinks/tables.py`, rows from
`sinks.rows.person_row`, so with the search's keys and indexes) in a temporary SQLite file, or in
`--database` (a scratch database: its `persons` table is dropped), then asks for the first
`--queries` persons by their simulator spelling variant (other last and first name, same birth date
and sex; tolerance 0 for incomplete dates). Figures:
- recall: the base person is among the hits (at most 20);
- top-hit precision: the base person is the first hit (persons of one birth date and name family
  with look-alike first names are truly ambiguous, so this falls as N grows), and the mean
  reciprocal rank of the base person;
- p50 / p99 latency of `find_candidates`, one query at a time.
Baseline in the same run: the exact last-name lookup the old service did (equal folded name and
birth date), with its recall and latency. Results go to bench/results/search.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, create_engine, func, select

from raas.domain.birthdates import BirthDate
from raas.domain.persons import PersonIdentity
from raas.simulator.persons import simulated_persons
from raas.simulator.variants import SpellingVariant, spelling_variants
from sinks.rows import person_row
from sinks.search import SearchQuery, find_candidates
from sinks.tables import persons as persons_table

RESULTS = Path(__file__).parent / "results" / "search.json"
SEED = 11
_BATCH = 10_000


def load(engine: Engine, persons: Table, how_many: int) -> float:
    started = time.perf_counter()
    stream = simulated_persons(SEED)
    while batch := list(itertools.islice(stream, min(_BATCH, how_many))):
        with engine.begin() as connection:
            connection.execute(persons.insert(), [person_row(p) for p in batch])
        how_many -= len(batch)
    return time.perf_counter() - started


def query_of(variant: SpellingVariant) -> SearchQuery:
    date: BirthDate = variant.birth_date
    tolerance = None if date.is_complete else 0
    return SearchQuery(variant.last_name, date, variant.first_name, tolerance, variant.sex)


def exact_lookup(connection: Connection, persons: Table, variant: SpellingVariant) -> list[str]:
    """The baseline: equal last name (case-insensitive) and equal birth-date text."""
    c = persons.c
    where = (func.lower(c.last_name) == variant.last_name.lower()) & (
        c.birth_date == str(variant.birth_date)
    )
    return list(connection.execute(select(c.insz).where(where).limit(20)).scalars())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(engine: Engine, persons: Table, variants: list[SpellingVariant]) -> dict[str, object]:
    figures: dict[str, dict[str, list[float]]] = {"search": {}, "exact": {}}
    for name in figures:
        figures[name] = {"latency": [], "found": [], "first": [], "hits": [], "reciprocal": []}
    with engine.connect() as connection:
        for variant in variants:
            for name in figures:
                started = time.perf_counter()
                if name == "search":
                    found = [
                        h.insz for h in find_candidates(connection, persons, query_of(variant))
                    ]
                else:
                    found = exact_lookup(connection, persons, variant)
                elapsed = time.perf_counter() - started
                row = figures[name]
                row["latency"].append(elapsed * 1000)
                row["found"].append(variant.base.insz in found)
                row["first"].append(bool(found) and found[0] == variant.base.insz)
                row["hits"].append(len(found))
                rank = found.index(variant.base.insz) + 1 if variant.base.insz in found else 0
                row["reciprocal"].append(1 / rank if rank else 0.0)
    return {
        name: {
            "recall": round(statistics.fmean(row["found"]), 4),
            "top_hit_precision": round(statistics.fmean(row["first"]), 4),
            "mean_reciprocal_rank": round(statistics.fmean(row["reciprocal"]), 4),
            "mean_hits": round(statistics.fmean(row["hits"]), 2),
            "p50_ms": round(percentile(row["latency"], 0.50), 3),
            "p99_ms": round(percentile(row["latency"], 0.99), 3),
        }
        for name, row in figures.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(args.database or f"sqlite:///{folder}/search.db")
        persons_table.drop(engine, checkfirst=True)
        persons_table.create(engine)  # with the search's indexes, as the migrations make it
        loaded = load(engine, persons_table, args.persons)
        people: list[PersonIdentity] = list(itertools.islice(simulated_persons(SEED), args.queries))
        variants = list(spelling_variants(people, SEED))
        report = {
            "persons": args.persons,
            "queries": len(variants),
            "database": engine.dialect.name,
            "load_seconds": round(loaded, 2),
            **measure(engine, persons_table, variants),
            "goal": "recall >= 0.98 at precision >= 0.9, p99 < 50 ms over 1M persons",
            "machine": platform.platform(),
        }
        persons_table.drop(engine)
        engine.dispose()
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
