"""Accounts keep the person's own title, team and organisation, so their reports are assessed for that role.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("title", "team", "organisation")


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=200), nullable=True))


def downgrade() -> None:
    # Never copy the table on SQLite: dropping the old `users` would cascade to every API token (foreign keys
    # are on). SQLite 3.35+ drops a plain column in place.
    with op.batch_alter_table("users", schema=None, recreate="never") as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
