"""Nationality and location never raise a score: moving a benign sender, naming another country in the text or
changing anyone's name keeps its band, and the wording model does not move at all (decision 0038)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counterpitch.counterfactual import Swap, changes, renamed, summary, swaps
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
    """The approach with its sender moved or renamed (in the profile, and wherever the text uses the name, as
    counterfactual.renamed does it: titles kept, an organisation's name left alone)."""
    out = []
    for change, new_name in SWAPS:
        if a.sender is None:
            continue
        moved = a.model_copy(
            update={"sender": a.sender.model_copy(update={k: v for k, v in change.items() if k != "name"})}
        )
        out.append(renamed(moved, "sender", new_name) if new_name else moved)
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


# --- counterfactual swaps (issue 11): places, nationalities and names in the text as much as in the profile ---

COUNTERFACTUALS = swaps()


def swap_cases(casebook: Path | None) -> list[Approach]:
    if casebook is None:
        return [a for a in training_cases() if a.label == "benign"]
    return [Approach.model_validate(json.loads(x)) for x in casebook.read_text().splitlines() if x.strip()]


def assert_blind(engine: Engine, cases: list[Approach], swap: Swap) -> None:
    found = changes(engine, [a for a in cases if a.label == "benign"], swap)
    assert found, f"{swap.name} applied to no case"
    s = summary(found)
    assert s["band_changes"] == [], s["band_changes"]
    assert float(s["mean_abs_change"]) < 1.0 and float(s["max_abs_change"]) < 5.0, s  # type: ignore[arg-type]
    # The wording model itself does not move at all: it never sees the swapped words.
    assert float(s["max_abs_wording_log_odds_change"]) < 1e-6, s  # type: ignore[arg-type]


@pytest.mark.parametrize("swap", COUNTERFACTUALS, ids=lambda s: s.name)
def test_when_places_nationalities_or_names_are_swapped_in_training_cases_then_verdicts_hold(
    engine: Engine, swap: Swap
) -> None:
    assert_blind(engine, swap_cases(None), swap)


@pytest.mark.parametrize("swap", COUNTERFACTUALS, ids=lambda s: s.name)
def test_when_places_nationalities_or_names_are_swapped_in_dev_cases_then_verdicts_hold(
    engine: Engine, casebook: Path, swap: Swap
) -> None:
    assert_blind(engine, swap_cases(casebook), swap)


@pytest.mark.parametrize(
    "template",
    [
        "Our client in {place} would pay well for short notes on the committee's thinking.",
        "I represent {demonym} investors who value a discreet view before anything is public.",
        "My principal, a {demonym} fund, cannot be named at this stage.",
        "We are based in {place} and cover all travel; keep it between us.",
    ],
)
def test_when_only_the_place_or_nationality_differs_then_every_rule_finds_the_same(
    rules_engine: Engine, template: str
) -> None:
    seen = set()
    for place, demonym in [("Germany", "German"), ("China", "Chinese"), ("Russia", "Russian"), ("Asia", "Asian")]:
        a = Approach.model_validate({"id": "p", "text": template.format(place=place, demonym=demonym)})
        seen.add(tuple(sorted((f.detector, round(f.strength, 6)) for f in rules_engine.findings(a))))
    assert len(seen) == 1, seen
