"""Per-user upload limits (`upload_slots`) and the readers' warnings kept with a report.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 16:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "upload_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_upload_slots_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload_slots")),
    )
    op.create_index(op.f("ix_upload_slots_user_id"), "upload_slots", ["user_id"])
    op.create_index(op.f("ix_upload_slots_started_at"), "upload_slots", ["started_at"])
    # Added in place (no batch copy): copying `reports` on SQLite would cascade to its notes and link keys.
    op.add_column("reports", sa.Column("warnings_json", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("warnings_json")
    op.drop_index(op.f("ix_upload_slots_started_at"), table_name="upload_slots")
    op.drop_index(op.f("ix_upload_slots_user_id"), table_name="upload_slots")
    op.drop_table("upload_slots")
