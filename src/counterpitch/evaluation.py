"""Measuring the engine on labelled cases: band metrics, ROC AUC, and honest cross-validation.

Detectors are fixed code; only the scorer is learnt. So features are computed once per case, and each
cross-validation fold refits the scorer on everything but that fold (plus the invented training set) and
scores the fold with a model that never saw it. Band thresholds are chosen inside each fit from inner
out-of-fold scores, never from the fold being measured.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

from counterpitch.engine import Engine
from counterpitch.model import Approach, Band
from counterpitch.scoring import Scorer
from counterpitch.scoring.fit import fit_scorer
from counterpitch.scoring.model import features

BANDS: tuple[Band, ...] = ("low", "medium", "high")


@dataclass
class Scored:
    id: str
    label: int
    score: float
    band: Band


@dataclass
class Report:
    cases: list[Scored] = field(default_factory=list)
    method: str = ""

    def _rate(self, label: int, bands: set[str]) -> float:
        group = [c for c in self.cases if c.label == label]
        return sum(c.band in bands for c in group) / len(group) if group else 0.0

    def auc(self) -> float:
        pos = [c.score for c in self.cases if c.label == 1]
        neg = [c.score for c in self.cases if c.label == 0]
        if not pos or not neg:
            return float("nan")
        wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
        return wins / (len(pos) * len(neg))

    def summary(self) -> dict[str, float]:
        out: dict[str, float] = {"cases": len(self.cases), "roc_auc": round(self.auc(), 4)}
        for name, bands in (("medium_or_high", {"medium", "high"}), ("high", {"high"})):
            tp = sum(c.label == 1 and c.band in bands for c in self.cases)
            flagged = sum(c.band in bands for c in self.cases)
            out[f"recall_{name}"] = round(self._rate(1, bands), 4)
            out[f"precision_{name}"] = round(tp / flagged, 4) if flagged else 0.0
            out[f"false_positive_rate_{name}"] = round(self._rate(0, bands), 4)
        return out

    def confusion(self) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {lab: dict.fromkeys(BANDS, 0) for lab in ("hostile", "benign")}
        for c in self.cases:
            table["hostile" if c.label else "benign"][c.band] += 1
        return table

    def to_json(self) -> dict[str, object]:
        return {
            "method": self.method,
            "summary": self.summary(),
            "confusion": self.confusion(),
            "cases": [c.__dict__ for c in self.cases],
        }


def labelled(approaches: Sequence[Approach], source: str) -> list[Approach]:
    missing = [a.id for a in approaches if a.label is None]
    if missing:
        raise ValueError(f"{source}: cases without a label cannot be evaluated: {', '.join(missing[:5])}")
    return list(approaches)


def training_cases() -> list[Approach]:
    """The project's invented training set (data/training), never the evaluation casebook."""
    text = (resources.files("counterpitch") / "data" / "training" / "approaches_train.jsonl").read_text("utf-8")
    return [Approach.model_validate(json.loads(line)) for line in text.splitlines() if line.strip()]


def feature_rows(engine: Engine, cases: Sequence[Approach]) -> list[dict[str, float]]:
    if engine.context.intents is not None:
        engine.context.intents.prime(cases)
    return [features(engine.findings(a)) for a in cases]


def fit_on(
    engine: Engine,
    rows: Sequence[Mapping[str, float]],
    labels: Sequence[int],
    inner_folds: int = 5,
    seed: int = 7,
) -> Scorer:
    """Fit weights on all rows; choose bands from inner out-of-fold scores so they are not over-optimistic."""
    names = sorted(engine.registry.ids())
    oof = [0.0] * len(rows)
    for fold in _folds(labels, inner_folds, seed):
        train = [i for i in range(len(rows)) if i not in fold]
        inner = fit_scorer([rows[i] for i in train], [labels[i] for i in train], names)
        for i in fold:
            oof[i] = inner.raw(rows[i])
    return fit_scorer(rows, labels, names, oof_scores=oof)


def _folds(labels: Sequence[int], k: int, seed: int) -> list[set[int]]:
    """Stratified folds: each holds its share of both classes, assigned by a seeded shuffle."""
    rng = random.Random(seed)  # noqa: S311 (reproducible fold assignment, not security)
    folds: list[set[int]] = [set() for _ in range(k)]
    for cls in (0, 1):
        idx = [i for i, y in enumerate(labels) if y == cls]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            folds[j % k].add(i)
    return [f for f in folds if f]


def evaluate(engine: Engine, cases: Sequence[Approach]) -> Report:
    """Score the cases with the engine's own scorer (for a held-out set the model never saw)."""
    report = Report(method="shipped model")
    for a in cases:
        assessment = engine.assess(a)
        report.cases.append(Scored(a.id, int(a.label == "hostile"), assessment.score, assessment.band))
    return report


def cross_validate(
    engine: Engine, cases: Sequence[Approach], k: int = 10, seed: int = 7, with_training: bool = True
) -> Report:
    """K-fold CV: each fold scored by a scorer fitted on the other folds (plus the training set)."""
    train = training_cases() if with_training else []
    train_rows = feature_rows(engine, train)
    train_labels = [int(a.label == "hostile") for a in train]
    rows = feature_rows(engine, cases)
    labels = [int(a.label == "hostile") for a in cases]
    report = Report(method=f"{k}-fold cross-validation" + (" + invented training set" if with_training else ""))
    scored: dict[int, Scored] = {}
    for fold in _folds(labels, k, seed):
        others = [i for i in range(len(cases)) if i not in fold]
        scorer = fit_on(engine, train_rows + [rows[i] for i in others], train_labels + [labels[i] for i in others])
        fold_engine = engine.with_scorer(scorer)
        for i in fold:
            assessment = fold_engine.assess(cases[i])
            scored[i] = Scored(cases[i].id, labels[i], assessment.score, assessment.band)
    report.cases = [scored[i] for i in range(len(cases))]
    return report
