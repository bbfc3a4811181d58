"""Findings to a 0-100 score, a band and advice, by a monotone logistic model kept as data.

score = 100 * sigmoid(intercept + sum(weight[detector] * strength)), where strength is the strongest finding
of that detector (0..1). Weights are fitted (scoring/fit.py) within bounds around a prior each detector gets
from its family and severity (scoring/rules.py): indicators can only raise the score and safeguards only lower
it, and no indicator is ever worth nothing. Every finding's `weight` is the number of points it added (or took
away) in this assessment.

Bands add rules the model cannot express. A single indicator, however strongly weighted, never makes "high" on
its own: high needs two corroborating indicators of at least medium severity. Decisive rules (data/verdict.yaml)
then set a minimum band from which detectors fired, never from a weight: a published persona is high whatever
the text; payment for non-public information is high; asking to run something or sign in is at least medium;
a high-severity indicator never sits under a low band. When a decisive rule sets the band, the advice says so.

The phrase rules' weights are fitted beside the wording model (`semantic.wording`), which reads English only and
carries much of an English lure's weight: fitted beside it, a rule may sit well under its prior (paid travel at
0.75 of log-odds, paid reports at 0.91). In a message the wording model cannot read (`wording=False`: written in
another language), that share has no one to carry it, so each lure rule weighs at least its prior there: two
medium lures make medium, as the priors intend, instead of the 22 that fitted weights alone give. And what the
wording model makes of a language it was not trained on (a brand name, a cognate) may corroborate a concrete sign
there but never lifts a message above low on its own.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from counterpitch.model import Band, Finding
from counterpitch.scoring.advice import advice_for
from counterpitch.scoring.rules import (
    BAND_RANK,
    INDICATOR_FAMILIES,
    LEARNT_CORROBORATES_MIN_STRENGTH,
    LEARNT_FAMILIES,
    MEANING_FAMILY,
    SEVERITY_RANK,
    Floor,
    VerdictRules,
    family,
    verdict_rules,
)

#: Families that describe the recipient or the context, not the sender's behaviour: they move the score but
#: never count as corroboration for a "high".
CONTEXT_FAMILIES = frozenset({"exposure", "targeting", "safeguard"})
#: Learnt indicators (the wording model) generalise but cannot point at a concrete act: alone they lift an
#: approach to "medium" only when very sure, and they corroborate a concrete indicator for "high" only when
#: fairly sure. Both thresholds were set by measuring false alarms on the invented training set and on
#: real job adverts and text messages (bench/false_alarms.py).
LEARNT_ALONE_MIN_STRENGTH = 0.8
#: Families whose weights are fitted beside the wording model and read the message's words: where the wording
#: model cannot read the language, they weigh at least their prior (see the module's docstring).
UNREAD_AT_PRIOR = frozenset({"lure"})


def _meaning_sentences(findings: Iterable[Finding]) -> int:
    """How many sentences the meaning layer read as a lure, each very sure: one sentence alone (however many
    families it resembles) never lifts an approach to medium without a concrete sign; two do."""
    return len(
        {
            (e.field, e.start)
            for f in findings
            if family(f.detector) == MEANING_FAMILY and f.strength >= LEARNT_ALONE_MIN_STRENGTH
            for e in f.evidence[:1]
        }
    )


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def features(findings: Iterable[Finding]) -> dict[str, float]:
    """Per detector, the strength of its strongest finding: the model's input."""
    out: dict[str, float] = {}
    for f in findings:
        out[f.detector] = max(out.get(f.detector, 0.0), f.strength)
    return out


@dataclass(frozen=True)
class _Verdict:
    band: Band
    score: float  # the score shown: raised to the band's threshold when a decisive rule raised the band
    capped: float  # the score the model and the corroboration caps give, before any decisive rule
    rule: str
    floor: Floor | None  # the decisive rule that set or confirmed the band


@dataclass
class ScoreTrail:
    """How the score came about, for anyone who asks (`--explain`)."""

    intercept: float
    terms: list[tuple[str, float, float]] = field(default_factory=list)  # detector, strength, weight
    raw_score: float = 0.0
    band_rule: str = ""

    def lines(self) -> list[str]:
        out = [f"base log-odds {self.intercept:+.2f}"]
        out += [f"{d}: strength {s:.2f} x weight {w:+.2f} = {s * w:+.2f}" for d, s, w in self.terms]
        out.append(f"score {self.raw_score:.1f}; {self.band_rule}")
        return out


@dataclass(frozen=True)
class Scorer:
    intercept: float
    weights: Mapping[str, float]
    medium: float
    high: float
    meta: Mapping[str, Any] = field(default_factory=dict)

    rules: VerdictRules = field(default_factory=verdict_rules, compare=False, repr=False)

    def logit(self, feats: Mapping[str, float]) -> float:
        return self.intercept + math.fsum(self.weights.get(k, 0.0) * v for k, v in feats.items())

    def raw(self, feats: Mapping[str, float]) -> float:
        return 100.0 * _sigmoid(self.logit(feats))

    def weights_for(self, findings: Sequence[Finding], wording: bool = True) -> dict[str, float]:
        """The weight of each detector present: fitted, or for a detector the fit never saw (a user's own rule,
        a plugin) its prior by family and severity, so that adding a rule always counts for something. Where the
        wording model could not read the message (`wording=False`), a lure rule weighs at least its prior (see
        the module's docstring)."""
        out: dict[str, float] = {}
        for f in findings:
            w = self.weights.get(f.detector)
            if w is None:
                w = self.rules.prior(f.detector, f.severity).weight
            elif not wording and family(f.detector) in UNREAD_AT_PRIOR:
                w = max(w, self.rules.prior(f.detector, f.severity).weight)
            out[f.detector] = max(out.get(f.detector, w), w)
        return out

    def score(
        self, findings: Sequence[Finding], wording: bool = True
    ) -> tuple[float, Band, list[Finding], str, ScoreTrail]:
        """Score, band, the findings with their `weight` set (strongest first), advice, and the trail.
        `wording`: whether the wording model could read the message (it reads English only)."""
        feats, weights, z = self._terms(findings, wording)
        raw = 100.0 * _sigmoid(z)
        trail = ScoreTrail(self.intercept, raw_score=raw)
        trail.terms = sorted(((k, v, weights[k]) for k, v in feats.items()), key=lambda t: -abs(t[1] * t[2]))
        verdict = self._band(raw, findings, wording)
        trail.band_rule = verdict.rule
        weighted = self._weighted(findings, self._points(feats, weights, z, verdict))
        return round(verdict.score, 1), verdict.band, weighted, self._advice(verdict, weighted), trail

    def score_only(self, findings: Sequence[Finding], wording: bool = True) -> tuple[float, Band, list[Finding], str]:
        """`score` without the trail (bulk screening never shows it)."""
        feats, weights, z = self._terms(findings, wording)
        verdict = self._band(100.0 * _sigmoid(z), findings, wording)
        weighted = self._weighted(findings, self._points(feats, weights, z, verdict))
        return round(verdict.score, 1), verdict.band, weighted, self._advice(verdict, weighted)

    def _terms(
        self, findings: Sequence[Finding], wording: bool = True
    ) -> tuple[dict[str, float], dict[str, float], float]:
        """Each detector's strength and weight, and the log-odds they make together."""
        feats = features(findings)
        weights = self.weights_for(findings, wording)
        # fsum: the same log-odds whatever order the findings came in (a batch and one at a time agree to the bit)
        return feats, weights, self.intercept + math.fsum(weights[k] * v for k, v in feats.items())

    @staticmethod
    def _weighted(findings: Sequence[Finding], points: Mapping[str, float]) -> list[Finding]:
        """The findings with their `weight` set (points shared equally within a detector), strongest first."""
        count = Counter(f.detector for f in findings)
        # A copy with its weight set, not a re-validated record: the finding was validated when it was made.
        weighted = [f.model_copy(update={"weight": round(points[f.detector] / count[f.detector], 2)}) for f in findings]
        weighted.sort(key=lambda f: (-(f.weight or 0.0), -SEVERITY_RANK[f.severity], f.detector))
        return weighted

    def _points(
        self, feats: Mapping[str, float], weights: Mapping[str, float], z: float, verdict: _Verdict
    ) -> dict[str, float]:
        """Each detector's points: the rise from the base score (no findings) to the score the model and the
        caps give, shared in proportion to each detector's log-odds term (and, within a detector, equally among
        its findings); then whatever a decisive rule added on top, shared among the detectors that made the rule
        hold. The shares add up to the whole rise and keep their signs, also when the score saturates or is
        capped."""
        base = 100.0 * _sigmoid(self.intercept)
        span = z - self.intercept
        capped = verdict.capped
        slope = (capped - base) / span if abs(span) > 1e-9 else capped * (1 - capped / 100.0)
        points = {k: slope * weights[k] * v for k, v in feats.items()}
        lift = verdict.score - capped
        if lift > 0 and verdict.floor is not None:
            triggers = verdict.floor.triggers
            for k in triggers:
                points[k] = points.get(k, 0.0) + lift / len(triggers)
        return points

    def _band(self, raw: float, findings: Sequence[Finding], wording: bool = True) -> _Verdict:
        """The band the score and the corroboration caps give, then raised by any decisive rule that holds."""
        band, capped, rule = self._scored_band(raw, findings, wording)
        floors = self.rules.floors(findings)
        top = floors[0] if floors else None
        if top is None or BAND_RANK[top.band] < BAND_RANK[band]:
            return _Verdict(band, capped, capped, rule, None)
        threshold = self.high if top.band == "high" else self.medium if top.band == "medium" else 0.0
        score = max(capped, threshold)
        how = "set" if BAND_RANK[top.band] > BAND_RANK[band] else "confirmed"
        return _Verdict(top.band, score, capped, f"{rule}; {top.band} {how} by decisive rule {top.rule}", top)

    def _scored_band(self, raw: float, findings: Sequence[Finding], wording: bool = True) -> tuple[Band, float, str]:
        indicators: dict[str, Finding] = {}
        for f in findings:  # per detector, its strongest finding speaks for it; safeguards are not indicators
            if family(f.detector) == "safeguard":
                continue
            best = indicators.get(f.detector)
            if best is None or (SEVERITY_RANK[f.severity], f.strength) > (SEVERITY_RANK[best.severity], best.strength):
                indicators[f.detector] = f
        strong = {
            d
            for d, f in indicators.items()
            if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["medium"]
            and family(d) not in CONTEXT_FAMILIES
            and (family(d) not in LEARNT_FAMILIES or f.strength >= LEARNT_CORROBORATES_MIN_STRENGTH)
        }
        concrete = [d for d in indicators if family(d) not in CONTEXT_FAMILIES | LEARNT_FAMILIES]
        if not wording and not concrete and not any(family(d) == MEANING_FAMILY for d in indicators):
            # The wording model read a language it was not trained on (a brand name, a cognate): it may
            # corroborate a concrete sign or the meaning layer (which reads the language) there, never stand alone.
            return (
                "low",
                min(raw, self.medium - 0.1),
                "capped at low: the wording model alone, in a language it does not read",
            )
        if raw >= self.high:
            if len(strong) >= 2:
                return "high", raw, f"high: score >= {self.high:g} with corroborating indicators"
            return "medium", min(raw, self.high - 0.1), "capped at medium: one indicator alone never makes high"
        if raw >= self.medium:
            sure = (
                any(
                    f.strength >= LEARNT_ALONE_MIN_STRENGTH
                    for d, f in indicators.items()
                    if family(d) in LEARNT_FAMILIES and family(d) != MEANING_FAMILY
                )
                or _meaning_sentences(findings) >= 2
            )
            if concrete or sure:
                # Kept a tenth under the high threshold, as a capped score is, so that rounding never shows a
                # medium score above a capped one.
                return "medium", min(raw, self.high - 0.1), f"medium: score >= {self.medium:g}"
            return "low", min(raw, self.medium - 0.1), "capped at low: no concrete indicator found"
        return "low", min(raw, self.medium - 0.1), f"low: score < {self.medium:g}"

    @staticmethod
    def _advice(verdict: _Verdict, weighted: Sequence[Finding]) -> str:
        """The band's advice, led by the decisive rule's own words when one set or confirmed the band."""
        advice = advice_for(verdict.band, weighted)
        floor = verdict.floor
        return f"{floor.says} {advice}" if floor is not None and floor.says else advice

    def to_json(self) -> dict[str, Any]:
        return {
            **self.meta,
            "intercept": self.intercept,
            "weights": dict(sorted(self.weights.items())),
            "bands": {"medium": self.medium, "high": self.high},
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any], where: str = "weights") -> Scorer:
        try:
            weights = {str(k): float(v) for k, v in doc["weights"].items()}
            scorer = cls(
                intercept=float(doc["intercept"]),
                weights=weights,
                medium=float(doc["bands"]["medium"]),
                high=float(doc["bands"]["high"]),
                meta={k: v for k, v in doc.items() if k not in {"intercept", "weights", "bands"}},
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"{where}: not a valid weights file: {exc!r}") from exc
        if not 0 < scorer.medium < scorer.high < 100:
            raise ValueError(f"{where}: bands must satisfy 0 < medium < high < 100")
        bad = [k for k, v in weights.items() if (v > 0 if k.startswith("safeguard.") else v < 0)]
        if bad:
            raise ValueError(f"{where}: weights with the wrong sign (safeguards <= 0, indicators >= 0): {bad}")
        silenced = [k for k, v in weights.items() if family(k) in INDICATOR_FAMILIES and v <= 0]
        if silenced:
            raise ValueError(f"{where}: indicators must weigh more than zero (data/verdict.yaml priors): {silenced}")
        return scorer

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def load_default_scorer() -> Scorer:
    text = (resources.files("counterpitch") / "data" / "weights.json").read_text("utf-8")
    return Scorer.from_json(json.loads(text), "counterpitch/data/weights.json")
