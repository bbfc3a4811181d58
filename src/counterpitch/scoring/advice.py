"""Advice for the person who received the approach, by band, following NPSA's "Think Before You Link"."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import yaml

from counterpitch.model import Band, Finding


@lru_cache(maxsize=1)
def _advice() -> dict[str, str]:
    doc = yaml.safe_load((resources.files("counterpitch") / "data" / "advice.yaml").read_text("utf-8"))
    if not doc.get("source") or set(doc.get("bands", {})) != {"low", "medium", "high"}:
        raise ValueError("counterpitch/data/advice.yaml: needs a source and advice for low, medium and high")
    return {k: " ".join(v.split()) for k, v in doc["bands"].items()}


def advice_for(band: Band, findings: Sequence[Finding]) -> str:
    """The band's advice, then the most specific guidance of the strongest indicator, when there is one."""
    text = _advice()[band]
    top = next((f for f in findings if (f.weight or 0) > 0 and f.guidance), None)
    if band != "low" and top is not None and top.guidance:
        text += " " + top.guidance
    return text
