"""The verdict never contradicts its own evidence, on every casebook the project has.

Over the dev casebook, the invented training set and examples/:
- no assessment shows a high-severity indicator finding under a low band;
- removing any indicator's findings never raises the score or the band;
- adding a safeguard never raises the score or the band.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counterpitch.engine import Engine
from counterpitch.model import Approach, Evidence, Finding
from counterpitch.scoring.rules import BAND_RANK, INDICATOR_FAMILIES, family
from counterpitch.training import training_cases

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "approaches.jsonl"


def every_case(casebook: Path | None) -> list[Approach]:
    paths = [EXAMPLES] + ([casebook] if casebook is not None else [])
    cases = list(training_cases())
    for path in paths:
        cases += [Approach.model_validate(json.loads(x)) for x in path.read_text("utf-8").splitlines() if x.strip()]
    return cases


@pytest.fixture(scope="module")
def cases(casebook: Path) -> list[Approach]:
    return every_case(casebook)


def test_when_a_high_severity_indicator_is_shown_then_the_band_is_not_low(
    engine: Engine, cases: list[Approach]
) -> None:
    wrong = []
    for a in cases:
        result = engine.assess(a)
        shown = [
            f.detector for f in result.findings if f.severity == "high" and family(f.detector) in INDICATOR_FAMILIES
        ]
        if shown and result.band == "low":
            wrong.append((a.id, shown))
    assert wrong == []


def test_when_an_indicator_is_removed_then_score_and_band_never_rise(engine: Engine, cases: list[Approach]) -> None:
    scorer = engine.scorer
    rises = []
    checked = 0
    for a in cases:
        found = engine.findings(a)
        score, band, _, _ = scorer.score_only(found)
        for detector in {f.detector for f in found if family(f.detector) in INDICATOR_FAMILIES | {"semantic"}}:
            rest = [f for f in found if f.detector != detector]
            less, less_band, _, _ = scorer.score_only(rest)
            checked += 1
            if less > score + 1e-9 or BAND_RANK[less_band] > BAND_RANK[band]:
                rises.append((a.id, detector, score, less))
    assert checked > 500  # the test looked at many removals, not a handful
    assert rises == []


SAFEGUARDS = ["safeguard.public_only", "safeguard.open_process", "safeguard.employer_consent"]


def test_when_a_safeguard_is_added_then_score_and_band_never_rise(engine: Engine, cases: list[Approach]) -> None:
    scorer = engine.scorer
    rises = []
    for a in cases:
        found = engine.findings(a)
        score, band, _, _ = scorer.score_only(found)
        for guard in SAFEGUARDS:
            extra = Finding(
                detector=guard, title=guard, severity="info", evidence=(Evidence(field="text"),), explanation="x"
            )
            more, more_band, _, _ = scorer.score_only([*found, extra])
            if more > score + 1e-9 or BAND_RANK[more_band] > BAND_RANK[band]:
                rises.append((a.id, guard, score, more))
    assert rises == []
