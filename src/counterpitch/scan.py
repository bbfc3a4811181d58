"""Screening a member's own LinkedIn archive: every incoming approach, their own exposure, their connections.

The orchestration only: reading is `ingest.linkedin_archive`, judging is the engine, showing is `report`.
Nothing from the archive is written anywhere by this module.
"""

from __future__ import annotations

import json
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from counterpitch.engine import Engine, MeaningWhen
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


@dataclass(frozen=True)
class Screened:
    """One approach's verdict as a scan keeps it: its assessment as compressed JSON (a large archive's
    assessments as objects cost ~19 KB each; packed, about 1 KB), and the approach where it was kept."""

    id: str
    score: float
    band: str
    packed: bytes
    approach: Approach | None = None

    @classmethod
    def of(cls, assessment: Assessment, approach: Approach | None) -> Screened:
        doc = json.dumps(assessment.to_json_dict(), ensure_ascii=False, separators=(",", ":"))
        packed = zlib.compress(doc.encode("utf-8"), 1)
        return cls(assessment.id, assessment.score, assessment.band, packed, approach)

    def json_dict(self) -> dict[str, Any]:
        return dict(json.loads(zlib.decompress(self.packed)))

    def assessment(self) -> Assessment:
        return Assessment.model_validate(self.json_dict())


@dataclass
class ScanResult:
    counts: dict[str, int]
    #: Every approach's verdict, highest score first, with the approach itself when `scan` was asked to keep
    #: them (the HTML report shows them).
    assessed: list[Screened]
    exposure: Assessment
    owner: Profile
    watchlist_hits: list[ConnectionHit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Connections whose photo was checked (`scan --photos`).
    photos_checked: int = 0

    @property
    def approaches(self) -> Iterator[tuple[Approach, Assessment]]:
        """The approaches kept, with their assessments, highest score first (unpacked one at a time)."""
        return ((s.approach, s.assessment()) for s in self.assessed if s.approach is not None)

    def attention(self) -> Iterator[Assessment]:
        """The assessments at medium or high, highest score first (unpacked one at a time)."""
        return (s.assessment() for s in self.assessed if s.band != "low")

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "approaches": [s.json_dict() for s in self.assessed],
            "exposure": self.exposure.to_json_dict(),
            "watchlist_hits": [h.to_json_dict() for h in self.watchlist_hits],
            "warnings": self.warnings,
        }

    def write_json(self, out: TextIO) -> None:
        """`json.dumps(self.to_json_dict(), indent=2)` and a line end, byte for byte, written assessment by
        assessment rather than built as one string."""
        out.write("{\n")
        for i, key in enumerate(("counts", "approaches", "exposure", "watchlist_hits", "warnings")):
            out.write(",\n" if i else "")
            if key != "approaches":
                value = getattr(self, key)
                value = value.to_json_dict() if key == "exposure" else value
                if key == "watchlist_hits":
                    value = [h.to_json_dict() for h in value]
                out.write(json.dumps({key: value}, ensure_ascii=False, indent=2)[2:-2])
                continue
            out.write('  "approaches": [')
            for j, screened in enumerate(self.assessed):
                item = "    " + json.dumps(screened.json_dict(), ensure_ascii=False, indent=2).replace("\n", "\n    ")
                out.write((",\n" if j else "\n") + item)
            out.write("\n  ]" if self.assessed else "]")
        out.write("\n}\n")


#: What a connection is screened by beside the watchlist: its photo, where one was given (`scan --photos`).
CONNECTION_DETECTORS = ("persona.generated_photo",)


def screen_connections(engine: Engine, connections: Sequence[PersonProfile]) -> list[ConnectionHit]:
    """Each connection against the watchlist, by the same watchlist detectors that screen a sender, and its
    photo (when it has one) by the sender's generated-face check."""
    detectors = [
        d
        for d in engine.registry.for_target("approach")
        if d.meta.family == "watchlist" or d.meta.id in CONNECTION_DETECTORS
    ]
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
    approaches: Iterable[Approach],
    connections: Sequence[PersonProfile],
    counts: dict[str, int],
    warnings: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
    *,
    keep_approaches: bool = True,
    rank: Mapping[str, int] | None = None,
    meaning: MeaningWhen = "unsure",
) -> ScanResult:
    """Screen `approaches` as they come (lazily, in the engine's batches). Without `keep_approaches` each
        approach is let go once assessed and only its verdict kept (packed): what the terminal summary and the JSON
        need, and what keeps a large archive's scan within bounded memory; the HTML report, which shows the
        approaches themselves, needs them kept. `warnings` is read at the end (a lazy archive adds
    to it as its approaches are taken). `rank` puts approaches of equal score in that order (a lazy archive's
        `Archive.rank`: the order of a whole reading) rather than the order they came in."""
    assessed: list[Screened] = []
    pending: deque[Approach] = deque()  # the engine's current batch: assessments come out in the same order

    def taken() -> Iterator[Approach]:
        for a in approaches:
            pending.append(a)
            yield a

    for assessment in engine.assess_many(taken(), meaning=meaning):
        a = pending.popleft()
        assessed.append(Screened.of(assessment, a if keep_approaches else None))
        if progress is not None:
            progress(1)
    if rank:
        order = {id(s): rank.get(s.id, len(rank) + i) for i, s in enumerate(assessed)}
        assessed.sort(key=lambda s: (-s.score, order[id(s)]))
    else:
        assessed.sort(key=lambda s: -s.score)
    exposure = exposure_assessment(owner.id, engine.audit(owner))
    return ScanResult(
        counts=dict(counts),
        assessed=assessed,
        exposure=exposure,
        owner=owner,
        watchlist_hits=screen_connections(engine, connections),
        warnings=list(warnings),
        photos_checked=sum(1 for c in connections if c.photo),
    )
