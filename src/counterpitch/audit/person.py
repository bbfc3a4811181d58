"""One exposed person as the organisation summary keeps them: who, how exposed, and what to change.

"What to change" is concrete: the place on the profile and the words to take off it, one line per finding,
so a security officer can hand it to the person as it stands.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from counterpitch.audit.approached import ApproachRef
from counterpitch.model import Assessment, Finding, Profile

#: Lines of advice kept per person: the strongest findings first (the assessment is sorted by weight).
MAX_CHANGES = 6
_KIND_ORDER = (
    "exposure.clearance",
    "exposure.sensitive_project",
    "exposure.sensitive_role",
    "exposure.personal_contact",
)
_INDEX = re.compile(r"(\w+)\[(\d+)\]")
#: The words that decided an exposure finding, as its explanation states them (detectors/exposure/common.py).
_DECIDED = re.compile(r" Decided by: (.+?)\. (?=[A-Z])")


def place(field_path: str) -> str:
    """A dotted evidence path in words: "experience[0].description" -> "position 1, description"."""
    names = {"experience": "position", "skills": "skill", "certifications": "certification", "projects": "project"}

    def one(m: re.Match[str]) -> str:
        return f"{names.get(m.group(1), m.group(1))} {int(m.group(2)) + 1}"

    return _INDEX.sub(one, field_path).replace(".", ", ")


def _change(f: Finding) -> str:
    """What to change, with the words that decided the finding, so a reviewer can disagree at a glance."""
    ev = f.evidence[0] if f.evidence else None
    where = place(ev.field) if ev else "the profile"
    quote = f" (“{ev.quote}”)" if ev and ev.quote else ""
    decided = _DECIDED.search(f.explanation)
    return _what(f, where, quote) + (f" Decided by: {decided.group(1)}." if decided else "")


def _what(f: Finding, where: str, quote: str) -> str:
    if f.detector == "exposure.clearance":
        return f"Take the clearance {f.value} off the {where}{quote}."
    if f.detector == "exposure.sensitive_project":
        return f"Remove the programme name {f.value} from the {where}{quote}."
    if f.detector == "exposure.sensitive_role":
        return f"Describe the role in general terms in the {where}{quote}."
    if f.detector == "exposure.personal_contact":
        return f"Remove the personal {f.value} from the {where}{quote}."
    return f"{f.title}: {where}{quote}."


def changes_for(assessment: Assessment) -> tuple[str, ...]:
    return tuple(_change(f) for f in assessment.findings[:MAX_CHANGES])


@dataclass(frozen=True)
class PersonLine:
    id: str
    name: str
    headline: str
    score: float
    band: str
    #: (detector id, value) per finding, in a fixed order (kind, then value).
    values: tuple[tuple[str, str], ...]
    changes: tuple[str, ...]
    approached: tuple[ApproachRef, ...] = ()
    #: The whole line as canonical JSON: the last tie-break, so ordering never depends on arrival order.
    canonical: str = field(default="", compare=False)

    @classmethod
    def of(cls, profile: Profile, assessment: Assessment, approached: tuple[ApproachRef, ...] = ()) -> PersonLine:
        order = {k: i for i, k in enumerate(_KIND_ORDER)}
        values = sorted(
            {(f.detector, f.value or "") for f in assessment.findings}, key=lambda v: (order.get(v[0], 9), v)
        )
        line = cls(
            id=profile.id,
            name=profile.name or "",
            headline=profile.headline or "",
            score=assessment.score,
            band=assessment.band,
            values=tuple(values),
            changes=changes_for(assessment),
            approached=approached,
        )
        return _with_canonical(line)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "headline": self.headline,
            "score": self.score,
            "band": self.band,
            "findings": [{"detector": d, "value": v} for d, v in self.values],
            "changes": list(self.changes),
            "approached": [
                {"report_id": r.report_id, "band": r.band, "reported_at": r.reported_at, "matched_by": r.matched_by}
                for r in self.approached
            ],
        }


def _with_canonical(line: PersonLine) -> PersonLine:
    return replace(line, canonical=json.dumps(line.to_json(), sort_keys=True, ensure_ascii=False))


def exposure_key(p: PersonLine) -> tuple[float, int, str, str]:
    """Most exposed first: score, then the number of distinct disclosures, then id; then everything else."""
    return (-p.score, -len(p.values), p.id, p.canonical)


_BAND_RANK = {"high": 0, "medium": 1, "low": 2}


def priority_key(p: PersonLine) -> tuple[int, float, int, str, str]:
    """Whom to help first: approached and high, then high, then approached and medium, then the rest; by
    exposure within each tier. Being approached alone (low exposure) does not jump the queue."""
    band = _BAND_RANK.get(p.band, 2)
    tier = {0: 0 if p.approached else 1, 1: 2 if p.approached else 3}.get(band, 4)
    return (tier, *exposure_key(p))
