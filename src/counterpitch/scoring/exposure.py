"""Exposure findings on a person's own profile to a score, a band and advice (data/exposure_weights.yaml).

Separate from the approach scorer: it answers a different question ("how much does this profile give away?"),
and its weights are set from guidance rather than fitted, because there is no labelled set of "approached"
profiles to fit them on. Each distinct kind of disclosure counts once; more kinds compound.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from counterpitch.model import Assessment, Band, Finding


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    where = "counterpitch/data/exposure_weights.yaml"
    doc = yaml.safe_load((resources.files("counterpitch") / "data" / "exposure_weights.yaml").read_text("utf-8"))
    try:
        weights = {str(k): float(v) for k, v in doc["weights"].items()}
        bands = (float(doc["bands"]["medium"]), float(doc["bands"]["high"]))
        advice = {b: " ".join(str(doc["advice"][b]).split()) for b in ("low", "medium", "high")}
        source = str(doc["source"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"{where}: malformed: {exc!r}") from exc
    if not all(0 < w < 1 for w in weights.values()) or not 0 < bands[0] < bands[1] < 100:
        raise ValueError(f"{where}: weights must lie in (0, 1) and 0 < medium < high < 100")
    return {"weights": weights, "bands": bands, "advice": advice, "source": source}


def exposure_assessment(profile_id: str, findings: Sequence[Finding]) -> Assessment:
    t = _table()
    kinds = {f.detector for f in findings if f.detector in t["weights"]}
    keep = 1.0
    for kind in sorted(kinds):
        keep *= 1 - t["weights"][kind]
    score = round(100 * (1 - keep), 1)
    medium, high = t["bands"]
    band: Band = "high" if score >= high else "medium" if score >= medium else "low"
    # Points per finding: the score shared among kinds in proportion to -ln(1 - w) (the terms of the product),
    # then equally among the findings of one kind (one finding per distinct value).
    logs = {k: -math.log(1 - t["weights"][k]) for k in kinds}
    per_kind = Counter(f.detector for f in findings if f.detector in kinds)
    total = sum(logs.values()) or 1.0

    def points(f: Finding) -> float:
        if f.detector not in kinds:
            return 0.0
        return round(score * logs[f.detector] / total / per_kind[f.detector], 1)

    weighted = [f.model_copy(update={"weight": points(f)}) for f in findings]
    weighted.sort(key=lambda f: -(f.weight or 0.0))
    return Assessment(id=profile_id, score=score, band=band, findings=tuple(weighted), advice=t["advice"][band])
