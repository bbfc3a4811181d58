"""The sender's photo in the service (issue 14 item 4, decision 0076): taken from a report, kept small, served alone.

A report's photo comes as a `data:image/...;base64,` URI in `sender.photo` (the API) or as a file chosen on the
report form, which the form turns into one. Anything else in `sender.photo` is refused: a path would have the
server read its own files, and a URL is never fetched. The image is read by the photo check's safe loader
(photo/load.py: size and pixel limits from the header, truncation an error), so a bad image is a 422 naming the
photo before anything is assessed or stored. What is kept is photo/keep.py's thumbnail and hash; the stored
approach does not carry the upload.

The thumbnail is served by its own route, as a PNG with the service's headers (CSP, nosniff, no-store), to those
who may see the report: analysts and admins, and the reporter who made it (reporter_pages.report_photo). It
is never inlined into a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from counterpitch.model import Approach

if TYPE_CHECKING:  # imagehash (and SciPy behind it) load with the first photo, not with the service
    from counterpitch.photo.keep import KeptPhoto

DATA_URI = "data:"


class PhotoRefused(ValueError):
    """The sender's photo cannot be taken: the message names the field and the photo."""


@dataclass(frozen=True)
class TakenPhoto:
    """What a report keeps of its photo: the thumbnail and hash, and how many faces the photo check found."""

    kept: KeptPhoto
    faces: int


def refuse_unreadable_ref(approach: Approach) -> None:
    """A `sender.photo` that is not a data: URI is refused before anything reads it (a server path, a URL)."""
    ref = approach.sender.photo if approach.sender is not None else None
    if ref and not ref.startswith(DATA_URI):
        raise PhotoRefused(
            "sender.photo: send the photo itself, as a data:image/...;base64, URI "
            "(the service reads no file path and fetches no URL)"
        )


def take_photo(approach: Approach, name: str | None = None) -> tuple[Approach, TakenPhoto | None]:
    """The approach as it is stored (without the upload) and what to keep of its photo; `name` is what a
    refusal calls the photo (the uploaded file's name), else `sender.photo`. Raises PhotoRefused."""
    refuse_unreadable_ref(approach)
    sender = approach.sender
    if sender is None or not sender.photo:
        return approach, None
    from counterpitch.photo.keep import keep
    from counterpitch.photo.landmarks import find_faces
    from counterpitch.photo.load import PhotoError, decode, read_bytes

    try:
        data, _ = read_bytes(sender.photo)
        image = decode(data, name or "sender.photo")
    except PhotoError as exc:
        raise PhotoRefused(f"sender.photo: {exc}" if name else str(exc)) from None
    taken = TakenPhoto(keep(image), len(find_faces(image)))
    return approach.model_copy(update={"sender": sender.model_copy(update={"photo": None})}), taken


def photo_url(report_id: int) -> str:
    return f"/reports/{report_id}/photo"
