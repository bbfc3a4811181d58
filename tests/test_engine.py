"""Bulk screening gives exactly the answers of one-by-one screening, whatever the engine remembers or batches.

The cases are the invented training set shipped with the package (src/counterpitch/data/training): the same
senders and recipients recur across batches there, which is what the engine's memory of people serves.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from counterpitch import engine as engine_module
from counterpitch.engine import Engine
from counterpitch.model import Approach


def _training(limit: int = 240, personas: int = 20) -> list[Approach]:
    """Training cases, with their senders reused so that each of a few personas writes to many recipients."""
    text = (resources.files("counterpitch") / "data" / "training" / "approaches_train.jsonl").read_text("utf-8")
    records = [json.loads(line) for line in text.splitlines() if line.strip()][:limit]
    for r in records:
        r.pop("label", None)
        r.pop("notes", None)
    cases = [Approach.model_validate(r) for r in records]
    return [a.model_copy(update={"sender": cases[i % personas].sender}) for i, a in enumerate(cases)]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def test_when_screened_in_batches_then_every_assessment_equals_the_one_by_one(engine: Engine) -> None:
    cases = _training()
    assert len({a.recipient for a in cases}) < len(cases) and len({a.sender for a in cases}) < len(cases)
    one_by_one = [engine.assess(a, meaning="unsure").to_json_dict() for a in cases]
    # Small batches, twice over: later batches meet people the engine already remembers.
    bulk = [a.to_json_dict() for a in engine.assess_many(cases + cases, batch=16)]
    assert bulk == one_by_one + one_by_one


def test_when_memory_of_people_is_full_then_it_is_cleared_and_answers_stay_the_same(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "MEMO_PEOPLE", 3)
    fresh = Engine(engine.registry, engine.context, engine.scorer)
    cases = _training(60)
    bulk = [a.to_json_dict() for a in fresh.assess_many(cases, batch=7)]
    assert len(fresh._memo) <= 3
    assert bulk == [engine.assess(a, meaning="unsure").to_json_dict() for a in cases]


def test_when_the_wording_model_reads_a_batch_then_it_finds_what_it_finds_one_at_a_time(engine: Engine) -> None:
    wording = engine.registry.get("semantic.wording")
    cases = _training(120)
    batch = wording.detect_many(cases, engine.context)
    single = [list(wording.detect(a, engine.context)) for a in cases]
    assert batch == single
    assert any(batch), "some training cases must fire the wording model"
