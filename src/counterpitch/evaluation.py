"""Measuring the engine on labelled cases: band metrics, ROC AUC, and honest cross-validation.

Three ways to measure, all honest: the shipped model on a set it never saw; a model fitted on the invented
training set only, then scored on the casebook; and K-fold cross-validation, where each fold is scored by a
wording model and scorer fitted on the other folds plus the training set (training.fit_pipeline), with band
thresholds chosen from inner out-of-fold scores, never from the fold being measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from counterpitch.engine import Engine
from counterpitch.model import Approach, Band
from counterpitch.training import fit_pipeline, folds, rule_features, training_cases

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
    """K-fold CV: each fold scored by a wording model and scorer fitted on the other folds (plus training set)."""
    train = training_cases() if with_training else []
    train_rows = rule_features(engine, train)
    rows = rule_features(engine, cases)
    labels = [int(a.label == "hostile") for a in cases]
    report = Report(method=f"{k}-fold cross-validation" + (" + invented training set" if with_training else ""))
    scored: dict[int, Scored] = {}
    for fold in folds(labels, k, seed):
        others = [i for i in range(len(cases)) if i not in fold]
        scorer, text_model = fit_pipeline(
            engine, train + [cases[i] for i in others], train_rows + [rows[i] for i in others]
        )
        fold_engine = engine.with_learnt(scorer, text_model)
        for i in fold:
            assessment = fold_engine.assess(cases[i])
            scored[i] = Scored(cases[i].id, labels[i], assessment.score, assessment.band)
    report.cases = [scored[i] for i in range(len(cases))]
    return report


def train_then_test(engine: Engine, cases: Sequence[Approach]) -> Report:
    """Fit on the invented training set only, then score the given cases (none of which it saw)."""
    scorer, text_model = fit_pipeline(engine, training_cases())
    report = evaluate(engine.with_learnt(scorer, text_model), cases)
    report.method = "fitted on the invented training set only"
    return report
