"""The organisation summary: counts of what our people disclose, and whom to help first, in bounded memory.

Built one person at a time (`add`) and combined (`merge`), so a Dask run reduces its partitions to exactly what
one process computes: counts add, and the kept people are the top K of a total order (score, number of
disclosures, id, then the whole line as text), which is the same whatever the partitioning or the order of
arrival. Memory is bounded by the number of distinct values (clearance levels, listed terms, role categories)
plus K, never by the number of people.

"People per X" counts a person once per distinct value: "112 people name Type 26".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from counterpitch.audit.approached import ApproachedIndex
from counterpitch.audit.faces import Faces
from counterpitch.audit.person import PersonLine, exposure_key, priority_key
from counterpitch.model import Assessment, Profile

#: How many of the most exposed people are kept by default.
TOP_K = 50
#: Approached people kept beside the top K, at most (they come first in the priority list).
MAX_APPROACHED = 1000
_KINDS = {
    "exposure.clearance": "clearances",
    "exposure.sensitive_project": "terms",
    "exposure.sensitive_role": "roles",
    "exposure.personal_contact": "contacts",
}


def _keep(lines: list[PersonLine], k: int, key: Callable[[PersonLine], tuple[Any, ...]]) -> list[PersonLine]:
    return sorted(lines, key=key)[:k]


@dataclass
class OrgSummary:
    top_k: int = TOP_K
    approached_index: ApproachedIndex | None = None
    profiles: int = 0
    bands: Counter[str] = field(default_factory=Counter)
    clearances: Counter[str] = field(default_factory=Counter)
    schemes: Counter[str] = field(default_factory=Counter)
    terms: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    contacts: Counter[str] = field(default_factory=Counter)
    #: Kind -> people with at least one finding of that kind.
    kinds: Counter[str] = field(default_factory=Counter)
    top: list[PersonLine] = field(default_factory=list)
    approached: list[PersonLine] = field(default_factory=list)
    approached_people: int = 0
    #: Profiles wearing a generated face (`audit --photos`); apart from exposure, never in a score.
    faces: Faces = field(default_factory=Faces)
    #: Once the top K is full, the lowest score it keeps: nobody scoring less can enter (a shortcut only; the
    #: result is the same without it).
    _floor: float = field(default=-1.0, repr=False, compare=False)

    def add(self, profile: Profile, assessment: Assessment) -> None:
        self.profiles += 1
        self.faces.add(profile)
        self.bands[assessment.band] += 1
        seen: dict[str, set[str]] = {}
        for f in assessment.findings:
            if f.detector in _KINDS:
                seen.setdefault(_KINDS[f.detector], set()).add(f.value or "")
        for kind, values in seen.items():
            self.kinds[kind] += 1
            getattr(self, kind).update(values)
        self.schemes.update({v.split(":", 1)[0] for v in seen.get("clearances", ())})
        refs = self.approached_index.lookup(profile) if self.approached_index is not None else ()
        can_top = bool(assessment.findings) and assessment.score >= self._floor
        if not can_top and not refs:
            return
        line = PersonLine.of(profile, assessment, refs)
        if refs:
            self.approached_people += 1
            self.approached.append(line)
            if len(self.approached) > 2 * MAX_APPROACHED:
                self.approached = _keep(self.approached, MAX_APPROACHED, priority_key)
        if can_top:
            self.top.append(line)
            if len(self.top) > 2 * self.top_k:
                self.top = _keep(self.top, self.top_k, exposure_key)
                self._floor = self.top[-1].score

    def merge(self, other: OrgSummary) -> OrgSummary:
        """A new summary of both (neither is changed). Both must have been built with the same settings."""
        if other.top_k != self.top_k or other.approached_index != self.approached_index:
            raise ValueError("cannot merge audit summaries built with different settings")
        out = OrgSummary(self.top_k, self.approached_index)
        out.faces = self.faces.merge(other.faces)
        out.profiles = self.profiles + other.profiles
        for name in ("bands", "clearances", "schemes", "terms", "roles", "contacts", "kinds"):
            setattr(out, name, getattr(self, name) + getattr(other, name))
        out.top = _keep(self.top + other.top, self.top_k, exposure_key)
        out._floor = out.top[-1].score if len(out.top) == self.top_k else -1.0
        out.approached = _keep(self.approached + other.approached, MAX_APPROACHED, priority_key)
        out.approached_people = self.approached_people + other.approached_people
        return out

    def most_exposed(self) -> list[PersonLine]:
        return _keep(self.top, self.top_k, exposure_key)

    def priority(self) -> list[PersonLine]:
        """Whom to help first (person.priority_key): approached people, then the most exposed; each once."""
        lines = {p.canonical: p for p in self.most_exposed()}
        lines.update({p.canonical: p for p in self.approached if p.band != "low"})
        return _keep(list(lines.values()), self.top_k, priority_key)

    def to_json(self, org: str | None = None) -> dict[str, object]:
        def counted(c: Counter[str]) -> list[dict[str, object]]:
            return [{"value": v, "people": n} for v, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]

        exposed = self.profiles - self.bands.get("low", 0) if self.profiles else 0
        faces = {"generated_faces": self.faces.to_json()} if self.faces.root is not None else {}
        return {
            "org": org,
            "profiles": self.profiles,
            "bands": {b: self.bands.get(b, 0) for b in ("high", "medium", "low")},
            "exposed": exposed,
            "people_with": {k: self.kinds.get(k, 0) for k in ("clearances", "terms", "roles", "contacts")},
            "clearances": counted(self.clearances),
            "schemes": counted(self.schemes),
            "terms": counted(self.terms),
            "roles": counted(self.roles),
            "contacts": counted(self.contacts),
            "most_exposed": [p.to_json() for p in self.most_exposed()],
            "approached_people": self.approached_people,
            "priority": [p.to_json() for p in self.priority()],
            **faces,
        }
