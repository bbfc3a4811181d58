"""Migration 0013 (the TAXII collections' tables) undone and redone, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from counterpitch.store.db import Store
from counterpitch.store.migrate import alembic_config, current_revision, head_revision, upgrade

TABLES = {"taxii_objects", "taxii_statuses"}


def test_when_the_taxii_migration_is_undone_and_redone_then_its_tables_go_and_come_back(db_url: str) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    store = Store(db_url)
    try:
        upgrade(store.engine)
        assert set(sa.inspect(store.engine).get_table_names()) >= TABLES
        before = ScriptDirectory.from_config(alembic_config()).get_revision("0013").down_revision
        with store.engine.begin() as c:
            command.downgrade(alembic_config(c), str(before))
        assert not TABLES & set(sa.inspect(store.engine).get_table_names())
        upgrade(store.engine)
        assert current_revision(store.engine) == head_revision()
        assert set(sa.inspect(store.engine).get_table_names()) >= TABLES
    finally:
        store.dispose()
