"""What a person sees of their own sessions (the browser and address each signed in from) and when an API token
was last used, with the time its use was last written to the audit log (at most once an hour).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 16:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added in place (no batch copy), as in 0008; sessions from before this show "unknown browser".
    op.add_column("web_sessions", sa.Column("user_agent", sa.String(length=120), nullable=True))
    op.add_column("web_sessions", sa.Column("address", sa.String(length=64), nullable=True))
    op.add_column("api_tokens", sa.Column("use_audited_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("use_audited_at")
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_column("address")
        batch.drop_column("user_agent")
