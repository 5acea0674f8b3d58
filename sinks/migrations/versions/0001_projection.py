"""The projection: register lines, persons, audit, notifications, Dimona mutations, offsets.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "register_lines",
        sa.Column("tenant", sa.String(10), primary_key=True),
        sa.Column("insz", sa.String(32), primary_key=True),
        sa.Column("type_dossier", sa.BigInteger, primary_key=True),
        sa.Column("begin", sa.Date, primary_key=True),
        sa.Column("end", sa.Date, nullable=True),
    )
    op.create_index("ix_register_lines_insz", "register_lines", ["insz"])
    op.create_table(
        "persons",
        sa.Column("insz", sa.String(32), primary_key=True),
        sa.Column("last_name", sa.String(120), nullable=False),
        sa.Column("first_names", sa.String(120), nullable=False),
        sa.Column("birth_date", sa.String(10), nullable=False),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("birth_place", sa.String(100)),
        sa.Column("address", sa.String(250)),
        sa.Column("nationality", sa.String(100)),
        sa.Column("death_date", sa.Date),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("time", sa.DateTime, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("last_name_key", sa.String(64)),
        sa.Column("first_name_key", sa.String(64)),
    )
    op.create_index("ix_persons_last_name_key", "persons", ["last_name_key"])
    op.create_index("ix_persons_birth_date", "persons", ["birth_date"])
    op.create_table(
        "audit",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("time", sa.DateTime, nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("tenant", sa.String(10), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("reference", sa.String(100)),
        sa.Column("ticket", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("insz", sa.String(32)),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("codes", sa.JSON, nullable=False),
        sa.UniqueConstraint("event_id", name="uq_audit_event_id"),
    )
    op.create_index("ix_audit_tenant_time", "audit", ["tenant", "time"])
    op.create_index("ix_audit_tenant_day", "audit", ["tenant", "day"])
    for name in ("notifications", "dimona_mutations"):
        op.create_table(
            name,
            sa.Column("id", _ID, primary_key=True, autoincrement=True),
            sa.Column("event_id", sa.String(64), nullable=False),
            sa.Column("tenant", sa.String(10), nullable=False),
            sa.Column("insz", sa.String(32), nullable=False),
            sa.Column("kind", sa.String(32), nullable=False),
            sa.Column("payload", sa.JSON, nullable=False),
            sa.Column("time", sa.DateTime, nullable=False),
            sa.Column("day", sa.String(10), nullable=False),
            sa.UniqueConstraint("event_id", name=f"uq_{name}_event_id"),
        )
        op.create_index(f"ix_{name}_tenant_day", name, ["tenant", "day", "id"])
    op.create_table(
        "sink_offsets",
        sa.Column("consumer", sa.String(64), primary_key=True),
        sa.Column("topic", sa.String(255), primary_key=True),
        sa.Column("partition", sa.Integer, primary_key=True),
        sa.Column("next_offset", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for name in (
        "sink_offsets",
        "dimona_mutations",
        "notifications",
        "audit",
        "persons",
        "register_lines",
    ):
        op.drop_table(name)
