"""Screening a member's own LinkedIn archive: every incoming approach, their own exposure, their connections.

The orchestration only: reading is `ingest.linkedin_archive`, judging is the engine, showing is `report`.
Nothing from the archive is written anywhere by this module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from counterpitch.engine import Engine
from counterpitch.model import Approach, Assessment, Finding, PersonProfile, Profile
from counterpitch.scoring.exposure import exposure_assessment


@dataclass(frozen=True)
class ConnectionHit:
    name: str
    company: str | None
    profile_url: str | None
    findings: tuple[Finding, ...]

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "connection": {
                k: v
                for k, v in (("name", self.name), ("company", self.company), ("profile_url", self.profile_url))
                if v
            },
            "findings": [f.to_json_dict() for f in self.findings],
        }


@dataclass
class ScanResult:
    counts: dict[str, int]
    approaches: list[tuple[Approach, Assessment]]
    exposure: Assessment
    owner: Profile
    watchlist_hits: list[ConnectionHit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "approaches": [a.to_json_dict() for _, a in self.approaches],
            "exposure": self.exposure.to_json_dict(),
            "watchlist_hits": [h.to_json_dict() for h in self.watchlist_hits],
            "warnings": self.warnings,
        }


def screen_connections(engine: Engine, connections: Sequence[PersonProfile]) -> list[ConnectionHit]:
    """Each connection against the watchlist, by the same watchlist detectors that screen a sender."""
    detectors = [d for d in engine.registry.for_target("approach") if d.meta.family == "watchlist"]
    hits = []
    for i, person in enumerate(connections):
        probe = Approach(id=f"connection-{i}", text="", sender=person)
        found = tuple(f for d in detectors for f in d.detect(probe, engine.context))
        if found:
            hits.append(ConnectionHit(person.name or "", person.company, person.profile_url, found))
    return hits


def scan(
    engine: Engine,
    owner: Profile,
    approaches: Sequence[Approach],
    connections: Sequence[PersonProfile],
    counts: dict[str, int],
    warnings: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
) -> ScanResult:
    assessed: list[tuple[Approach, Assessment]] = []
    for a, assessment in zip(approaches, engine.assess_many(approaches), strict=True):
        assessed.append((a, assessment))
        if progress is not None:
            progress(1)
    assessed.sort(key=lambda pair: -pair[1].score)
    exposure = exposure_assessment(owner.id, engine.audit(owner))
    return ScanResult(
        counts=dict(counts),
        approaches=assessed,
        exposure=exposure,
        owner=owner,
        watchlist_hits=screen_connections(engine, connections),
        warnings=list(warnings),
    )
