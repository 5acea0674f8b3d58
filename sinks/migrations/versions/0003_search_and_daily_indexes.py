"""Two indexes in the order their readers ask: the search's, and the daily files'.

The search's birth-date index takes the last-name key as its second column.
`find_candidates` asks for a birth-date window and a key range. With both in one index, the key
is checked inside the index, so a search over a whole year (an incomplete birth date) reads the
rows of its key's initial only: over 1M persons a quarter of the pages the birth-date index alone
needed, and a full date's search 0.15 ms instead of 1.5 (bench/search.py).

The delivered flows' (tenant, day) index ends in (time, event_id) instead of id: a daily file lists
its day's records in that order, and reads them from the index without sorting a million rows
(bench/daily.py). It serves the day counts of `raas usage` as before.
Revision ID: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


_FLOWS = ("notifications", "dimona_mutations")


def upgrade() -> None:
    op.create_index("ix_persons_birth_date_key", "persons", ["birth_date", "last_name_key"])
    op.drop_index("ix_persons_birth_date", "persons")
    for name in _FLOWS:
        op.drop_index(f"ix_{name}_tenant_day", name)
        op.create_index(f"ix_{name}_tenant_day", name, ["tenant", "day", "time", "event_id"])


def downgrade() -> None:
    op.create_index("ix_persons_birth_date", "persons", ["birth_date"])
    op.drop_index("ix_persons_birth_date_key", "persons")
    for name in _FLOWS:
        op.drop_index(f"ix_{name}_tenant_day", name)
        op.create_index(f"ix_{name}_tenant_day", name, ["tenant", "day", "id"])
