"""Alert throttles: a campaign alert updated in place (its revision, when, whether an update awaits delivery),
and the reporter whose report raised an alert, for the per-reporter hourly limit.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added in place (no batch copy), as 0008 does for `reports`.
    op.add_column("alerts", sa.Column("reporter_id", sa.Integer(), nullable=True))
    op.add_column("alerts", sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("alerts", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("alerts", sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("alerts", sa.Column("update_pending", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index(op.f("ix_alerts_reporter_id_created_at"), "alerts", ["reporter_id", "created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_alerts_reporter_id_created_at"), table_name="alerts")
    with op.batch_alter_table("alerts") as batch:
        for column in ("update_pending", "notified_at", "updated_at", "revision", "reporter_id"):
            batch.drop_column(column)
