"""The mosaic: what a stranger can piece together from many profiles, kept as a bounded extract per person.

Each person is reduced to what their profile already publishes and the graph needs: current employer, team,
site, title and what it says about rank, clearances, sensitive projects and role categories. Only people
with an exposure finding, or whose title states a rank or a reporting line, are kept (the rest add nothing an
outsider could use against the organisation), and at most `max_people` of them, by a total order (exposure,
then id, then the whole extract), so the extract merges associatively and commutatively and a Dask run keeps
exactly the people one process keeps. audit/graph.py turns it into a networkx graph and reads it.

Nothing is added that the profiles do not say: no scores of relationships, no guessed names. Location alone
never links anyone: a site appears only for people who state a clearance (clusters of cleared people at one
site are the thing to see).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from counterpitch.audit.titles import Rank, read_title
from counterpitch.model import Assessment, Position, Profile

#: People kept in the mosaic by default.
MAX_PEOPLE = 5000


@dataclass(frozen=True)
class PersonExtract:
    id: str
    name: str
    title: str
    employer: str
    team: str
    rank: str
    boss: str
    site: str
    score: float
    band: str
    clearances: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    canonical: str = field(default="", compare=False)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "employer": self.employer,
            "team": self.team,
            "rank": self.rank,
            "boss": self.boss,
            "site": self.site,
            "score": self.score,
            "band": self.band,
            "clearances": list(self.clearances),
            "projects": list(self.projects),
            "roles": list(self.roles),
        }


def _current(p: Profile) -> Position | None:
    """The position held now: the first without an end date, else the first listed."""
    return next((x for x in p.experience if not x.end), p.experience[0] if p.experience else None)


def _site(position: Position | None, profile: Profile) -> str:
    """Where the person works, as the first part of the place written ("Main Building, London")."""
    where = (position.location if position and position.location else None) or profile.location or ""
    return " ".join(where.split(",")[0].split())


def _involvement(profile: Profile, assessment: Assessment) -> tuple[Rank, dict[str, set[str]]] | None:
    """What the person adds (their title's rank and their findings by kind), or None when it is nothing."""
    values: dict[str, set[str]] = {}
    for f in assessment.findings:
        values.setdefault(f.detector, set()).add(f.value or "")
    position = _current(profile)
    title = (position.title if position else None) or profile.headline or ""
    rank = read_title(title, (position.description or "") if position else "", profile.about or "")
    if not values and rank.rank == "member" and not rank.boss:
        return None
    return rank, values


def extract(profile: Profile, assessment: Assessment) -> PersonExtract | None:
    """The person's part of the mosaic, or None when their profile adds nothing to it."""
    found = _involvement(profile, assessment)
    return None if found is None else _build(profile, assessment, *found)


def _build(profile: Profile, assessment: Assessment, rank: Rank, values: dict[str, set[str]]) -> PersonExtract:
    position = _current(profile)
    title = (position.title if position else None) or profile.headline or ""
    clearances = tuple(sorted(values.get("exposure.clearance", ())))
    person = PersonExtract(
        id=profile.id,
        name=profile.name or "",
        title=" ".join(title.split())[:120],
        employer=" ".join(((position.company if position else None) or "").split())[:120],
        team=rank.team,
        rank=rank.rank,
        boss=rank.boss,
        site=_site(position, profile)[:80] if clearances else "",
        score=assessment.score,
        band=assessment.band,
        clearances=clearances,
        projects=tuple(sorted(values.get("exposure.sensitive_project", ()))),
        roles=tuple(sorted(values.get("exposure.sensitive_role", ()))),
    )
    return replace(person, canonical=json.dumps(person.to_json(), sort_keys=True, ensure_ascii=False))


def _order(p: PersonExtract) -> tuple[float, str, str]:
    return (-p.score, p.id, p.canonical)


@dataclass
class Mosaic:
    max_people: int = MAX_PEOPLE
    people: list[PersonExtract] = field(default_factory=list)
    #: People who had something to add, kept or not (the picture says when it shows only a part).
    seen: int = 0
    #: Once full, the lowest score kept: nobody scoring less can enter (a shortcut; same result without it).
    _floor: float = field(default=-1.0, repr=False, compare=False)

    def add(self, profile: Profile, assessment: Assessment) -> None:
        found = _involvement(profile, assessment)
        if found is None:
            return
        self.seen += 1
        if assessment.score < self._floor:
            return
        self.people.append(_build(profile, assessment, *found))
        if len(self.people) > 2 * self.max_people:
            self.people = sorted(self.people, key=_order)[: self.max_people]
            self._floor = self.people[-1].score

    def merge(self, other: Mosaic) -> Mosaic:
        if other.max_people != self.max_people:
            raise ValueError("cannot merge mosaics built with different limits")
        out = Mosaic(self.max_people, sorted(self.people + other.people, key=_order)[: self.max_people])
        out.seen = self.seen + other.seen
        out._floor = out.people[-1].score if len(out.people) == self.max_people else -1.0
        return out

    def kept(self) -> list[PersonExtract]:
        """The people in the mosaic, most exposed first (deterministic)."""
        return sorted(self.people, key=_order)[: self.max_people]
