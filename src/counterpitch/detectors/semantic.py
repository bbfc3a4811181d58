"""The learnt wording indicator (family `semantic`): what the trained n-gram model makes of the message.

Rules catch the phrasings they were written for; this detector catches the rest by what it learnt from
labelled approaches. Its evidence is the words that moved it most, quoted where they stand, so the reader
can judge whether the resemblance is real.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from counterpitch.detectors.base import Detector, DetectorMeta
from counterpitch.detectors.context import Context
from counterpitch.model import Approach, Evidence, Finding, Profile
from counterpitch.semantic.textmodel import TextModel, document
from counterpitch.text import message_fields


@lru_cache(maxsize=8192)
def _gram_pattern(gram: str) -> re.Pattern[str]:
    """An n-gram as it may stand in text: its words whole, in any case, with anything but letters between."""
    return re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, gram.split())) + r"(?!\w)", re.IGNORECASE)


def _locate(approach: Approach, grams: list[str]) -> list[Evidence]:
    """Where each n-gram first stands in the sender's words (whole words, any case), offsets into the original
    text (lower-casing can change a string's length, so it is never used for offsets)."""
    fields = list(message_fields(approach))
    out = []
    for gram in grams:
        pattern = _gram_pattern(gram)
        for field, text in fields:
            m = pattern.search(text)
            if m:
                out.append(Evidence(field=field, start=m.start(), end=m.end(), quote=m.group(0)))
                break
    return out


@dataclass(frozen=True)
class WordingModel(Detector):
    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        yield from self.detect_many([subject], ctx)[0]

    def detect_many(self, subjects: Sequence[Approach | Profile], ctx: Context) -> list[list[Finding]]:
        """The model reads a whole batch of messages in one pass (see `TextModel.contributions_many`)."""
        model = ctx.text_model
        approaches = [s for s in subjects if isinstance(s, Approach)]
        if model is None or not approaches:
            return [[] for _ in subjects]
        scored = iter(model.contributions_many([document(a) for a in approaches], 12, model.explains_above))
        return [self._finding(s, *next(scored), model) if isinstance(s, Approach) else [] for s in subjects]

    def _finding(self, subject: Approach, z: float, parts: list[tuple[str, float]], model: TextModel) -> list[Finding]:
        strength = model.strength_of(z)
        if strength <= 0:
            return []
        p = 0.5 + strength / 2
        # Quote the telling n-grams: word pairs and longer words, not "so" or "the".
        top = [g for g, c in parts if c > 0 and (" " in g or len(g) >= 5)][:6]
        evidence = _locate(subject, top)[:4]
        if not evidence:
            evidence = [Evidence(field="text")]
        words = ", ".join(f"\u201c{g}\u201d" for g in top[:4])
        return [
            self.finding(
                evidence,
                strength=strength,
                explanation=f"{self.meta.explanation} Probability {p:.2f}; the words that weighed most: {words}.",
            )
        ]


DETECTORS: list[Detector] = [
    WordingModel(
        DetectorMeta(
            id="semantic.wording",
            title="The wording resembles hostile approaches",
            severity="medium",
            explanation="A model trained on labelled approaches finds this message's wording closer to "
            "cultivation attempts than to ordinary contact.",
            guidance="Read the message again for what it really asks of you, and check the sender independently.",
            sources=(
                "tradecraft.md, Message: payment for reports, flattery, a vague discreet role, off-platform moves",
                "MI5 espionage alert, 18 Nov 2025: offers of paid consultancy, trips, payment for insider insights",
            ),
            attack=("T1566.003",),
        )
    )
]
