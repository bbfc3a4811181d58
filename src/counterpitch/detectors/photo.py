"""`persona.generated_photo`: the sender's photo shows a face a generator made (issue 14, decision 0071).

The one detector that reads a file: the photo the approach names (a local path or a data: URI; a URL is never
fetched). It costs nothing when there is no photo, which is nearly every approach of a bulk screening, and the
photo check (and the LiteRT interpreter behind it) is imported only when there is one. A photo that cannot be
read gives no finding here; the command that was handed it reports the error (`check --sender-photo`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from counterpitch.detectors.base import Detector, DetectorMeta, whole
from counterpitch.detectors.context import Context
from counterpitch.model import Approach, Finding, Profile

SOURCES = (
    "Stanford Internet Observatory (DiResta, Goldstein), 2022: over 1,000 LinkedIn profiles with GAN-made faces, "
    "the eyes always at the same place of the frame",
    "LinkedIn with UC Berkeley (Mundra, Nightingale, Farid), 2023: AI-generated profile photos detected, 99.6% "
    "caught at 1% false positives",
    "Karras, Laine, Aila 2019, StyleGAN / FFHQ: faces aligned so the eyes fall at fixed points of the frame",
)


@dataclass(frozen=True)
class GeneratedPhoto(Detector):
    """The sender's photo is, by the shipped photo model, a generated face: strength is the model's score."""

    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        if not isinstance(subject, Approach) or subject.sender is None or not subject.sender.photo:
            return
        ref = subject.sender.photo
        if ref.startswith(("http://", "https://", "//", "ftp://")):
            return  # never fetched: a URL says nothing until someone saves the image
        from counterpitch.photo import PhotoError, check_photo

        try:
            result = check_photo(ref)
        except PhotoError:
            return
        if not result.flag:
            return
        yield self.finding(
            [whole("sender.photo", ref).evidence(max_quote=80)],  # a data: URI is quoted by its start
            value=f"{result.generated:.2f}",
            strength=result.generated,
            explanation=f"{self.meta.explanation} Seen here: {'; '.join(result.reasons)}.",
        )


DETECTORS: list[Detector] = [
    GeneratedPhoto(
        DetectorMeta(
            id="persona.generated_photo",
            title="Sender's photo is a generated face",
            severity="medium",
            explanation=(
                "Fake personas wear faces made by a generator (StyleGAN and the like), so that a reverse image "
                "search finds nothing. This photo has a generator's marks: the eyes where StyleGAN's training "
                "alignment puts them, or a generator's pixel statistics."
            ),
            guidance=(
                "Do not take the face as proof of a real person. Ask for a short video call before going further, "
                "and tell your security team: the same face often comes back under other names."
            ),
            sources=SOURCES,
            attack=("T1585.001",),
            reads="sender",
        )
    )
]
