"""exposure.sensitive_role: a role that marks the person as worth cultivating (intelligence, a minister's
private office, nuclear weapons ...), by category from data/sensitive_roles.yaml.

An agency acronym with other senses ("CIA triad", "ASIO buffer") counts only as the whole employer, after
"ex-"/"former", or before a staff word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from counterpitch.detectors.base import DetectorMeta, Span
from counterpitch.detectors.context import Context
from counterpitch.detectors.exposure.common import _MAX_MENTIONS, _NPSA, Scan, _discounted, _ExposureDetector, _Hits
from counterpitch.detectors.exposure.lists import ROLES, left_bounded
from counterpitch.detectors.exposure.text import _ROLE_KINDS, _Field, _fields, _joined, _per_profile
from counterpitch.model import Profile

_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


def _staff(f: _Field, start: int, end: int) -> bool:
    """An ambiguous agency acronym counts as the whole employer, after 'ex-'/'former', or before a staff word."""
    if f.kind == "company" and _LEADING_THE.sub("", f.text.strip()).lower() == f.low[start:end]:
        return True
    return bool(
        ROLES.staff_before.search(f.text[max(0, start - 20) : start])
        or ROLES.staff_after.search(f.text[end : end + 60])
    )


def scan_roles(p: Profile) -> Scan:
    """Sensitive roles the profile shows, by category (worked out once per profile: read-only)."""
    return _per_profile(p, scan_roles, lambda: _scan_roles(p))


def _scan_roles(p: Profile) -> Scan:
    anchors = [ROLES.anchor_names[i] for i in ROLES.anchors.present(_joined(p, _ROLE_KINDS, low=True))]
    hits: Scan = {}
    if not anchors:  # most profiles: no field can match, so none is visited
        return hits
    for f in _fields(p, _ROLE_KINDS):
        ks = {k for a in anchors if a in f.low for k in ROLES.by_anchor[a]}
        for r in (ROLES.patterns[k] for k in sorted(ks)):
            for m in left_bounded(r.body, f.text, _MAX_MENTIONS):
                if (r.ambiguous and not _staff(f, m.start(), m.end())) or _discounted(f.text, m.start()):
                    continue
                hits.setdefault(r.category, _Hits()).add(
                    Span(f.path, m.start(), m.end(), f.text), 0.8 if r.ambiguous else 1.0
                )
    return hits


# --- the detector ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleExposure(_ExposureDetector):
    def scan(self, profile: Profile, ctx: Context) -> Scan:
        return scan_roles(profile)

    def describe(self, value: str) -> str:
        return f"Your profile shows a sensitive role ({value})."


ROLE = RoleExposure(
    DetectorMeta(
        id="exposure.sensitive_role",
        title="Your profile shows a sensitive role",
        severity="medium",
        explanation="Hostile services choose targets for their access and their networks; a role like this "
        "marks you as one, even after you have left it.",
        guidance='Describe the role generically ("civil servant", "engineer") and leave out the agency, '
        "office or programme.",
        sources=(
            "MI5 espionage alert, 18 Nov 2025: targets chosen for their access and their networks to politicians",
            "tradecraft.md, Targeting: the profile shows a clearance, government, Parliament, defence or "
            "think-tank role",
            _NPSA,
        ),
        attack=("T1593.001", "T1591.004"),
        target="profile",
    )
)
