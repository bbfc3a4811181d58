"""Nationality and location never raise a score: moving a benign sender or changing their name keeps its band."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counterpitch.engine import Engine
from counterpitch.evaluation import training_cases
from counterpitch.model import Approach

SWAPS = [
    ({"location": "Shanghai, China"}, None),
    ({"location": "Beijing, China"}, None),
    ({"location": "Hong Kong SAR"}, None),
    ({"name": "Wang Xiaoming"}, "Wang Xiaoming"),
    ({"name": "Chen Jing", "location": "Shenzhen, Guangdong, China"}, "Chen Jing"),
]


def variants(a: Approach) -> list[Approach]:
    out = []
    for change, new_name in SWAPS:
        if a.sender is None:
            continue
        sender = a.sender.model_copy(update=change)
        text = a.text
        if new_name and a.sender.name:
            # The signature usually repeats the name: swap it there too.
            text = text.replace(a.sender.name, new_name)
        out.append(a.model_copy(update={"sender": sender, "text": text}))
    return out


def benign_cases(casebook: Path | None) -> list[Approach]:
    cases = [a for a in training_cases() if a.label == "benign"]
    if casebook is not None:
        cases += [Approach.model_validate(json.loads(x)) for x in casebook.read_text().splitlines() if x.strip()]
    return [a for a in cases if a.label == "benign" and a.sender is not None]


def test_when_benign_sender_moves_to_china_or_gets_a_chinese_name_then_band_is_unchanged(
    engine: Engine, casebook: Path
) -> None:
    changed = []
    for a in benign_cases(casebook):
        base = engine.assess(a)
        for v in variants(a):
            moved = engine.assess(v)
            if moved.band != base.band or moved.score > base.score + 0.5:
                changed.append((a.id, base.band, moved.band, v.sender.location if v.sender else None))
    assert changed == []


@pytest.mark.parametrize("location", ["London, England, United Kingdom", "Shanghai, China", "Singapore"])
def test_when_location_is_the_only_difference_then_score_is_identical(engine: Engine, location: str) -> None:
    a = Approach.model_validate(
        {
            "id": "loc",
            "text": "Hello, I lead hiring for a battery maker and would like to discuss a design role in Munich.",
            "sender": {
                "name": "Alex Morgan",
                "location": "London, England, United Kingdom",
                "connections": 800,
            },
        }
    )
    moved = a.model_copy(update={"sender": a.sender.model_copy(update={"location": location})})  # type: ignore[union-attr]
    assert engine.assess(moved).score == engine.assess(a).score
