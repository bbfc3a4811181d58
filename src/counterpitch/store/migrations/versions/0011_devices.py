"""Device removal tracking: the sites of the device audit with their removal deadlines, each device an imported
audit found (its maker, whether it is covered, the evidence) with its status, and the history of that status.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 21:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "device_sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("deadline_by", sa.Integer(), nullable=True),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imports", sa.Integer(), nullable=False, server_default="0"),
        sa.ForeignKeyConstraint(["deadline_by"], ["users.id"], name=op.f("fk_device_sites_deadline_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_sites")),
        sa.UniqueConstraint("name", name=op.f("uq_device_sites_name")),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("asset", sa.String(length=255), nullable=False, server_default=""),
        sa.Column("ip", sa.String(length=64), nullable=False, server_default=""),
        sa.Column("mac", sa.String(length=32), nullable=False, server_default=""),
        sa.Column("vendor", sa.String(length=255), nullable=False, server_default=""),
        sa.Column("brand", sa.String(length=255), nullable=False, server_default=""),
        sa.Column("covered", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("basis", sa.String(length=64), nullable=False, server_default=""),
        sa.Column("evidence_json", sa.Text(), nullable=False, server_default="{}"),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False, server_default="found"),
        sa.Column("status_by", sa.Integer(), nullable=True),
        sa.Column("status_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('found', 'scheduled', 'removed', 'exempted')", name=op.f("ck_devices_status")),
        sa.ForeignKeyConstraint(["site_id"], ["device_sites.id"], name=op.f("fk_devices_site_id_device_sites")),
        sa.ForeignKeyConstraint(["status_by"], ["users.id"], name=op.f("fk_devices_status_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
    )
    op.create_index("ix_devices_site_id_mac", "devices", ["site_id", "mac"])
    op.create_index("ix_devices_site_id_ip", "devices", ["site_id", "ip"])
    op.create_index("ix_devices_site_id_asset", "devices", ["site_id", "asset"])
    op.create_index("ix_devices_site_id_status", "devices", ["site_id", "status"])
    op.create_table(
        "device_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("old_status", sa.String(length=16), nullable=True),
        sa.Column("new_status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_device_status_changes_actor_id_users")),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name=op.f("fk_device_status_changes_device_id_devices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_status_changes")),
    )
    op.create_index(op.f("ix_device_status_changes_device_id"), "device_status_changes", ["device_id"])
    _history_append_only()


APPEND_ONLY = "device_status_changes is append-only"


def _history_append_only() -> None:
    """A device's status history is kept as the audit log is (0001): the database refuses changes to it."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION device_status_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER device_status_changes_no_change BEFORE UPDATE OR DELETE ON device_status_changes "
            "FOR EACH ROW EXECUTE FUNCTION device_status_changes_append_only()"
        )
        op.execute(
            "CREATE TRIGGER device_status_changes_no_truncate BEFORE TRUNCATE ON device_status_changes "
            "FOR EACH STATEMENT EXECUTE FUNCTION device_status_changes_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER device_status_changes_no_{verb.lower()} BEFORE {verb} ON device_status_changes "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )


def _drop_history_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER device_status_changes_no_change ON device_status_changes")
        op.execute("DROP TRIGGER device_status_changes_no_truncate ON device_status_changes")
        op.execute("DROP FUNCTION device_status_changes_append_only()")
        return
    op.execute("DROP TRIGGER device_status_changes_no_update")
    op.execute("DROP TRIGGER device_status_changes_no_delete")


def downgrade() -> None:
    _drop_history_triggers()
    op.drop_index(op.f("ix_device_status_changes_device_id"), table_name="device_status_changes")
    op.drop_table("device_status_changes")
    for name in ("status", "asset", "ip", "mac"):
        op.drop_index(f"ix_devices_site_id_{name}", table_name="devices")
    op.drop_table("devices")
    op.drop_table("device_sites")
