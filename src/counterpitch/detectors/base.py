"""What a detector is: declarative metadata plus one pure function from a subject to findings.

A detector never does I/O and never weighs what it saw: it reports evidence, and `scoring` decides what that is
worth. Its `id` is a public contract (reports, suppressions and shared indicators refer to it), so ids are
stable dotted names, family first.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from counterpitch.model import Approach, Evidence, Finding, Profile, Severity
from counterpitch.text import Span as Span  # where it lives (text splits fields into spans); named here too

if TYPE_CHECKING:
    from counterpitch.detectors.context import Context

Target = Literal["approach", "profile"]

#: Finding(**fields) less BaseModel.__init__'s Python frame: the same validation, a third cheaper, for the model
#: every detector makes most (Evidence likewise, in text.py).
_new_finding: Callable[[dict[str, object]], Finding] = Finding.__pydantic_validator__.validate_python
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
ATTACK_PATTERN = re.compile(r"^T[0-9]{4}(\.[0-9]{3})?$")


@dataclass(frozen=True)
class DetectorMeta:
    id: str
    title: str
    severity: Severity
    explanation: str
    guidance: str
    sources: tuple[str, ...]
    attack: tuple[str, ...] = ()
    target: Target = "approach"
    #: What the detector reads. "sender" declares that its findings depend on the sender's profile alone, so
    #: the engine may reuse them for other approaches from the same sender (one persona writes to many).
    reads: Literal["approach", "sender"] = "approach"

    def __post_init__(self) -> None:
        if not ID_PATTERN.match(self.id):
            raise ValueError(f"detector id {self.id!r} is not a dotted lower-case name such as lure.paid_reports")
        if not self.sources:
            raise ValueError(f"detector {self.id}: every detector must cite at least one source")
        bad = [a for a in self.attack if not ATTACK_PATTERN.match(a)]
        if bad:
            raise ValueError(f"detector {self.id}: not ATT&CK technique ids: {bad}")

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class Detector(ABC):
    """One indicator. Subclasses set `meta` and implement `detect`; both must stay picklable."""

    meta: DetectorMeta

    @abstractmethod
    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        """Yield what was seen in `subject`, each with its evidence."""

    def detect_many(self, subjects: Sequence[Approach | Profile], ctx: Context) -> list[list[Finding]]:
        """`detect` on each subject, in order. A detector whose work vectorises across messages overrides
        this; the results must stay exactly those of `detect` one by one."""
        return [list(self.detect(s, ctx)) for s in subjects]

    def finding(
        self,
        evidence: Iterable[Evidence],
        *,
        value: str | None = None,
        strength: float = 1.0,
        explanation: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        m = self.meta
        return _new_finding(
            {
                "detector": m.id,
                "title": m.title,
                "severity": severity or m.severity,
                "value": value,
                "evidence": tuple(evidence),
                "explanation": explanation or m.explanation,
                "guidance": m.guidance,
                "attack": m.attack,
                "sources": m.sources,
                "strength": max(0.0, min(1.0, strength)),
            }
        )


def whole(field: str, value: str) -> Span:
    """All of one field's value as a span (a name, an address, a date): quoted as evidence like any other."""
    return Span(field, 0, len(value), value)


def evidence_of(spans: Sequence[Span]) -> tuple[Evidence, ...]:
    return tuple([s.evidence() for s in spans])
