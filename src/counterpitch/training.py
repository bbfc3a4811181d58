"""Fitting what the engine learns: the wording model and the scorer's weights, stacked without leakage.

Detectors are fixed code, so their findings are computed once per case. The wording model's output is a
feature of the scorer; if the scorer saw the wording model's predictions on the very cases it was fitted on,
it would trust it far too much. So the scorer is fitted on out-of-fold wording predictions (inner K-fold),
and its bands are chosen from out-of-fold scores too. The final wording model is then fitted on all cases.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from importlib import resources

from counterpitch.detectors.registry import Registry
from counterpitch.engine import Engine
from counterpitch.model import Approach
from counterpitch.scoring import Scorer
from counterpitch.scoring.fit import fit_scorer
from counterpitch.scoring.model import features
from counterpitch.scoring.rules import Prior, verdict_rules
from counterpitch.semantic.textmodel import TextModel, document

WORDING = "semantic.wording"


#: The first training set, written in one voice by the project (data/training/approaches_train.jsonl).
FIRST = "approaches_train"


def training_sets() -> dict[str, list[Approach]]:
    """The invented training sets by writer, never the evaluation casebook: the project's first set and each
    independent writer's corpus of many voices (data/training/voices/, written without seeing the rules)."""
    root = resources.files("counterpitch") / "data" / "training"
    files = [root / f"{FIRST}.jsonl"]
    voices = root / "voices"
    if voices.is_dir():
        files += sorted((f for f in voices.iterdir() if f.name.endswith(".jsonl")), key=lambda f: f.name)
    return {f.name.removesuffix(".jsonl"): _cases(f.read_text("utf-8")) for f in files}


def _cases(text: str) -> list[Approach]:
    return [Approach.model_validate(json.loads(line)) for line in text.splitlines() if line.strip()]


def training_cases() -> list[Approach]:
    """Every invented training case (all of `training_sets`), never the evaluation casebook."""
    return [a for cases in training_sets().values() for a in cases]


def folds(labels: Sequence[int], k: int, seed: int = 7) -> list[set[int]]:
    """Stratified folds: each holds its share of both classes, assigned by a seeded shuffle."""
    rng = random.Random(seed)  # noqa: S311 (reproducible fold assignment, not security)
    out: list[set[int]] = [set() for _ in range(k)]
    for cls in (0, 1):
        idx = [i for i, y in enumerate(labels) if y == cls]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            out[j % k].add(i)
    return [f for f in out if f]


def rule_features(engine: Engine, cases: Sequence[Approach]) -> list[dict[str, float]]:
    """Features of every detector except the learnt wording model."""
    rules = engine.with_learnt(engine.scorer, None)
    return [features(rules.findings(a)) for a in cases]


def _wording_feature(model: TextModel, approach: Approach) -> float:
    return model.strength(document(approach))


def feature_names(registry: Registry) -> list[str]:
    return sorted(registry.ids())


def priors(registry: Registry) -> dict[str, Prior]:
    """Each detector's prior weight and fitting bounds, from its family and declared severity."""
    rules = verdict_rules()
    return {d.meta.id: rules.prior(d.meta.id, d.meta.severity) for d in registry}


def fit_pipeline(
    engine: Engine,
    cases: Sequence[Approach],
    rows: Sequence[dict[str, float]] | None = None,
    inner: int = 5,
    seed: int = 7,
    wording_c: float = TextModel.C,
) -> tuple[Scorer, TextModel | None]:
    """Fit the scorer (and the wording model, when the engine uses one) on labelled cases."""
    labels = [int(a.label == "hostile") for a in cases]
    base = list(rows) if rows is not None else rule_features(engine, cases)
    use_wording = engine.context.text_model is not None
    names = feature_names(engine.registry)
    bounds = priors(engine.registry)
    inner_folds = folds(labels, inner, seed)
    stacked = [dict(r) for r in base]
    docs = [document(a) for a in cases]
    if use_wording:
        for fold in inner_folds:
            train = [i for i in range(len(cases)) if i not in fold]
            model = TextModel.fit([docs[i] for i in train], [labels[i] for i in train], c=wording_c)
            for i in fold:
                stacked[i][WORDING] = _wording_feature(model, cases[i])
        stacked = [{k: v for k, v in r.items() if v > 0} for r in stacked]
    oof = [0.0] * len(cases)
    for fold in inner_folds:
        train = [i for i in range(len(cases)) if i not in fold]
        inner_scorer = fit_scorer([stacked[i] for i in train], [labels[i] for i in train], names, priors=bounds)
        for i in fold:
            oof[i] = inner_scorer.raw(stacked[i])
    scorer = fit_scorer(stacked, labels, names, oof_scores=oof, priors=bounds)
    text_model = TextModel.fit(docs, labels, c=wording_c) if use_wording else None
    return scorer, text_model
