"""What happens to a photo on its way to a profile: recompression, resizing, cropping. The check is fitted on
these (scripts/fit_photo.py) so that it does not learn the file format of its training sets, and measured on them
(bench/photos.py)."""

from __future__ import annotations

import io
import random

from PIL import Image


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as out:
        return out.convert("RGB")


def resize(image: Image.Image, side: int) -> Image.Image:
    """The longer side to `side` pixels, the aspect kept."""
    w, h = image.size
    scale = side / max(w, h)
    return image.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.LANCZOS)


def crop(image: Image.Image, rng: random.Random, most: float = 0.10) -> Image.Image:
    """Up to `most` of the width or height cut from each side, each side drawn on its own."""
    w, h = image.size
    left, right = rng.uniform(0, most) * w, rng.uniform(0, most) * w
    top, bottom = rng.uniform(0, most) * h, rng.uniform(0, most) * h
    return image.crop((round(left), round(top), round(w - right), round(h - bottom)))


def variants(image: Image.Image, rng: random.Random) -> list[Image.Image]:
    """The training variants of one photo: as it is, recompressed, resized (twice, once small
    and recompressed, as profile photos are), cropped, and all three at once."""
    return [
        image,
        jpeg(image, rng.randint(55, 95)),
        resize(image, rng.randint(150, 400)),
        jpeg(resize(image, rng.randint(150, 260)), rng.randint(70, 95)),
        crop(image, rng),
        jpeg(resize(crop(image, rng), rng.randint(150, 400)), rng.randint(55, 95)),
    ]
