"""Fresh databases for service tests: a SQLite file, or on the PostgreSQL server named by
COUNTERPITCH_TEST_PG_URL a new schema in a database made for this test session (dropped when it ends).
Each use gets its own schema through the connection's search_path, which is much cheaper than a database
per test. Without that variable the PostgreSQL cases skip, except under CI, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

BACKENDS = ("sqlite", "postgresql")


def pg_admin_url() -> str:
    url = os.environ.get("COUNTERPITCH_TEST_PG_URL", "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("COUNTERPITCH_TEST_PG_URL is not set: the PostgreSQL tests must run in CI")
        pytest.skip("COUNTERPITCH_TEST_PG_URL is not set (no PostgreSQL server for this run)")
    return url


class Databases:
    """Hands out empty databases; the PostgreSQL one is dropped by `drop_all` at the end of the session."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.pg_database: str | None = None

    def new(self, backend: str) -> str:
        if backend == "sqlite":
            path = self.tmp / f"db-{uuid.uuid4().hex[:10]}" / "counterpitch.db"
            return f"sqlite:///{path}"
        admin = pg_admin_url()
        if self.pg_database is None:
            name = f"cp_test_{uuid.uuid4().hex[:12]}"
            with _autocommit(admin) as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            self.pg_database = name
        url = make_url(admin).set(database=self.pg_database)
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with _autocommit(url.render_as_string(hide_password=False)) as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if self.pg_database is None:
            return
        with _autocommit(pg_admin_url()) as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.pg_database}" WITH (FORCE)'))


@contextmanager
def _autocommit(url: str) -> Iterator[sa.Connection]:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


@contextmanager
def fresh_pg_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty database on the test server, dropped when the block ends (skipped without a
    server, failed under CI)."""
    admin = pg_admin_url()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with _autocommit(admin) as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with _autocommit(admin) as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def migrated_engine(backend: str, tmp: Path, prefix: str) -> Iterator[sa.Engine]:
    """A migrated store's engine (for `yield from` in a fixture): SQLite in `tmp`, or a fresh PostgreSQL
    database named from `prefix` and dropped afterwards."""
    from counterpitch.store.db import make_engine
    from counterpitch.store.migrate import upgrade

    url = None if backend == "sqlite" else fresh_pg_database(prefix)
    with url if url is not None else _nothing() as pg:
        eng = make_engine(pg if pg is not None else f"sqlite:///{tmp / 'store.db'}")
        try:
            upgrade(eng)
            yield eng
        finally:
            eng.dispose()


@contextmanager
def _nothing() -> Iterator[None]:
    yield None
