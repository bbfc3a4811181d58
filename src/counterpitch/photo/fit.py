"""Fitting the photo model (scripts/fit_photo.py) and measuring it honestly (bench/photos.py).

Every photo is measured once per variant (as it is, recompressed, resized, cropped: `degrade`); the eye template
and the logistic weights are then fitted on some photos and judged on others, folds split by photo so that no
variant of a judged photo was seen in fitting. scikit-learn is needed only here, not to judge a photo.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image

from counterpitch.photo import degrade
from counterpitch.photo.features import GEOMETRY_NAMES, STAT_NAMES, frame, geometry, statistics
from counterpitch.photo.judge import PhotoModel
from counterpitch.photo.landmarks import Face, find_faces
from counterpitch.photo.load import load_photo

#: The spread of a template coordinate is never taken as less than this (0.3% of the frame): a tight set of
#: generated faces must not make the check brittle to a one-pixel landmark wobble.
MIN_SPREAD = 0.003
#: The same floor for the FFHQ frame's rotation, in degrees.
MIN_ROTATION = 0.5
#: The conditions results are reported under (bench/photos.py); "as_is" is the photo as given.
CONDITIONS = ("as_is", "jpeg70", "resize200", "crop10")
#: The logistic model's inverse regularisation (chosen by cross-validation over 0.03-1: little difference).
C = 0.1
#: The share of real photos' out-of-fold scores kept below the threshold.
REAL_QUANTILE = 0.995
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp")


@dataclass(frozen=True)
class Measured:
    """One variant of one photo, measured: what the model is fitted and judged on."""

    photo: str
    generated: bool
    variant: str
    face: Face | None
    faces: int
    stats: np.ndarray


def measure(image: Image.Image, photo: str, generated: bool, variant: str) -> Measured:
    faces = find_faces(image)
    face = faces[0] if faces else None
    return Measured(photo, generated, variant, face, len(faces), statistics(image, face))


def photos_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)


def measure_all(generated: Iterable[Path], real: Iterable[Path], seed: int = 14) -> list[Measured]:
    """Every photo under the training variants (`train_k`) and the reported conditions."""
    rng = random.Random(seed)  # noqa: S311 (a reproducible shuffle, not a secret)
    out = []
    for label, paths in ((True, generated), (False, real)):
        for path in paths:
            image, name = load_photo(path)
            for k, var in enumerate(degrade.variants(image, rng)[1:], start=1):
                out.append(measure(var, name, label, f"train_{k}"))
            conditions = {
                "as_is": image,
                "jpeg70": degrade.jpeg(image, 70),
                "resize200": degrade.resize(image, 200),
                "crop10": degrade.crop(image, rng),
            }
            out.extend(measure(im, name, label, cond) for cond, im in conditions.items())
    return out


def template_of(samples: Sequence[Measured]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The eyes' median place and spread on the generated photos as they are: (left x, left y, right x,
    right y, interocular distance, mouth x, mouth y, FFHQ frame centre x, centre y, half side, rotation), in
    fractions of the frame (the rotation in degrees)."""
    rows = np.array(
        [
            [*s.face.left_eye, *s.face.right_eye, s.face.interocular, *s.face.mouth, *map(float, frame(s.face))]
            for s in samples
            if s.generated and s.variant == "as_is" and s.face is not None
        ]
    )
    if len(rows) < 5:
        raise ValueError("fewer than five generated faces with landmarks: no template")
    spread = np.maximum(rows.std(axis=0), [MIN_SPREAD] * 10 + [MIN_ROTATION])
    return tuple(float(v) for v in np.median(rows, axis=0)), tuple(float(v) for v in spread)


def matrix(samples: Sequence[Measured], template: Sequence[float], spread: Sequence[float]) -> np.ndarray:
    return np.array([np.concatenate([geometry(s.face, template, spread), s.stats]) for s in samples])


def fit_model(samples: Sequence[Measured], c: float = C, threshold: float = 0.5) -> PhotoModel:
    """The model fitted on every variant of `samples`, classes weighted equally."""
    from sklearn.linear_model import LogisticRegression

    template, spread = template_of(samples)
    x = matrix(samples, template, spread)
    y = np.array([s.generated for s in samples], dtype=int)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    lr.fit((x - mean) / scale, y)
    return PhotoModel(
        template,
        spread,
        (*GEOMETRY_NAMES, *STAT_NAMES),
        mean,
        scale,
        lr.coef_[0].astype(np.float64),
        float(lr.intercept_[0]),
        threshold,
    )


def folds_of(samples: Sequence[Measured], k: int, seed: int = 14) -> list[set[str]]:
    """`k` sets of photo names, each class dealt round-robin after a shuffle so every fold holds both."""
    rng = random.Random(seed)  # noqa: S311 (a reproducible shuffle, not a secret)
    out: list[set[str]] = [set() for _ in range(k)]
    for label in (True, False):
        names = sorted({s.photo for s in samples if s.generated is label})
        rng.shuffle(names)
        for i, n in enumerate(names):
            out[i % k].add(n)
    return out


def out_of_fold(
    samples: Sequence[Measured], k: int, c: float = C, variants: Sequence[str] | None = None
) -> dict[int, float]:
    """Out-of-fold probabilities, by index into `samples` (only those of `variants`, when given)."""
    probs: dict[int, float] = {}
    for held in folds_of(samples, k):
        model = fit_model([s for s in samples if s.photo not in held], c=c)
        idx = [i for i, s in enumerate(samples) if s.photo in held and (variants is None or s.variant in variants)]
        x = matrix([samples[i] for i in idx], model.template, model.spread)
        for i, row in zip(idx, x, strict=True):
            probs[i] = model.probability(row)
    return probs


def choose_threshold(samples: Sequence[Measured], k: int = 5, c: float = C) -> float:
    """The threshold for a model fitted on `samples`: the `REAL_QUANTILE` of the real photos' out-of-fold scores
    (every variant), so that about half a percent of real photos would be flagged; never below 0.5."""
    probs = out_of_fold(samples, k, c)
    real = [p for i, p in probs.items() if not samples[i].generated]
    return float(min(0.99, max(0.5, float(np.quantile(real, REAL_QUANTILE)))))


def fit_shipped(samples: Sequence[Measured], c: float = C) -> PhotoModel:
    """The model as shipped: fitted on everything, its threshold chosen by an inner cross-validation."""
    return replace(fit_model(samples, c=c), threshold=choose_threshold(samples, c=c))


def cross_validate(samples: Sequence[Measured], k: int = 10, c: float = C) -> tuple[dict[int, float], dict[int, bool]]:
    """Nested cross-validation of `fit_shipped`: for the reported conditions of each held-out photo, the
    probability and the flag of a model (threshold included) that never saw that photo."""
    probs: dict[int, float] = {}
    flags: dict[int, bool] = {}
    for held in folds_of(samples, k):
        model = fit_shipped([s for s in samples if s.photo not in held], c=c)
        idx = [i for i, s in enumerate(samples) if s.photo in held and s.variant in CONDITIONS]
        x = matrix([samples[i] for i in idx], model.template, model.spread)
        for i, row in zip(idx, x, strict=True):
            probs[i] = model.probability(row)
            flags[i] = samples[i].face is not None and probs[i] >= model.threshold  # as `judge`: no face, no flag
    return probs, flags
