"""Service test fixtures: every test that takes `world` or `db_url` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from counterpitch.engine import Engine
from tests.service.databases import BACKENDS, Databases
from tests.service.world import World, make_world


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
def world(db_url: str, tmp_path: Path, engine: Engine) -> World:
    """A fresh organisation per test (users of every role, tokens, one report each for two reporters)."""
    return make_world(db_url, tmp_path, engine)
