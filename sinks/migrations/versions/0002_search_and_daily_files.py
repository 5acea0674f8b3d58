"""The phonetic keys of the persons already projected, and the daily files' ledger.

The `persons` key columns and their indexes came with 0001, but the sink left the keys empty until
it stored `sinks.search.person_keys` with each identity: this fills the rows written before. The
`daily_files` table numbers the daily files per (tenant, flow) (`sinks.daily.ledger`).

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sinks.search import fill_missing_keys

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_files",
        sa.Column("tenant", sa.String(10), nullable=False),
        sa.Column("flow", sa.String(20), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("data_file", sa.String(80), nullable=False),
        sa.Column("record_count", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "flow", "day"),
        sa.UniqueConstraint("tenant", "flow", "sequence", name="daily_files_sequence"),
    )
    bind = op.get_bind()
    fill_missing_keys(bind, sa.Table("persons", sa.MetaData(), autoload_with=bind))


def downgrade() -> None:
    op.drop_table("daily_files")
