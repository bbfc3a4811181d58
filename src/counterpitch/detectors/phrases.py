"""Detectors declared as data: co-occurring patterns within one sentence, with vetoes and negation.

Most message indicators are "this kind of thing near that kind of thing" (money near reports, a messenger
app near a request to move). Declaring them in YAML keeps word lists out of code, lets a user add their own
without writing Python, and keeps each rule auditable next to the source it rests on (presidio's
recognizers-as-data, in spirit).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from counterpitch.detectors.base import Detector, DetectorMeta, Span
from counterpitch.detectors.context import Context
from counterpitch.model import Approach, Finding, Profile
from counterpitch.text import clean, message_fields, profile_fields, sentences

Scope = Literal["message", "sender", "recipient", "subject_text"]

# A negation cue a few words before the matched term: "will not ask for", "no need to", "never share".
_NEGATION = re.compile(
    r"(?:\bno\b|\bnot\b|\bnever\b|n't\b|\bwithout\b|\bnor\b|\bneither\b|\bprohibit\w*|\bforbid\w*|"
    r"\bbans?\b|\bbarred\b|\brefus\w*|\bexclud\w*|\bavoid\w*|\bnothing\b|\bnobody\b|\bnone\b)"
    r"(?:\W+\w+){0,5}\W*$",
    re.IGNORECASE,
)
_FLAGS = re.IGNORECASE | re.UNICODE
# A match that is itself a negative statement ("no paperwork", "nothing is written down", "don't tell") is the
# indicator, not a negated one: the negation test applies only to matches that do not start like this.
_SELF_NEGATING = re.compile(r"^(?:no|not|never|nothing|nobody|none|without|don.t|do not|doesn.t|won.t|needn.t)\b", re.I)


@dataclass(frozen=True)
class PhraseDetector(Detector):
    all_of: tuple[tuple[re.Pattern[str], ...], ...] = ()
    none_of: tuple[re.Pattern[str], ...] = ()
    scope: Scope = "message"
    negatable: bool = True
    #: Sentences on either side that count as "the same place" (0 = the sentence itself).
    window: int = 0

    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        if not isinstance(subject, Approach):
            return
        hits: list[Span] = []
        for field, text in self._fields(subject):
            spans = list(sentences(field, clean(text)))
            for i, span in enumerate(spans):
                lo, hi = max(0, i - self.window), min(len(spans), i + self.window + 1)
                if self._matches(spans[lo:hi]):
                    hits.append(span)
        if hits:
            # Many matching sentences say the same thing more firmly, with diminishing returns.
            yield self.finding((h.evidence() for h in hits[:5]), strength=min(1.0, 0.75 + 0.25 * len(hits)))

    def _fields(self, approach: Approach) -> Iterator[tuple[str, str]]:
        if self.scope == "message":
            yield from message_fields(approach)
        elif self.scope == "sender" and approach.sender:
            yield from profile_fields(approach.sender, "sender")
        elif self.scope == "recipient" and approach.recipient:
            yield from profile_fields(approach.recipient, "recipient")

    def _matches(self, window: Sequence[Span]) -> bool:
        texts = [s.text[s.start : s.end] for s in window]
        if any(p.search(t) for p in self.none_of for t in texts):
            return False
        return all(any(self._positive(p, t) for p in group for t in texts) for group in self.all_of)

    def _positive(self, pattern: re.Pattern[str], text: str) -> bool:
        return any(
            not self.negatable or _SELF_NEGATING.match(m.group(0)) or not _NEGATION.search(text[: m.start()])
            for m in pattern.finditer(text)
        )


def _compile(patterns: Sequence[str], where: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p, _FLAGS))
        except re.error as exc:
            raise ValueError(f"{where}: bad pattern {p!r}: {exc}") from exc
    return tuple(out)


def from_spec(spec: Mapping[str, Any], where: str) -> PhraseDetector:
    """Build one detector from its YAML mapping; `where` names the file for error messages."""
    try:
        meta = DetectorMeta(
            id=spec["id"],
            title=spec["title"],
            severity=spec["severity"],
            explanation=" ".join(spec["explanation"].split()),
            guidance=" ".join(spec["guidance"].split()),
            sources=tuple(spec["sources"]),
            attack=tuple(spec.get("attack", ())),
        )
        match = spec["match"]
        groups = match["all_of"]
        if not groups or not all(isinstance(g, list) and g for g in groups):
            raise ValueError("match.all_of must be a non-empty list of non-empty pattern lists")
        ident = spec["id"]
        return PhraseDetector(
            meta=meta,
            all_of=tuple(_compile(g, f"{where}: {ident}: all_of") for g in groups),
            none_of=_compile(match.get("none_of", []), f"{where}: {ident}: none_of"),
            scope=spec.get("scope", "message"),
            negatable=bool(match.get("negatable", True)),
            window=int(match.get("window", 0)),
        )
    except KeyError as exc:
        raise ValueError(f"{where}: detector {spec.get('id', '?')}: missing field {exc.args[0]!r}") from exc
