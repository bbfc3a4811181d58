"""Fitting the scorer: a logistic model with sign constraints, and bands chosen from out-of-fold scores.

Why constrained: with a few hundred cases, an unconstrained fit gives some indicators negative weights to
explain away collinearity, and then a finding would argue against its own meaning. Bounding indicator weights
at >= 0 and safeguard weights at <= 0 (L-BFGS-B) keeps every weight readable, at almost no cost in fit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import minimize

from counterpitch.scoring.model import Scorer


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
) -> tuple[float, dict[str, float]]:
    """Class-balanced, L2-penalised logistic regression with signs fixed by detector family."""
    x = _design(rows, names)
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
        grad = np.concatenate([[grad_z.sum()], x.T @ grad_z + 2 * l2 * w])
        return float(nll + l2 * np.sum(w * w)), grad

    bounds = [(None, None)] + [((None, 0.0) if n.startswith("safeguard.") else (0.0, None)) for n in names]
    result = minimize(loss, np.zeros(len(names) + 1), jac=True, method="L-BFGS-B", bounds=bounds)
    theta = result.x
    # Every detector the fit saw is kept, zeros included: a known detector with weight 0 is a finding the data
    # say is worth nothing, not an unknown one that would get a prior.
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
) -> Scorer:
    intercept, weights = fit_weights(rows, labels, names)
    scorer = Scorer(intercept, weights, 50.0, 80.0, dict(meta or {}))
    scores = oof_scores if oof_scores is not None else [scorer.raw(r) for r in rows]
    medium, high = choose_bands(scores, labels)
    return Scorer(intercept, weights, medium, high, dict(meta or {}))
