"""The product's accuracy targets, measured by running the code (never typed in).

Cross-validated on the dev casebook: each fold is scored by a wording model and scorer fitted without it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counterpitch.engine import Engine
from counterpitch.evaluation import Report, Scored, cross_validate, evaluate
from counterpitch.model import Approach


def load(path: Path) -> list[Approach]:
    return [Approach.model_validate(json.loads(x)) for x in path.read_text().splitlines() if x.strip()]


@pytest.fixture(scope="module")
def cv_report(engine: Engine, casebook: Path) -> Report:
    return cross_validate(engine, load(casebook), k=10)


def test_cross_validated_targets_on_dev_casebook(cv_report: Report) -> None:
    s = cv_report.summary()
    assert s["recall_medium_or_high"] >= 0.95
    assert s["false_positive_rate_high"] <= 0.02
    assert s["false_positive_rate_medium_or_high"] <= 0.15
    assert s["roc_auc"] >= 0.97


def test_shipped_model_never_saw_the_casebook_and_meets_targets(engine: Engine, casebook: Path) -> None:
    s = evaluate(engine, load(casebook)).summary()
    assert s["recall_medium_or_high"] >= 0.95
    assert s["false_positive_rate_medium_or_high"] <= 0.15
    assert s["roc_auc"] >= 0.97


def test_metrics_are_computed_from_cases() -> None:
    r = Report(
        cases=[
            Scored("a", 1, 90, "high"),
            Scored("b", 1, 50, "medium"),
            Scored("c", 0, 60, "medium"),
            Scored("d", 0, 10, "low"),
        ]
    )
    s = r.summary()
    assert s["recall_medium_or_high"] == 1.0
    assert s["recall_high"] == 0.5
    assert s["false_positive_rate_medium_or_high"] == 0.5
    assert s["precision_medium_or_high"] == pytest.approx(2 / 3, abs=1e-3)
    assert s["roc_auc"] == 0.75
    assert r.confusion() == {
        "hostile": {"low": 0, "medium": 1, "high": 1},
        "benign": {"low": 1, "medium": 1, "high": 0},
    }
