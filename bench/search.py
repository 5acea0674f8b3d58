"""Phonetic search over N simulated persons, queried by their spelling variants.

    python -m bench.search [--persons 1000000] [--queries 2000] [--sqlite]

Loads N persons (seed 11) into the projection's `persons` table (`sinks/tables.py`, rows from
`sinks.rows.person_row`, so with the search's keys and indexes): on PostgreSQL, the production back
end, in a schema of its own at RAAS_POSTGRES_URL (dropped after), through COPY (`sinks.copying`)
with the indexes made after the load; with `--sqlite` in a temporary SQLite file, through
multi-row inserts. Then asks for the first
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
import io
import itertools
import json
import platform
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, create_engine, func, select

from raas.domain.birthdates import BirthDate
from raas.domain.persons import PersonIdentity
from raas.simulator.persons import simulated_persons
from raas.simulator.variants import SpellingVariant, spelling_variants
from sinks.copying import copy_lines
from sinks.rows import person_row
from sinks.search import SearchQuery, find_candidates
from sinks.tables import persons as persons_table
from tests.integration.projection import fresh_database

RESULTS = Path(__file__).parent / "results" / "search.json"
SEED = 11
_BATCH = 10_000


def load(engine: Engine, persons: Table, how_many: int) -> float:
    """Make the table and fill it with N simulated persons; the seconds it took."""
    started = time.perf_counter()
    persons.drop(engine, checkfirst=True)
    if engine.dialect.name != "postgresql":
        persons.create(engine)  # with the search's indexes, as the migrations make it
        for batch in _batches(how_many):
            with engine.begin() as connection:
                connection.execute(persons.insert(), batch)
        return time.perf_counter() - started
    indexes = set(persons.indexes)
    persons.create(engine, checkfirst=False)
    with engine.begin() as connection:
        for index in indexes:
            index.drop(connection)  # made again after the load: one sort each, not 1M inserts
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        columns = [c.name for c in persons.columns]
        names = ", ".join(f'"{c}"' for c in columns)
        for batch in _batches(how_many):
            data = io.StringIO(copy_lines(batch, columns))
            cursor.copy_expert(f"COPY {persons.name} ({names}) FROM STDIN", data)
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as connection:
        for index in indexes:
            index.create(connection)
        connection.exec_driver_sql(f"ANALYZE {persons.name}")
    return time.perf_counter() - started


def _batches(how_many: int) -> Iterator[list[dict[str, object]]]:
    stream = itertools.islice(simulated_persons(SEED), how_many)
    while batch := [person_row(p) for p in itertools.islice(stream, _BATCH)]:
        yield batch


@contextmanager
def database(sqlite: bool) -> Iterator[Engine]:
    """A temporary SQLite file, or a fresh schema at RAAS_POSTGRES_URL, dropped after."""
    if sqlite:
        with tempfile.TemporaryDirectory() as folder:
            engine = create_engine(f"sqlite:///{folder}/search.db")
            yield engine
            engine.dispose()
        return
    with fresh_database("postgresql", Path()) as url:
        engine = create_engine(url)
        yield engine
        engine.dispose()


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
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead")
    args = parser.parse_args()
    with database(args.sqlite) as engine:
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
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
