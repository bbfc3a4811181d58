"""Bring a database to the newest schema with Alembic, from code: no alembic.ini, works when installed.

The migration scripts live inside the package (`counterpitch.store:migrations`). Several service processes may
start together: on PostgreSQL an advisory lock lets one migrate while the others wait; on SQLite the
migration's own write transaction serialises them.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

SCRIPT_LOCATION = "counterpitch.store:migrations"
#: An arbitrary fixed key for pg_advisory_lock, so concurrent start-ups migrate one at a time.
_PG_LOCK_KEY = 0x636F756E746572


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration not yet applied (idempotent)."""
    with engine.begin() as connection:
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        command.upgrade(alembic_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
