"""What a verdict owes its evidence, beyond the fitted weights: priors with bounds, and decisive band rules.

Both are data (data/verdict.yaml). A prior is the weight a detector gets from what it declares (family and
severity); fitting may move it only within bounds, never to zero, so a detector the training set never
exercises keeps speaking. A decisive rule sets a minimum band from *which* detectors fired and how severe
their findings are: it never reads a weight, so no fitted number can switch it off (the MI5-named persona that
came out "low" because its fitted weight was 0.000 is the case this exists for).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from counterpitch.model import Band, Finding, Severity

WHERE = "counterpitch/data/verdict.yaml"
SEVERITY_RANK: dict[str, int] = {"info": 0, "low": 1, "medium": 2, "high": 3}
BAND_RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2}
#: Families whose findings describe the sender's behaviour or identity: the indicators.
INDICATOR_FAMILIES = frozenset({"lure", "persona", "watchlist", "mail"})
#: Families that describe the recipient or the setting: they raise the stakes, never corroborate.
CONTEXT_FAMILIES = frozenset({"exposure", "targeting"})
SAFEGUARD_FAMILIES = frozenset({"safeguard"})
#: Learnt evidence: the wording model (`semantic`) and the meaning layer (`meaning`, decision 0050).
LEARNT_FAMILIES = frozenset({"semantic", "meaning"})
#: The meaning layer's findings name one lure family each; their prior is their own (priors.meaning).
MEANING_FAMILY = "meaning"
#: The learnt wording corroborates a decisive rule from this strength on (as it corroborates "high").
LEARNT_CORROBORATES_MIN_STRENGTH = 0.4


def family(detector: str) -> str:
    return detector.split(".", 1)[0]


@dataclass(frozen=True)
class Prior:
    weight: float  # signed: safeguards negative
    low: float  # fitted weight bounds, low <= high (both negative for safeguards)
    high: float


@dataclass(frozen=True)
class Floor:
    """A decisive rule that held: the band it guarantees and the words that say why."""

    rule: str
    band: Band
    says: str
    triggers: tuple[str, ...]  # detector ids whose findings made it hold


@dataclass(frozen=True)
class DecisiveRule:
    id: str
    band: Band
    says: str
    sources: tuple[str, ...]
    any_of: frozenset[str] = frozenset()
    all_of: tuple[frozenset[str], ...] = ()
    families: frozenset[str] = frozenset()
    min_severity: Severity = "low"
    corroborated_band: Band | None = None

    def holds(self, strongest: Mapping[str, Finding]) -> Floor | None:
        """The floor this rule sets, given each detector's strongest finding (see `VerdictRules.floors`)."""
        need = SEVERITY_RANK[self.min_severity]
        if self.all_of:
            groups = [
                [f for d in g if (f := strongest.get(d)) is not None and SEVERITY_RANK[f.severity] >= need]
                for g in self.all_of
            ]
            if not all(groups):
                return None
            first = groups[0][0]
            triggers = [f for g in groups for f in g]
        else:
            triggers = [
                f
                for d, f in strongest.items()
                if (d in self.any_of or family(d) in self.families) and SEVERITY_RANK[f.severity] >= need
            ]
            if not triggers:
                return None
            first = max(triggers, key=lambda f: (SEVERITY_RANK[f.severity], f.strength))
        band = self.band
        ids = {f.detector for f in triggers}
        if self.corroborated_band is not None and _corroborated(strongest, ids):
            band = self.corroborated_band
        says = " ".join(self.says.replace("{explanation}", first.explanation).split())
        return Floor(self.id, band, says, tuple(sorted(ids)))


def _corroborated(strongest: Mapping[str, Finding], triggers: set[str]) -> bool:
    """Another sign besides the triggers: any other indicator of at least low severity, or the learnt wording
    when fairly sure (not the meaning layer: a sentence that reads like a lure is not a second act). Info-level
    signs (urgency, flattery, a vague request) are everyday in genuine mail too: an IT notice that a token "has
    expired" is urgent, not corroboration."""
    for d, f in strongest.items():
        fam = family(d)
        if d in triggers:
            continue
        if (fam in INDICATOR_FAMILIES and SEVERITY_RANK[f.severity] >= SEVERITY_RANK["low"]) or (
            fam in LEARNT_FAMILIES and fam != MEANING_FAMILY and f.strength >= LEARNT_CORROBORATES_MIN_STRENGTH
        ):
            return True
    return False


@dataclass(frozen=True)
class VerdictRules:
    indicator_priors: Mapping[str, float]
    context_prior: float
    safeguard_prior: float
    learnt_prior: float
    meaning_prior: float
    rule_bounds: tuple[float, float]
    learnt_bounds: tuple[float, float]
    decisive: tuple[DecisiveRule, ...]

    def prior(self, detector: str, severity: Severity) -> Prior:
        """The prior weight and fitting bounds of one detector, from its family and declared severity."""
        fam = family(detector)
        lo, hi = self.rule_bounds
        if fam in SAFEGUARD_FAMILIES:
            w = self.safeguard_prior
            return Prior(-w, -w * hi, -w * lo)
        if fam in LEARNT_FAMILIES:
            lo, hi = self.learnt_bounds
            w = self.meaning_prior if fam == MEANING_FAMILY else self.learnt_prior
        elif fam in CONTEXT_FAMILIES:
            w = self.context_prior
        else:  # an indicator, built-in or a user's own rule
            w = self.indicator_priors[severity]
        return Prior(w, w * lo, w * hi)

    def __post_init__(self) -> None:
        # Which rules a detector or a family can start: most assessments touch none, and skip them all.
        by_detector: dict[str, set[int]] = {}
        by_family: dict[str, set[int]] = {}
        for i, r in enumerate(self.decisive):
            for d in r.any_of | (r.all_of[0] if r.all_of else frozenset()):
                by_detector.setdefault(d, set()).add(i)
            for fam in r.families:
                by_family.setdefault(fam, set()).add(i)
        object.__setattr__(self, "_by_detector", by_detector)
        object.__setattr__(self, "_by_family", by_family)

    def floors(self, findings: Sequence[Finding]) -> list[Floor]:
        """Every decisive rule that holds, highest band first (ties in file order)."""
        strongest: dict[str, Finding] = {}  # per detector, its most severe (then strongest) finding speaks
        for f in findings:
            best = strongest.get(f.detector)
            if best is None or (SEVERITY_RANK[f.severity], f.strength) > (SEVERITY_RANK[best.severity], best.strength):
                strongest[f.detector] = f
        by_detector: dict[str, set[int]] = self._by_detector  # type: ignore[attr-defined]
        by_family: dict[str, set[int]] = self._by_family  # type: ignore[attr-defined]
        maybe: set[int] = set()
        for d in strongest:
            maybe |= by_detector.get(d, set()) | by_family.get(family(d), set())
        if not maybe:
            return []
        held = [floor for i in sorted(maybe) if (floor := self.decisive[i].holds(strongest)) is not None]
        return sorted(held, key=lambda f: -BAND_RANK[f.band])


def _band(value: object, where: str) -> Band:
    if value not in BAND_RANK:
        raise ValueError(f"{where}: band must be low, medium or high, not {value!r}")
    return value  # type: ignore[return-value]


def _rule(doc: Mapping[str, Any], i: int) -> DecisiveRule:
    where = f"{WHERE}: decisive[{i}] ({doc.get('id', '?')})"
    try:
        severity = doc.get("min_severity", "low")
        if severity not in SEVERITY_RANK:
            raise ValueError(f"min_severity must be one of {sorted(SEVERITY_RANK)}")
        rule = DecisiveRule(
            id=str(doc["id"]),
            band=_band(doc["band"], where),
            says=str(doc.get("says") or ""),
            sources=tuple(str(s) for s in doc["sources"]),
            any_of=frozenset(str(d) for d in doc.get("any_of", ())),
            all_of=tuple(frozenset(str(d) for d in g) for g in doc.get("all_of", ())),
            families=frozenset(str(d) for d in doc.get("families", ())),
            min_severity=severity,
            corroborated_band=_band(doc["corroborated_band"], where) if "corroborated_band" in doc else None,
        )
    except KeyError as exc:
        raise ValueError(f"{where}: missing field {exc.args[0]!r}") from exc
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: {exc}") from exc
    if not rule.sources:
        raise ValueError(f"{where}: every decisive rule must cite a source")
    if not (rule.any_of or rule.all_of or rule.families) or (rule.all_of and not all(rule.all_of)):
        raise ValueError(f"{where}: needs any_of, all_of (non-empty groups) or families")
    return rule


def parse(doc: Mapping[str, Any]) -> VerdictRules:
    try:
        priors, bounds = doc["priors"], doc["bounds"]
        indicator = {str(k): float(v) for k, v in priors["indicator"].items()}
        rules = VerdictRules(
            indicator_priors=indicator,
            context_prior=float(priors["context"]),
            safeguard_prior=float(priors["safeguard"]),
            learnt_prior=float(priors["learnt"]),
            meaning_prior=float(priors["meaning"]),
            rule_bounds=(float(bounds["rules"]["low"]), float(bounds["rules"]["high"])),
            learnt_bounds=(float(bounds["learnt"]["low"]), float(bounds["learnt"]["high"])),
            decisive=tuple(_rule(r, i) for i, r in enumerate(doc.get("decisive") or ())),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{WHERE}: priors and bounds are incomplete: {exc!r}") from exc
    if set(indicator) != set(SEVERITY_RANK) or min(indicator.values()) <= 0:
        raise ValueError(f"{WHERE}: priors.indicator needs a positive weight for each of {sorted(SEVERITY_RANK)}")
    for name, (lo, hi) in (("rules", rules.rule_bounds), ("learnt", rules.learnt_bounds)):
        if not 0 < lo <= 1 <= hi:
            raise ValueError(f"{WHERE}: bounds.{name} must satisfy 0 < low <= 1 <= high")
    if min(rules.context_prior, rules.safeguard_prior, rules.learnt_prior, rules.meaning_prior) <= 0:
        raise ValueError(f"{WHERE}: priors.context, safeguard, learnt and meaning must be positive")
    ids = [r.id for r in rules.decisive]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{WHERE}: duplicate decisive rule ids")
    return rules


@lru_cache(maxsize=1)
def verdict_rules() -> VerdictRules:
    text = (resources.files("counterpitch") / "data" / "verdict.yaml").read_text("utf-8")
    return parse(yaml.safe_load(text))
