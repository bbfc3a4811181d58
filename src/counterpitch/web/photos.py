"""The sender's photo in the service (issue 14 item 4, decision 0076): taken from a report, kept small, served alone.

A report's photo comes as a `data:image/...;base64,` URI in `sender.photo` (the API) or as a file chosen on the
report form, which the form turns into one. Anything else in `sender.photo` is refused: a path would have the
server read its own files, and a URL is never fetched. The image is read by the photo check's safe loader
(photo/load.py: size and pixel limits from the header, truncation an error) in a child process stopped at the
upload limits (ingest/isolated.py), so a bad image is a 422 naming the photo before anything is assessed or
stored. The engine then assesses the decoded image as the child wrote it again (a lossless PNG of the same
pixels), never the upload. What is kept is photo/keep.py's thumbnail and hash; the stored approach does not
carry the upload.

The thumbnail is served by its own route, as a PNG with the service's headers (CSP, nosniff, no-store), to those
who may see the report: analysts and admins, and the reporter who made it (reporter_pages.report_photo). It
is never inlined into a page.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from counterpitch.ingest import isolated
from counterpitch.model import Approach

DATA_URI = "data:"
#: What the child calls a photo sent without a file name (the API's data: URI); dropped from its messages.
_UNNAMED = "<photo>"


class PhotoRefused(ValueError):
    """The sender's photo cannot be taken: the message names the field and the photo."""


@dataclass(frozen=True)
class TakenPhoto:
    """What a report keeps of its photo (photo/keep.py): the thumbnail (PNG), its size, the pHash, and how many
    faces the photo check found (only a photo with a face links reports: campaigns/photos.py)."""

    thumbnail: bytes
    width: int
    height: int
    phash: int
    faces: int
    media_type: str = "image/png"


@dataclass(frozen=True)
class Taken:
    """The approach to assess (its photo the safe copy the child wrote), the approach to store (no photo), and
    what to keep of the photo (None without one)."""

    assessed: Approach
    stored: Approach
    photo: TakenPhoto | None


def refuse_unreadable_ref(approach: Approach) -> None:
    """A `sender.photo` that is not a data: URI is refused before anything reads it (a server path, a URL)."""
    ref = approach.sender.photo if approach.sender is not None else None
    if ref and not ref.startswith(DATA_URI):
        raise PhotoRefused(
            "sender.photo: send the photo itself, as a data:image/...;base64, URI "
            "(the service reads no file path and fetches no URL)"
        )


def take_photo(approach: Approach, name: str | None = None, limits: isolated.Limits | None = None) -> Taken:
    """Read the sender's photo in a child process stopped at `limits` (ingest/isolated.py, with the photo
    check's safe loader). `name` is what a refusal calls the photo (the uploaded file's name), else
    `sender.photo`. Raises PhotoRefused naming the field and the photo; nothing has been assessed or stored."""
    refuse_unreadable_ref(approach)
    sender = approach.sender
    if sender is None or not sender.photo:
        return Taken(approach, approach, None)
    from counterpitch.photo.load import PhotoError, read_bytes

    try:
        data, _ = read_bytes(sender.photo)
        read = isolated.read_photo(data, name or _UNNAMED, limits or isolated.Limits())
    except PhotoError as exc:  # a data: URI that is not base64, or too long to be a photo
        raise PhotoRefused(f"sender.photo: {exc}") from None
    except isolated.ReadError as exc:  # the loader's or the limit's message, naming the field and the file
        raise PhotoRefused(str(exc).replace(f"{_UNNAMED}: ", "")) from None
    safe = "data:image/png;base64," + base64.b64encode(read.working_png).decode("ascii")
    assessed = approach.model_copy(update={"sender": sender.model_copy(update={"photo": safe})})
    stored = approach.model_copy(update={"sender": sender.model_copy(update={"photo": None})})
    return Taken(assessed, stored, TakenPhoto(read.thumbnail, read.width, read.height, read.phash, read.faces))


def photo_url(report_id: int) -> str:
    return f"/reports/{report_id}/photo"
