"""The blind paraphrase sets (casebook/paraphrase/): structure only, never scores (bench/paraphrase.py measures)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from counterpitch.model import Approach
from counterpitch.semantic.meaning import FAMILIES as MEANING_FAMILIES
from tests.conftest import SCHEMAS

SETS = Path(__file__).resolve().parents[1] / "casebook" / "paraphrase"
FAMILIES = MEANING_FAMILIES  # the fourteen lure families, as the meaning layer reads them
STYLES = {
    "plain",
    "formal_email",
    "terse_chat",
    "non_native",
    "typos",
    "long_buried",
    "indirect",
    "money_words",
    "euphemism",
    "thread",
    "reported",
}


def records(family: str) -> list[dict[str, Any]]:
    lines = (SETS / f"{family}.jsonl").read_text("utf-8").splitlines()
    return [json.loads(x) for x in lines if x.strip()]


def test_every_family_has_a_file_and_no_other_file_is_there() -> None:
    assert sorted(p.stem for p in SETS.glob("*.jsonl")) == sorted(FAMILIES)


@pytest.mark.parametrize("family", FAMILIES)
def test_each_record_is_an_approach_with_its_family_label_and_style(family: str) -> None:
    schema = json.loads((SCHEMAS / "approach.schema.json").read_text("utf-8"))
    validator = Draft202012Validator(schema)
    for rec in records(family):
        validator.validate(rec)
        approach = Approach.model_validate(rec)
        assert approach.label in ("hostile", "benign"), rec["id"]
        assert approach.text.strip(), rec["id"]
        assert rec["family"] == f"lure.{family}", rec["id"]
        assert rec["style"] in STYLES, rec["id"]
        if rec["style"] == "thread":
            assert approach.thread and approach.thread[-1].from_ == "sender", rec["id"]


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_has_enough_hostile_paraphrases_and_hard_negatives(family: str) -> None:
    labels = Counter(r["label"] for r in records(family))
    assert labels["hostile"] >= 25
    assert labels["benign"] >= 10


def test_ids_are_unique_across_files() -> None:
    ids = Counter(r["id"] for f in FAMILIES for r in records(f))
    assert [i for i, n in ids.items() if n > 1] == []


def test_no_text_is_repeated_across_files() -> None:
    texts = Counter(r["text"] for f in FAMILIES for r in records(f))
    assert [t for t, n in texts.items() if n > 1] == []
