"""Fitting the scorer: a logistic model pulled towards priors within bounds, and bands from out-of-fold scores.

Why constrained: with a few hundred cases, an unconstrained fit gives some indicators negative weights to
explain away collinearity, and then a finding would argue against its own meaning; and a detector the training
set never exercises is fitted to zero, silencing it on the cases it exists for (a published persona scored
"low"). So each weight starts from a prior given by the detector's family and severity (scoring/rules.py,
data/verdict.yaml), the penalty pulls it towards that prior rather than towards zero, and L-BFGS-B keeps it
within bounds around the prior: safeguards stay negative, indicators stay positive and never reach zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import minimize

from counterpitch.scoring.model import Scorer
from counterpitch.scoring.rules import Prior


def _design(rows: Sequence[Mapping[str, float]], names: Sequence[str]) -> np.ndarray:
    index = {n: i for i, n in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for r, feats in enumerate(rows):
        for k, v in feats.items():
            if k in index:
                x[r, index[k]] = v
    return x


def fit_weights(
    rows: Sequence[Mapping[str, float]],
    labels: Sequence[int],
    names: Sequence[str],
    l2: float = 0.3,
    priors: Mapping[str, Prior] | None = None,
) -> tuple[float, dict[str, float]]:
    """Class-balanced logistic regression, penalised towards each detector's prior and bounded around it.

    Without `priors` (tests of the fit itself) the prior is zero and the bounds are the signs by family.
    """
    x = _design(rows, names)
    centre = np.array([priors[n].weight if priors else 0.0 for n in names])
    y = np.asarray(labels, dtype=float)
    pos = max(1.0, y.sum())
    neg = max(1.0, len(y) - y.sum())
    sample = np.where(y == 1, len(y) / (2 * pos), len(y) / (2 * neg))

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        b, w = theta[0], theta[1:]
        z = b + x @ w
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
        eps = 1e-12
        nll = -np.sum(sample * (y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))
        grad_z = sample * (p - y)
        grad = np.concatenate([[grad_z.sum()], x.T @ grad_z + 2 * l2 * (w - centre)])
        return float(nll + l2 * np.sum((w - centre) ** 2)), grad

    def bound(n: str) -> tuple[float | None, float | None]:
        if priors:
            return priors[n].low, priors[n].high
        return (None, 0.0) if n.startswith("safeguard.") else (0.0, None)

    bounds = [(None, None)] + [bound(n) for n in names]
    start = np.concatenate([[0.0], centre])
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    theta = result.x
    weights = {n: round(float(w), 4) for n, w in zip(names, theta[1:], strict=True)}
    return round(float(theta[0]), 4), weights


def choose_bands(
    scores: Sequence[float], labels: Sequence[int], max_fp_medium: float = 0.08, max_fp_high: float = 0.01
) -> tuple[float, float]:
    """Lowest thresholds whose benign false-alarm rates stay within the budgets, from out-of-fold scores.

    Budgets sit well inside the product's targets (15% at medium or high, 2% at high) to leave room for cases
    written in other words than the training set.
    """
    benign = np.sort(np.asarray([s for s, y in zip(scores, labels, strict=True) if y == 0]))
    if len(benign) == 0:
        return 50.0, 80.0

    def threshold(budget: float) -> float:
        allowed = int(np.floor(budget * len(benign)))
        # Scores strictly above the (allowed+1)-th highest benign score are alarms within budget.
        cut = benign[-(allowed + 1)]
        return float(min(99.0, max(5.0, cut + 0.5)))

    medium = threshold(max_fp_medium)
    high = max(threshold(max_fp_high), medium + 5.0)
    return round(medium, 1), round(min(high, 99.5), 1)


def fit_scorer(
    rows: Sequence[Mapping[str, float]],
    labels: Sequence[int],
    names: Sequence[str],
    oof_scores: Sequence[float] | None = None,
    meta: Mapping[str, object] | None = None,
    priors: Mapping[str, Prior] | None = None,
) -> Scorer:
    intercept, weights = fit_weights(rows, labels, names, priors=priors)
    scorer = Scorer(intercept, weights, 50.0, 80.0, dict(meta or {}))
    scores = oof_scores if oof_scores is not None else [scorer.raw(r) for r in rows]
    medium, high = choose_bands(scores, labels)
    return Scorer(intercept, weights, medium, high, dict(meta or {}))
