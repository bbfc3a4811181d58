"""The TAXII 2.1 collections: each STIX object version a collection holds, and the status of each request that
added objects.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 00:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "taxii_objects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection", sa.String(length=64), nullable=False),
        sa.Column("stix_id", sa.String(length=120), nullable=False),
        sa.Column("stix_type", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("spec_version", sa.String(length=8), nullable=False),
        sa.Column("date_added", sa.DateTime(timezone=True), nullable=False),
        sa.Column("object_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxii_objects")),
        sa.UniqueConstraint(
            "collection", "stix_id", "version", name=op.f("uq_taxii_objects_collection_stix_id_version")
        ),
    )
    op.create_index("ix_taxii_objects_collection_date_added", "taxii_objects", ["collection", "date_added"])
    op.create_index("ix_taxii_objects_collection_stix_id", "taxii_objects", ["collection", "stix_id"])
    op.create_table(
        "taxii_statuses",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("collection", sa.String(length=64), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("successes", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("detail_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"], name=op.f("fk_taxii_statuses_requested_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxii_statuses")),
    )


def downgrade() -> None:
    op.drop_table("taxii_statuses")
    op.drop_index("ix_taxii_objects_collection_stix_id", table_name="taxii_objects")
    op.drop_index("ix_taxii_objects_collection_date_added", table_name="taxii_objects")
    op.drop_table("taxii_objects")
