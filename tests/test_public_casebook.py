"""The public casebook is well formed: every record is an Approach, cites its source and keeps recipients anonymous.

Scores are not asserted here; they belong to bench/public_casebook.py, which measures the engine on this set.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from counterpitch.ingest.records import RecordError, read_records
from counterpitch.model import Approach
from tests.conftest import SCHEMAS

CASEBOOK = Path(__file__).resolve().parents[1] / "casebook" / "public" / "approaches.jsonl"
PROVENANCE = ("source", "source_url", "date", "form", "actor")
#: What could identify a recipient; a record keeps the role (headline) only.
IDENTIFYING = ("name", "profile_url", "email", "photo")


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CASEBOOK.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_record_is_an_approach() -> None:
    with CASEBOOK.open("rb") as stream:
        read = list(read_records(stream, Approach, str(CASEBOOK)))
    errors = [r for r in read if isinstance(r, RecordError)]
    assert not errors, [str(e) for e in errors]
    assert len(read) >= 60


def test_every_record_matches_the_shared_schema(records: list[dict[str, Any]]) -> None:
    path = SCHEMAS / "approach.schema.json"
    if not path.is_file():
        pytest.skip("the shared schemas are not beside this checkout")
    validator = Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))
    problems = {r["id"]: [e.message for e in validator.iter_errors(r)] for r in records}
    assert not {k: v for k, v in problems.items() if v}


def test_ids_are_unique(records: list[dict[str, Any]]) -> None:
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))


def test_every_record_has_a_label_and_both_labels_are_represented(records: list[dict[str, Any]]) -> None:
    labels = [r.get("label") for r in records]
    assert set(labels) == {"hostile", "benign"}
    assert labels.count("hostile") >= 40 and labels.count("benign") >= 20


@pytest.mark.parametrize("field", PROVENANCE)
def test_every_record_names_its_provenance(records: list[dict[str, Any]], field: str) -> None:
    missing = [r["id"] for r in records if not isinstance(r.get(field), str) or not r[field].strip()]
    assert not missing, f"{field} missing in {missing}"


def test_forms_and_urls_are_of_the_documented_kinds(records: list[dict[str, Any]]) -> None:
    assert {r["form"] for r in records} <= {"verbatim", "described"}
    assert all(r["source_url"].startswith(("https://", "http://")) for r in records)


def test_no_recipient_is_identified(records: list[dict[str, Any]]) -> None:
    leaks = [(r["id"], k) for r in records for k in IDENTIFYING if k in (r.get("recipient") or {})]
    assert not leaks


def test_thread_turns_name_their_side_and_every_text_has_words(records: list[dict[str, Any]]) -> None:
    for r in records:
        for turn in r.get("thread", []):
            assert turn["from"] in ("sender", "recipient") and turn["text"].strip(), r["id"]
        assert r["text"].strip(), r["id"]
