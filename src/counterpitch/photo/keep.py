"""What the service keeps of a sender's photo: a small thumbnail re-encoded here, and a perceptual hash.

The original bytes are never stored: the image is read by the safe loader (`load.decode`: size and pixel limits
from the header, truncation an error), reduced to `THUMB_SIDE` pixels and written out again as a PNG by Pillow,
which carries no EXIF, GPS, ICC or comment from the upload. The hash is imagehash's pHash (64 bits, DCT of a
32 x 32 greyscale) of the whole decoded image: the same photo recompressed or resized stays within a few bits,
different faces are far apart (docs/decisions/0076-photo-hash-campaign-links.md, bench/photo_hash.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import imagehash
from PIL import Image

#: The thumbnail's longer side: enough to recognise a face on a case page, too small to be worth stealing.
THUMB_SIDE = 128
#: Two photos whose pHashes differ in at most this many of 64 bits show the same picture (decision 0076).
SAME_PHOTO_BITS = 6
MEDIA_TYPE = "image/png"


@dataclass(frozen=True)
class KeptPhoto:
    """A photo as stored: the thumbnail's PNG bytes, its size, and the pHash as a signed 64-bit integer (so that
    PostgreSQL's BIGINT and SQLite's INTEGER hold it alike)."""

    thumbnail: bytes
    width: int
    height: int
    phash: int
    media_type: str = MEDIA_TYPE


def phash_of(image: Image.Image) -> int:
    """The 64-bit pHash of an RGB image, as a signed integer."""
    bits = imagehash.phash(image, hash_size=8).hash.flatten()
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return value - (1 << 64) if value >= 1 << 63 else value


def distance(a: int, b: int) -> int:
    """How many of the 64 bits two pHashes differ in."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def keep(image: Image.Image) -> KeptPhoto:
    """The thumbnail and hash of a decoded image (RGB, as `load.decode` gives it)."""
    thumb = image.convert("RGB")
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    thumb.save(out, "PNG", optimize=True)  # a fresh file: nothing of the upload's metadata comes along
    return KeptPhoto(out.getvalue(), thumb.width, thumb.height, phash_of(image))


__all__ = ["SAME_PHOTO_BITS", "THUMB_SIDE", "KeptPhoto", "distance", "keep", "phash_of"]
