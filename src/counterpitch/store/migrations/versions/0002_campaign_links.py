"""Campaign linking: campaign sizes and merges, each link key's kind and label, and hot-key statistics.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 03:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reports", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_campaigns_merged_into_campaigns"), "campaigns", ["merged_into"], ["id"]
        )
    with op.batch_alter_table("link_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=24), server_default="", nullable=False))
        batch_op.add_column(sa.Column("label", sa.String(length=255), nullable=True))
    op.create_table(
        "link_key_stats",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("senders", sa.Text(), nullable=False),
        sa.Column("hot", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_link_key_stats")),
    )


def downgrade() -> None:
    op.drop_table("link_key_stats")
    with op.batch_alter_table("link_keys", schema=None) as batch_op:
        batch_op.drop_column("label")
        batch_op.drop_column("kind")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_campaigns_merged_into_campaigns"), type_="foreignkey")
        batch_op.drop_column("merged_into")
        batch_op.drop_column("reports")
