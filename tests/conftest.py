"""Shared fixtures. Test data here is invented by the project; the casebook (../shared) is read where present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from counterpitch.engine import Engine

#: The shared folder beside the checkout; COUNTERPITCH_TEST_SHARED points elsewhere (CI sets it to a missing
#: folder for a second run, to prove that a clone standing alone passes with those tests skipped).
SHARED = Path(os.environ.get("COUNTERPITCH_TEST_SHARED") or Path(__file__).resolve().parents[2] / "shared")
CASEBOOK = SHARED / "casebook"
#: The JSON Schemas as the package ships them (a test keeps them equal to ../shared/schemas where present).
SCHEMAS = Path(__file__).resolve().parents[1] / "src" / "counterpitch" / "data" / "schemas"


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.default()


@pytest.fixture(scope="session")
def rules_engine() -> Engine:
    return Engine.default(semantic=False)


@pytest.fixture(scope="session")
def casebook() -> Path:
    path = CASEBOOK / "approaches_dev.jsonl"
    if not path.is_file():
        pytest.skip("the shared dev casebook is not beside this checkout")
    return path
