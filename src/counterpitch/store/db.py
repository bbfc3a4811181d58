"""Connecting to the store: one SQLAlchemy engine per process, tuned for durability, and sessions on it.

SQLite is the default for a single machine. Every connection gets WAL (readers never wait for the writer),
`synchronous=FULL` (a commit is on disk before the service answers 201, even across a power cut),
`busy_timeout` (writers from several threads or processes queue instead of failing) and foreign keys.
Write transactions start with `BEGIN IMMEDIATE`, so one that reads before it writes cannot fail half-way when
another writer got in first. PostgreSQL (`postgresql+psycopg://...`) needs none of this.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

#: How long (ms) a SQLite writer waits for the lock before giving up: generous, since a 201 must never be lost
#: to a transient lock and requests are short.
BUSY_TIMEOUT_MS = 30_000
_IMMEDIATE = "counterpitch_write"


def default_url(data_dir: Path | str | None = None) -> str:
    """`COUNTERPITCH_DATABASE_URL`, else a SQLite file `counterpitch.db` in the data directory."""
    url = os.environ.get("COUNTERPITCH_DATABASE_URL")
    if url:
        return url
    base = Path(data_dir or os.environ.get("COUNTERPITCH_DATA_DIR") or "var")
    return f"sqlite:///{base / 'counterpitch.db'}"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite files get their directory created and the settings above."""
    if not is_sqlite(url):
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
        return create_engine(url, pool_pre_ping=True, **kwargs)
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 20)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (the driver's own implicit BEGIN is always DEFERRED).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        f"busy_timeout={BUSY_TIMEOUT_MS}",
        "foreign_keys=ON",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    immediate = conn.get_execution_options().get(_IMMEDIATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """The engine and its sessions. `read()` and `write()` each give one transaction, committed on success."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sqlite = is_sqlite(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that may write: on SQLite it holds the write lock from its first statement."""
        with self._sessions() as session:
            session.connection(execution_options={_IMMEDIATE: True})
            yield session
            session.commit()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session
            session.commit()

    def dispose(self) -> None:
        self.engine.dispose()
