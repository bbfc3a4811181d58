"""The verdict on one photo: features -> the shipped logistic model -> `generated` (0..1), `flag`, reasons.

The model (`data/photo_model.json`) is small and plain: a template for the eyes, a mean and scale per feature,
one weight each and a threshold, all written by scripts/fit_photo.py. No pickles, nothing downloaded.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from counterpitch.photo.features import GEOMETRY_NAMES, STAT_NAMES, geometry, statistics
from counterpitch.photo.landmarks import find_faces
from counterpitch.photo.load import PhotoError, load_photo

MODEL_FILE = "photo_model.json"

#: Eyes within this many spreads of the template, in every coordinate, "sit where StyleGAN puts them".
ON_TEMPLATE = 4.0
#: The same for FFHQ's frame (centre, size, rotation), as it is (feature 6) and after a crop (feature 8).
#: A crop of at most 10% a side explains the eyes' places to within this many hundredths of the frame.
ON_CROPPED = 1.0


@dataclass(frozen=True)
class PhotoModel:
    template: tuple[float, ...]
    spread: tuple[float, ...]
    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    @classmethod
    def from_json(cls, doc: dict[str, Any], where: str) -> PhotoModel:
        names = tuple(doc["features"])
        if names != (*GEOMETRY_NAMES, *STAT_NAMES):
            raise ValueError(f"{where}: features {names} are not those this version computes")
        mean, scale, coef = (np.asarray(doc[k], dtype=np.float64) for k in ("mean", "scale", "coef"))
        if any(a.shape != (len(names),) for a in (mean, scale, coef)) or not (0.0 < doc["threshold"] < 1.0):
            raise ValueError(f"{where}: mean, scale and coef need one number per feature, threshold 0..1")
        if len(doc["template"]) != 11 or len(doc["spread"]) != 11 or min(doc["spread"]) <= 0:
            raise ValueError(f"{where}: the template needs eleven places and eleven positive spreads")
        return cls(
            tuple(doc["template"]),
            tuple(doc["spread"]),
            names,
            mean,
            scale,
            coef,
            float(doc["intercept"]),
            float(doc["threshold"]),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "template": list(self.template),
            "spread": list(self.spread),
            "features": list(self.names),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }

    def contributions(self, x: np.ndarray) -> np.ndarray:
        return np.asarray((x - self.mean) / self.scale * self.coef)

    def probability(self, x: np.ndarray) -> float:
        z = float(self.contributions(x).sum() + self.intercept)
        if not math.isfinite(z):
            raise ValueError("the photo's features are not finite numbers")
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@lru_cache(maxsize=1)
def shipped_model() -> PhotoModel:
    where = f"counterpitch/data/{MODEL_FILE}"
    doc = json.loads((resources.files("counterpitch") / "data" / MODEL_FILE).read_text("utf-8"))
    return PhotoModel.from_json(doc, where)


@dataclass(frozen=True)
class PhotoResult:
    """One photo's result. `generated` is the model's probability that the face was made by a generator."""

    path: str
    generated: float
    flag: bool
    faces: int
    reasons: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "generated": round(self.generated, 4),
            "flag": self.flag,
            "faces": self.faces,
            "reasons": list(self.reasons),
        }


def features(image: Image.Image, model: PhotoModel) -> tuple[np.ndarray, int]:
    """The model's feature vector for `image`, and how many faces were found."""
    faces = find_faces(image)
    face = faces[0] if faces else None
    return np.concatenate([geometry(face, model.template, model.spread), statistics(image, face)]), len(faces)


def judge(image: Image.Image, name: str, model: PhotoModel | None = None) -> PhotoResult:
    """The verdict on an image already loaded. Without a face there is nothing to judge: the statistics were
    fitted on faces, and a logo or a landscape is no evidence of a generated person (score 0, no flag)."""
    m = model or shipped_model()
    x, faces = features(image, m)
    if faces == 0:
        return PhotoResult(name, 0.0, False, 0, ("no face found: nothing to judge",))
    p = m.probability(x)
    return PhotoResult(name, p, p >= m.threshold, faces, _reasons(x, faces, p, m))


def check_photo(ref: str | Path, model: PhotoModel | None = None) -> PhotoResult:
    """The verdict on the photo at `ref` (a path or a data: URI). Raises `PhotoError` when it cannot be read."""
    image, name = load_photo(ref)
    return judge(image, name, model)


def _reasons(x: np.ndarray, faces: int, p: float, m: PhotoModel) -> tuple[str, ...]:
    out = []
    if faces > 1:
        out.append(f"{faces} faces: the largest was measured")
    if x[0] <= ON_TEMPLATE:
        out.append(
            "the eyes sit exactly where StyleGAN's FFHQ alignment puts them "
            f"(within {x[0]:.1f} times the spread seen on generated faces)"
        )
    elif x[5] <= math.log1p(ON_TEMPLATE):
        out.append(
            "the face is framed exactly as StyleGAN's FFHQ alignment frames it (centre, size and rotation "
            f"within {math.expm1(x[5]):.1f} times the spread seen on generated faces)"
        )
    elif x[4] <= ON_CROPPED or x[7] <= math.log1p(ON_TEMPLATE):
        out.append(
            "the eyes sit where StyleGAN's FFHQ alignment puts them in a frame cropped by up to 10% a side, "
            f"and are level within {x[3]:.1f} degrees"
        )
    else:
        out.append("the eyes are not where StyleGAN's FFHQ alignment puts them")
    stats = float(m.contributions(x)[len(GEOMETRY_NAMES) :].sum())
    if stats > 1.0:
        out.append("frequency, noise and colour statistics of a generator")
    elif stats < -1.0:
        out.append("frequency, noise and colour statistics of a camera photo")
    verdict = "treat as generated" if p >= m.threshold else "no sign of a generator"
    out.append(f"{verdict} (score {p:.2f}, threshold {m.threshold:.2f})")
    return tuple(out)


__all__ = ["PhotoError", "PhotoModel", "PhotoResult", "check_photo", "judge", "shipped_model"]
