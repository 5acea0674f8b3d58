"""Phonetic person search on the read side: keys, candidates from the `persons` projection, ranking.

The entry points are `person_keys` (what the projection stores beside an identity),
`search_indexes` (the indexes the search needs on `persons`), `find_candidates` (the query of
`raas search`), `bis_duplicate_candidates` (the check before `raas bis create`) and
`fill_missing_keys` (keys for rows written before the search existed).
"""

from sinks.search.backfill import fill_missing_keys
from sinks.search.keys import first_name_key, last_name_key, person_keys
from sinks.search.query import (
    Hit,
    SearchQuery,
    bis_duplicate_candidates,
    find_candidates,
    search_indexes,
)

__all__ = [
    "Hit",
    "SearchQuery",
    "bis_duplicate_candidates",
    "fill_missing_keys",
    "find_candidates",
    "first_name_key",
    "last_name_key",
    "person_keys",
    "search_indexes",
]
