"""The shipped JSON Schemas: equal to the shared contract where it is present, and printed by `counterpitch schema`."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from counterpitch import schemas
from counterpitch.cli import app
from tests.conftest import SHARED


@pytest.mark.parametrize("name", schemas.NAMES)
def test_when_the_shared_schemas_are_present_then_the_shipped_ones_equal_them(name: str) -> None:
    shared = SHARED / "schemas" / f"{name}.schema.json"
    if not shared.is_file():
        pytest.skip("../shared/schemas is not beside this checkout")
    assert json.loads(schemas.text(name)) == json.loads(shared.read_text("utf-8"))


@pytest.mark.parametrize("name", schemas.NAMES)
def test_when_a_schema_is_printed_then_it_is_a_valid_draft_2020_12_schema(name: str) -> None:
    result = CliRunner().invoke(app, ["schema", name])
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    Draft202012Validator.check_schema(printed)
    assert printed == schemas.load(name)


def test_when_an_unknown_schema_is_asked_for_then_the_error_names_the_choices() -> None:
    result = CliRunner().invoke(app, ["schema", "persona"])
    assert result.exit_code == 2
    assert "approach, assessment, profile" in result.stderr
