"""Reading an image safely: every way a file can fail becomes one `PhotoError` that names it, before work is done.

A photo comes from a stranger, so the limits are set here deliberately rather than left to Pillow's defaults:
the file's size is checked before it is read, the pixel count from the header before anything is decoded (a
20,000 x 20,000 PNG of a few kilobytes is refused on its header, in milliseconds), a truncated file is an error
rather than half an image, and only the formats a profile photo comes in are opened. A URL is never fetched.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import warnings
from pathlib import Path

from PIL import Image, ImageFile, UnidentifiedImageError

#: The largest file read: a profile photo is a few hundred kilobytes; a press photo a few megabytes.
MAX_BYTES = 25 * 1024 * 1024
#: The most pixels decoded (about a 50-megapixel camera's frame). Pillow's own limit is set to the same number,
#: so that nothing else in this process decodes a bigger image by accident.
MAX_PIXELS = 50_000_000
#: Formats a profile photo comes in. TIFF, PSD, EPS and the rest are refused unread.
FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP")
#: The side an image is reduced to before analysis: the checks work on faces a few hundred pixels wide.
WORK_SIDE = 1024

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False

_DATA_URI = re.compile(r"^data:image/[a-z0-9.+-]+;base64,", re.IGNORECASE)


class PhotoError(ValueError):
    """An image that cannot be read, with the name of the file (or `<data: URI>`) it came from."""


def read_bytes(ref: str | Path) -> tuple[bytes, str]:
    """The bytes of a photo given as a path or a `data:image/...;base64,` URI, and the name to report it by.

    A URL is refused, never fetched: the check runs offline, and fetching a sender's image would tell them who
    looked.
    """
    text = str(ref)
    if text.startswith(("http://", "https://", "ftp://", "//")):
        raise PhotoError(f"{text}: a URL; photos are never fetched, save the image and give its file")
    if text.startswith("data:"):
        name = "<data: URI>"
        if not _DATA_URI.match(text):
            raise PhotoError(f"{name}: only base64 data:image/... URIs are read")
        payload = text.split(",", 1)[1]
        if len(payload) > MAX_BYTES * 4 // 3 + 4:
            raise PhotoError(f"{name}: larger than {MAX_BYTES // 1024 // 1024} MB")
        try:
            return base64.b64decode(payload, validate=True), name
        except (binascii.Error, ValueError):
            raise PhotoError(f"{name}: not valid base64") from None
    path = Path(text)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise PhotoError(f"{text}: not a file")
        if size > MAX_BYTES:
            raise PhotoError(f"{text}: {size / 1024 / 1024:.0f} MB, larger than {MAX_BYTES // 1024 // 1024} MB")
        return path.read_bytes(), text
    except FileNotFoundError:
        raise PhotoError(f"{text}: no such file") from None
    except PermissionError:
        raise PhotoError(f"{text}: not allowed to read it") from None
    except OSError as exc:
        raise PhotoError(f"{text}: cannot read it ({exc.strerror or exc})") from None


def decode(data: bytes, name: str) -> Image.Image:
    """The image in `data` as RGB, at most `WORK_SIDE` on its longer side; every failure a `PhotoError`."""
    if not data:
        raise PhotoError(f"{name}: empty file")
    if len(data) > MAX_BYTES:
        raise PhotoError(f"{name}: larger than {MAX_BYTES // 1024 // 1024} MB")
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice it; here that is an error too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data), formats=FORMATS)
        except UnidentifiedImageError:
            raise PhotoError(f"{name}: not an image Counterpitch reads ({', '.join(FORMATS)})") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoError(f"{name}: more than {MAX_PIXELS:,} pixels (a decompression bomb?)") from None
        except (OSError, ValueError, SyntaxError) as exc:
            raise PhotoError(f"{name}: not a readable image ({exc})") from None
        w, h = im.size
        if w * h > MAX_PIXELS:
            raise PhotoError(f"{name}: {w:,} x {h:,} pixels, more than {MAX_PIXELS:,} (a decompression bomb?)")
        if w < 16 or h < 16:
            raise PhotoError(f"{name}: {w} x {h} pixels, too small to hold a face")
        try:
            if im.format == "JPEG":
                im.draft("RGB", (WORK_SIDE, WORK_SIDE))  # decode at a reduced scale: fast and bounded
            im.load()
            rgb = im.convert("RGB")
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoError(f"{name}: more than {MAX_PIXELS:,} pixels (a decompression bomb?)") from None
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            what = "truncated" if "truncated" in str(exc) else f"damaged ({exc})"
            raise PhotoError(f"{name}: the image is {what}") from None
    if max(rgb.size) > WORK_SIDE:
        rgb.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BILINEAR)
    return rgb


def load_photo(ref: str | Path) -> tuple[Image.Image, str]:
    """The photo at `ref` (a path or a data: URI) decoded to RGB, and the name to report it by."""
    data, name = read_bytes(ref)
    return decode(data, name), name
