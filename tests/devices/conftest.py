"""Helpers for the device audit's tests: the tables (loaded once) and the CLI run in-process."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from counterpitch.devices.tables import Tables, default_tables


@pytest.fixture(scope="session")
def tables() -> Tables:
    return default_tables()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
