"""Meaning-level indicators (family `semantic`), one detector per intent in data/intents.yaml.

They complement the phrase rules of the `lure` family: where a rule needs the words, these need only the
meaning. A finding quotes the sentence that carried the intent and names the prototype it resembled, so the
reader can judge the match.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from counterpitch.detectors.base import Detector
from counterpitch.detectors.context import Context
from counterpitch.model import Approach, Finding, Profile
from counterpitch.semantic.intents import Intent, load_intents


@dataclass(frozen=True)
class IntentDetector(Detector):
    low: float = 0.5
    high: float = 0.8

    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        if not isinstance(subject, Approach) or ctx.intents is None:
            return
        m = ctx.intents.match(subject).get(self.meta.id)
        if m is None:
            return
        strength = (m.similarity - self.low) / (self.high - self.low)
        yield self.finding(
            [m.span.evidence()],
            strength=max(0.05, min(1.0, strength)),
            explanation=f"{self.meta.explanation} This sentence reads like: \u201c{m.prototype}\u201d "
            f"(similarity {m.similarity:.2f}).",
        )


def _detector(intent: Intent) -> IntentDetector:
    return IntentDetector(meta=intent.meta, low=intent.low, high=intent.high)


DETECTORS: list[Detector] = [_detector(i) for i in load_intents()]
