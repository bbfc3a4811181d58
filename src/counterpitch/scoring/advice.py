"""Advice for the person who received the approach, by band, following NPSA's "Think Before You Link"."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import yaml

from counterpitch.model import Band, Finding
from counterpitch.scoring.rules import INDICATOR_FAMILIES, SEVERITY_RANK, family

#: The advice keys advice.yaml must hold: one per band, and the low band's words when a sign is shown.
_BANDS = {"low", "medium", "high"}


@lru_cache(maxsize=1)
def _advice() -> dict[str, str]:
    doc = yaml.safe_load((resources.files("counterpitch") / "data" / "advice.yaml").read_text("utf-8"))
    if not doc.get("source") or set(doc.get("bands", {})) != _BANDS or not doc.get("low_with_sign"):
        raise ValueError("counterpitch/data/advice.yaml: needs a source, advice for each band and low_with_sign")
    out = {k: " ".join(v.split()) for k, v in doc["bands"].items()}
    out["low_with_sign"] = " ".join(doc["low_with_sign"].split())
    return out


def shown_sign(findings: Sequence[Finding]) -> Finding | None:
    """The strongest indicator the report shows as adding points (an info-level cue such as flattery is no sign)."""
    return next(
        (
            f
            for f in findings
            if (f.weight or 0) > 0 and family(f.detector) in INDICATOR_FAMILIES and SEVERITY_RANK[f.severity] >= 1
        ),
        None,
    )


def advice_for(band: Band, findings: Sequence[Finding]) -> str:
    """The band's advice, then the most specific guidance of the strongest indicator, when there is one.

    A low band whose report still shows an indicator (one weak rule hit: "Payment offered for reports") does not
    say that nothing calls for action: it names the sign and its guidance, so the advice never contradicts the
    findings listed under it. The band stays what the evidence gives; the words follow what is shown.
    """
    if band == "low":
        sign = shown_sign(findings)
        if sign is None:
            return _advice()["low"]
        text = _advice()["low_with_sign"].format(title=sign.title)
        return f"{text} {sign.guidance}" if sign.guidance else text
    text = _advice()[band]
    top = next((f for f in findings if (f.weight or 0) > 0 and f.guidance), None)
    if top is not None and top.guidance:
        text += " " + top.guidance
    return text
