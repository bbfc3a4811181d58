"""What the four exposure detectors share: the hits a scan returns, the discount for negated or commentary
mentions, and the detector shape that turns a scan into findings (one per distinct value)."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field

from counterpitch.detectors.base import Detector, Span, evidence_of
from counterpitch.detectors.context import Context
from counterpitch.detectors.exposure.lists import ROLES
from counterpitch.detectors.exposure.text import _CLAUSE_BREAK, _SCOPE_END, _SENTENCE_BREAK, _bounds, _last, _last_words
from counterpitch.model import Approach, Finding, Profile

# --- what a scan returns --------------------------------------------------------------------------------------


#: Places quoted per finding: enough to find and fix each, without copying a whole profile into a report.
_MAX_EVIDENCE = 5
#: Mentions judged per pattern and field. No real field names a clearance or a programme this often; the cap
#: keeps a hostile or garbled input (a field of "SC SC SC ...") from costing more than a real profile.
_MAX_MENTIONS = 50


@dataclass
class _Hits:
    """Every place one value was seen, and how firmly (a bare or corroborated sighting is weaker)."""

    spans: list[Span] = field(default_factory=list)
    strength: float = 0.0
    seen: set[tuple[str, int, int]] = field(default_factory=set)
    #: The words that decided each sighting ("“cleared”", "works on"), first seen first, for the explanation.
    cues: list[str] = field(default_factory=list)

    def add(self, span: Span, strength: float, cue: str = "") -> None:
        key = (span.field, span.start, span.end)
        if key not in self.seen and len(self.spans) < _MAX_EVIDENCE:
            self.seen.add(key)
            self.spans.append(span)
            if cue and cue not in self.cues:
                self.cues.append(cue)
        self.strength = max(self.strength, strength)


Scan = dict[str, _Hits]


def _discounted(text: str, start: int, clause_only: bool = False) -> bool:
    """Negated, aspirational or commentary: "never worked for GCHQ", "I write about the Type 26 deal". A
    commentary cue is looked for in the sentence before the mention, or with `clause_only` in its clause."""
    lo, _ = _bounds(_CLAUSE_BREAK, text, start, start)
    window = _last_words(text[lo:start], 5)
    cue = _last(ROLES.negation, window, 0, len(window))
    if cue is not None and not _SCOPE_END.search(window, cue.end()):
        return True
    if clause_only:
        return bool(ROLES.commentary.search(text[lo:start]))
    sentence_start, _ = _bounds(_SENTENCE_BREAK, text, start, start)
    return bool(ROLES.commentary.search(text[sentence_start:start]))


# --- the detectors --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ExposureDetector(Detector):
    """One finding per distinct value the scan saw, with the first places it was seen (in field order)."""

    @abstractmethod
    def scan(self, profile: Profile, ctx: Context) -> Scan: ...

    @abstractmethod
    def describe(self, value: str) -> str: ...

    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        if not isinstance(subject, Profile):
            return
        for value, hits in self.scan(subject, ctx).items():
            decided = f" Decided by: {'; '.join(hits.cues)}." if hits.cues else ""
            yield self.finding(
                evidence_of(hits.spans),
                value=value,
                strength=hits.strength,
                explanation=f"{self.describe(value)}{decided} {self.meta.explanation}",
            )


# --- sources more than one detector cites --------------------------------------------------------------------

_ASIO = (
    "ASIO, July 2025: over 35,000 Australian profiles imply access to sensitive information; "
    "about 2,500 state a clearance"
)
_NPSA = (
    "NPSA Think Before You Link: don't advertise a clearance or sensitive role online; keep profile detail to a minimum"
)
