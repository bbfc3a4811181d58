"""One audit pass: profiles in, the organisation summary and the mosaic extract out, in bounded memory.

`Partial` is what a runner accumulates per partition and reduces with `merge`: the single-process CLI uses one,
a Dask run one per partition (merge is associative and commutative, so any reduction tree gives the same
result). `on_person` lets a caller stream each Assessment out as it is made (JSONL, CSV).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from counterpitch.audit.approached import ApproachedIndex
from counterpitch.audit.core import audit_profile
from counterpitch.audit.faces import Faces
from counterpitch.audit.mosaic import MAX_PEOPLE, Mosaic
from counterpitch.audit.summary import TOP_K, OrgSummary
from counterpitch.engine import Engine
from counterpitch.model import Assessment, Profile


@dataclass
class Partial:
    summary: OrgSummary = field(default_factory=OrgSummary)
    mosaic: Mosaic = field(default_factory=Mosaic)

    @classmethod
    def empty(
        cls,
        *,
        top_k: int = TOP_K,
        approached: ApproachedIndex | None = None,
        max_people: int = MAX_PEOPLE,
        photos: str | None = None,
    ) -> Partial:
        """`photos`: a folder of the profiles' photos (audit/faces.py), by absolute path."""
        return cls(OrgSummary(top_k, approached, faces=Faces(photos)), Mosaic(max_people))

    def add(self, profile: Profile, assessment: Assessment) -> None:
        self.summary.add(profile, assessment)
        self.mosaic.add(profile, assessment)

    def merge(self, other: Partial) -> Partial:
        return Partial(self.summary.merge(other.summary), self.mosaic.merge(other.mosaic))


def audit_into(
    engine: Engine,
    profiles: Iterable[Profile],
    partial: Partial,
    on_person: Callable[[Profile, Assessment], None] | None = None,
) -> Partial:
    """Audit every profile into `partial` (changed in place and returned)."""
    for p in profiles:
        a = audit_profile(engine, p)
        partial.add(p, a)
        if on_person is not None:
            on_person(p, a)
    return partial
