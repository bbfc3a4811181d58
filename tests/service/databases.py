"""Fresh databases for service tests: a SQLite file, or a new PostgreSQL database on the server named by
COUNTERPITCH_TEST_PG_URL (created per use, dropped when the test session ends). Without that variable the
PostgreSQL cases skip, except under CI, where they fail.
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
    """Hands out empty databases and remembers the PostgreSQL ones, to drop them at the end."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.created: list[str] = []

    def new(self, backend: str) -> str:
        if backend == "sqlite":
            path = self.tmp / f"db-{uuid.uuid4().hex[:10]}" / "counterpitch.db"
            return f"sqlite:///{path}"
        admin = pg_admin_url()
        name = f"cp_test_{uuid.uuid4().hex[:12]}"
        with _autocommit(admin) as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return make_url(admin).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if not self.created:
            return
        with _autocommit(pg_admin_url()) as conn:
            for name in self.created:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def _autocommit(url: str) -> Iterator[sa.Connection]:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()
