"""The learnt wording indicator (family `semantic`): what the trained n-gram model makes of the message.

Rules catch the phrasings they were written for; this detector catches the rest by what it learnt from
labelled approaches. Its evidence is the words that moved it most, quoted where they stand, so the reader
can judge whether the resemblance is real.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from counterpitch.detectors.base import Detector, DetectorMeta
from counterpitch.detectors.context import Context
from counterpitch.model import Approach, Evidence, Finding, Profile
from counterpitch.semantic.textmodel import document
from counterpitch.text import message_fields


def _locate(approach: Approach, grams: list[str]) -> list[Evidence]:
    """Where each n-gram first stands in the sender's words (whole words, any case), offsets into the original
    text (lower-casing can change a string's length, so it is never used for offsets)."""
    fields = list(message_fields(approach))
    out = []
    for gram in grams:
        pattern = re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, gram.split())) + r"(?!\w)", re.IGNORECASE)
        for field, text in fields:
            m = pattern.search(text)
            if m:
                out.append(Evidence(field=field, start=m.start(), end=m.end(), quote=m.group(0)))
                break
    return out


@dataclass(frozen=True)
class WordingModel(Detector):
    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        if not isinstance(subject, Approach) or ctx.text_model is None:
            return
        z, parts = ctx.text_model.contributions(document(subject), top=12)
        strength = ctx.text_model.strength_of(z)
        if strength <= 0:
            return
        p = 0.5 + strength / 2
        # Quote the telling n-grams: word pairs and longer words, not "so" or "the".
        top = [g for g, c in parts if c > 0 and (" " in g or len(g) >= 5)][:6]
        evidence = _locate(subject, top)[:4]
        if not evidence:
            evidence = [Evidence(field="text")]
        words = ", ".join(f"\u201c{g}\u201d" for g in top[:4])
        yield self.finding(
            evidence,
            strength=strength,
            explanation=f"{self.meta.explanation} Probability {p:.2f}; the words that weighed most: {words}.",
        )


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
