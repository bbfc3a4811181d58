"""Service test fixtures: every test that takes `world` or `db_url` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from counterpitch.engine import Engine
from counterpitch.store import accounts
from tests.service.databases import BACKENDS, Databases
from tests.service.world import World, make_world


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing() -> Iterator[None]:
    """argon2id at its lowest cost inside this process: these tests check who gets in, not the hash's strength.
    The service itself (and the subprocess servers of the durability and browser tests) keep argon2-cffi's
    defaults."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts, "_hasher", cheap)
        mp.setattr(accounts, "_DUMMY_HASH", cheap.hash("not a password"))
        yield


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("service-db"))
    yield dbs
    dbs.drop_all()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(databases: Databases, backend: str) -> str:
    return databases.new(backend)


@pytest.fixture
def world(db_url: str, tmp_path: Path, engine: Engine) -> Iterator[World]:
    """A fresh organisation per test (users of every role, tokens, one report each for two reporters)."""
    w = make_world(db_url, tmp_path, engine)
    yield w
    w.app.state.service.store.dispose()
