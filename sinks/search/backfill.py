"""Fill the phonetic keys of `persons` rows that have none (rows written before the search existed).

The projection's sink stores `person_keys(...)` with every identity it upserts; this is for the
rows already there when the key columns were added, run once by a migration or an operator.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, bindparam, select

from sinks.search.keys import person_keys

_BATCH = 1_000


def fill_missing_keys(connection: Connection, persons: Table) -> int:
    """Key every row whose `last_name_key` is NULL, a batch at a time; how many were keyed."""
    c = persons.c
    keyed = 0
    update = (
        persons.update()
        .where(c.insz == bindparam("row_insz"))
        .values(last_name_key=bindparam("lk"), first_name_key=bindparam("fk"))
    )
    while True:
        rows = connection.execute(
            select(c.insz, c.last_name, c.first_names)
            .where(c.last_name_key.is_(None))
            .limit(_BATCH)
        ).all()
        if not rows:
            return keyed
        params = []
        for insz, last_name, first_names in rows:
            keys = person_keys(last_name, first_names or "")
            params.append(
                {"row_insz": insz, "lk": keys["last_name_key"], "fk": keys["first_name_key"]}
            )
        connection.execute(update, params)
        keyed += len(rows)
