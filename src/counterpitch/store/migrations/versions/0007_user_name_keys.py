"""User names found however they are typed: a case-folded key per account, unique (store/names.py).

Existing accounts get the key of their name. Should two of them share one (`Adam` and `adam`, allowed before),
the older keeps it and the others get theirs with `#id` after it; they still sign in by their exact name, which
is looked up first. The key is computed here as store/names.key computes it today, so that this revision does
the same thing whenever it runs. The column is added in place: copying `users` on SQLite would cascade to every
token and session (foreign keys are on).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 16:00:00
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(length=480), server_default="", nullable=False))
    connection = op.get_bind()
    taken: set[str] = set()
    for user_id, name in connection.execute(sa.text("SELECT id, name FROM users ORDER BY id")).all():
        key = _key(name)
        if key in taken:
            key = f"{key}#{user_id}"
        taken.add(key)
        connection.execute(sa.text("UPDATE users SET name_key = :k WHERE id = :i"), {"k": key, "i": user_id})
    op.create_index("ix_users_name_key", "users", ["name_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_users_name_key", table_name="users")
    with op.batch_alter_table("users", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("name_key")
