"""The photo hash that links reports ("one face, many names", decision 0076): how far the same photo moves and how
close different faces come, on the development faces.

    python bench/photo_hash.py [--faces ../shared/data/faces] [--out bench/results/photo_hash.json]

Every photo is read as the service reads it (photo/load.py's `decode`), hashed as the service hashes it
(photo/keep.py's `phash_of`, imagehash's 64-bit pHash), then changed as a photo is on its way to another profile:
recompressed as JPEG at quality 70, resized to 200 px on the longer side, both, and cropped by up to 2%, 5% and
10% on each side (each side drawn on its own, photo/degrade.py). "Same" is the distance from the photo to its
changed copy; "different" is every pair of distinct photos. The threshold (keep.SAME_PHOTO_BITS) should hold
every same-photo copy of the first kinds and no pair of different faces.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._results import write_result  # noqa: E402

from counterpitch.photo.degrade import crop, jpeg, resize  # noqa: E402
from counterpitch.photo.keep import SAME_PHOTO_BITS, distance, phash_of  # noqa: E402
from counterpitch.photo.load import decode  # noqa: E402

SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def describe(values: list[int]) -> dict[str, Any]:
    a = np.asarray(values)
    return {
        "n": len(values),
        "within_threshold": round(float((a <= SAME_PHOTO_BITS).mean()), 4),
        "min": int(a.min()),
        "p1": float(np.percentile(a, 1)),
        "median": float(np.median(a)),
        "p99": float(np.percentile(a, 99)),
        "max": int(a.max()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=ROOT.parent / "shared" / "data" / "faces")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "photo_hash.json")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = sorted(p for p in args.faces.rglob("*") if p.suffix.lower() in SUFFIXES)
    rng = random.Random(args.seed)
    changes = {
        "jpeg70": lambda im: jpeg(im, 70),
        "resize200": lambda im: resize(im, 200),
        "resize200_jpeg70": lambda im: jpeg(resize(im, 200), 70),
        "crop2": lambda im: crop(im, rng, 0.02),
        "crop5": lambda im: crop(im, rng, 0.05),
        "crop10": lambda im: crop(im, rng, 0.10),
    }
    hashes: list[int] = []
    groups: list[str] = []
    same: dict[str, list[int]] = {k: [] for k in changes}
    started = time.perf_counter()
    for path in paths:
        image = decode(path.read_bytes(), path.name)
        h = phash_of(image)
        hashes.append(h)
        groups.append(path.parent.name)
        for name, change in changes.items():
            same[name].append(distance(h, phash_of(change(image))))
    hashing = (time.perf_counter() - started) / (len(paths) * (1 + len(changes)))
    different = [distance(a, b) for a, b in itertools.combinations(hashes, 2)]
    closest = sorted(
        (
            (distance(hashes[i], hashes[j]), paths[i].name, paths[j].name)
            for i, j in itertools.combinations(range(len(paths)), 2)
        ),
    )[:5]
    result = {
        "bench": "photo_hash",
        "hash": "imagehash.phash, 8x8 (64 bits), whole image as photo/load.decode gives it",
        "threshold_bits": SAME_PHOTO_BITS,
        "photos": len(paths),
        "sets": {g: groups.count(g) for g in sorted(set(groups))},
        "same_photo": {k: describe(v) for k, v in same.items()},
        "different_photos": describe(different),
        "different_pairs_at_most": {str(b): sum(d <= b for d in different) for b in (6, 8, 10, 12, 14)},
        "closest_different_pairs": [{"bits": d, "a": a, "b": b} for d, a, b in closest],
        "ms_per_hash_with_change": round(hashing * 1000, 2),
    }
    write_result(args.out, result)


if __name__ == "__main__":
    main()
