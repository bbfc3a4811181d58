"""Targeting indicators (family `targeting`): whether the recipient is someone with access worth cultivating.

Hostile services choose targets for their access and networks. A recipient whose own profile shows
Parliament, government, defence or a clearance makes any other indicator in the approach weigh more. The
detector reads the recipient's role only, never nationality or place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from counterpitch.detectors.base import Detector, DetectorMeta
from counterpitch.detectors.context import Context
from counterpitch.model import Approach, Evidence, Finding, Profile


@lru_cache(maxsize=1)
def _sectors() -> tuple[str, dict[str, re.Pattern[str]]]:
    doc = yaml.safe_load((resources.files("counterpitch") / "data" / "targeting.yaml").read_text("utf-8"))
    if not doc.get("source") or not isinstance(doc.get("sectors"), dict):
        raise ValueError("counterpitch/data/targeting.yaml: needs 'source' and a 'sectors' mapping")
    return doc["source"], {k: re.compile(v, re.IGNORECASE) for k, v in doc["sectors"].items()}


@lru_cache(maxsize=4096)
def _sectors_in(text: str) -> tuple[tuple[str, int, int], ...]:
    """Each sector whose words appear in `text`, with the first match's offsets (memoised: people recur)."""
    out = []
    for sector, pattern in _sectors()[1].items():
        m = pattern.search(text)
        if m:
            out.append((sector, m.start(), m.end()))
    return tuple(out)


@dataclass(frozen=True)
class RecipientAccess(Detector):
    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        if not isinstance(subject, Approach) or subject.recipient is None:
            return
        r = subject.recipient
        evidence: list[Evidence] = []
        sectors: list[str] = []
        for field in ("headline", "organisation", "company"):
            text = getattr(r, field)
            if not text:
                continue
            for sector, start, end in _sectors_in(text):
                if sector not in sectors:
                    sectors.append(sector)
                    evidence.append(Evidence(field=f"recipient.{field}", start=start, end=end, quote=text[start:end]))
        if sectors:
            yield self.finding(
                evidence,
                value=",".join(sorted(sectors)),
                strength=min(1.0, 0.5 + 0.25 * len(sectors)),
                explanation=f"Your profile shows a role in {', '.join(sorted(sectors))}. " + self.meta.explanation,
            )


DETECTORS: list[Detector] = [
    RecipientAccess(
        DetectorMeta(
            id="targeting.recipient_access",
            title="You hold a role with access worth cultivating",
            severity="info",
            explanation="Hostile services pick people for their access and their networks; that raises the stakes "
            "of anything else in this message, though on its own it says nothing about the sender.",
            guidance="Keep your public profile to a minimum: do not advertise clearances, programmes or access.",
            sources=(
                "tradecraft.md, Targeting: the recipient's profile shows a clearance, government, Parliament, "
                "defence or think-tank role",
                "MI5 espionage alert, 18 Nov 2025: targets chosen for their access and their networks to politicians",
            ),
            attack=("T1593.001",),
        )
    )
]
