"""MediaPipe's face detector and face mesh, run with the LiteRT interpreter (decision 0072).

The two `.tflite` models are MediaPipe's own (Apache-2.0, copied unchanged from the mediapipe 0.10.14 wheel into
`data/facemesh/`, 1.5 MB); `ai-edge-litert` runs them on the CPU. What MediaPipe's graph does around them is
redone here in numpy: BlazeFace's anchors, box decoding and weighted non-maximum suppression
(face_detection_short_range.pbtxt), then the mesh on a square crop 1.5 times the face, turned upright by the
eyes (face_landmark_front_cpu.pbtxt). Nothing is downloaded; the interpreter is loaded at the first photo.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from PIL import Image

DETECT_SIDE = 128
MESH_SIDE = 192
MIN_SCORE = 0.5
MIN_PRESENCE = 0.5
NMS_IOU = 0.3


@dataclass(frozen=True)
class Box:
    """One detected face in pixels: centre, side of the square crop for the mesh, and the eyes' tilt."""

    cx: float
    cy: float
    side: float
    angle: float
    score: float


@lru_cache(maxsize=1)
def _anchors() -> np.ndarray:
    """BlazeFace short-range anchors: 2 per cell of a 16 x 16 grid, 6 per cell of an 8 x 8 (SsdAnchorsCalculator
    with strides 8, 16, 16, 16 and fixed anchor size), as (x centre, y centre), normalised."""
    out = []
    for grid, per_cell in ((16, 2), (8, 6)):
        for y in range(grid):
            for x in range(grid):
                out.extend([((x + 0.5) / grid, (y + 0.5) / grid)] * per_cell)
    return np.array(out, dtype=np.float32)


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Standard error (file descriptor 2) silenced: the interpreter's C++ side logs its start-up there, unasked."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@lru_cache(maxsize=1)
def _interpreters() -> tuple[Any, Any]:
    """Both models loaded and run once on zeros, once per process (loading costs more than reading a photo)."""
    from ai_edge_litert.interpreter import Interpreter

    folder = resources.files("counterpitch") / "data" / "facemesh"
    made = []
    with _quiet_stderr():
        for name, side in (("face_detection_short_range.tflite", DETECT_SIDE), ("face_landmark.tflite", MESH_SIDE)):
            it = Interpreter(model_content=(folder / name).read_bytes(), num_threads=1)
            it.allocate_tensors()
            _run(it, np.zeros((1, side, side, 3), dtype=np.float32))
            made.append(it)
    return made[0], made[1]


def _run(it: Any, tensor: np.ndarray) -> list[np.ndarray]:
    it.set_tensor(it.get_input_details()[0]["index"], tensor)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()]


def detect(image: Image.Image, most: int) -> list[Box]:
    """The faces BlazeFace finds in `image`, best first, after weighted non-maximum suppression."""
    w, h = image.size
    scale = DETECT_SIDE / max(w, h)
    rw, rh = max(1, round(w * scale)), max(1, round(h * scale))
    pad_x, pad_y = (DETECT_SIDE - rw) // 2, (DETECT_SIDE - rh) // 2
    canvas = np.zeros((DETECT_SIDE, DETECT_SIDE, 3), dtype=np.float32)
    small = np.asarray(image.resize((rw, rh), Image.Resampling.BILINEAR), dtype=np.float32)
    canvas[pad_y : pad_y + rh, pad_x : pad_x + rw] = small / 127.5 - 1.0
    detector, _ = _interpreters()
    regressors, scores = _run(detector, canvas[None])
    raw = regressors[0] / DETECT_SIDE
    logits = np.clip(scores[0, :, 0].astype(np.float64), -80, 80)
    prob = 1.0 / (1.0 + np.exp(-logits))
    keep = np.nonzero(prob >= MIN_SCORE)[0]
    if keep.size == 0:
        return []
    anchors = _anchors()[keep]
    raw, prob = raw[keep], prob[keep]
    centre = raw[:, 0:2] + anchors
    size = raw[:, 2:4]
    boxes = np.concatenate([centre - size / 2, centre + size / 2], axis=1)
    eyes = raw[:, 4:8].reshape(-1, 2, 2) + anchors[:, None, :]

    def to_pixels(xy: np.ndarray) -> np.ndarray:
        return np.asarray((xy * DETECT_SIDE - np.array([pad_x, pad_y])) / scale)

    found = []
    for group in _weighted_groups(boxes, prob):
        wts = prob[group] / prob[group].sum()
        box = (boxes[group] * wts[:, None]).sum(axis=0)
        eye = (eyes[group] * wts[:, None, None]).sum(axis=0)
        (x0, y0), (x1, y1) = to_pixels(box[:2]), to_pixels(box[2:])
        (ex0, ey0), (ex1, ey1) = to_pixels(eye[0]), to_pixels(eye[1])
        angle = -math.atan2(-(ey1 - ey0), ex1 - ex0)  # the rotation that levels the eyes (MediaPipe's sign)
        side = max(x1 - x0, y1 - y0) * 1.5
        found.append(Box((x0 + x1) / 2, (y0 + y1) / 2, side, angle, float(prob[group].max())))
        if len(found) == most:
            break
    return found


def _weighted_groups(boxes: np.ndarray, prob: np.ndarray) -> list[np.ndarray]:
    """Indices grouped by overlap with the best remaining box (MediaPipe's weighted NMS), best group first."""
    order = np.argsort(-prob)
    groups = []
    while order.size:
        best = boxes[order[0]]
        rest = boxes[order]
        ix0, iy0 = np.maximum(best[0], rest[:, 0]), np.maximum(best[1], rest[:, 1])
        ix1, iy1 = np.minimum(best[2], rest[:, 2]), np.minimum(best[3], rest[:, 3])
        inter = np.clip(ix1 - ix0, 0, None) * np.clip(iy1 - iy0, 0, None)
        area = (rest[:, 2] - rest[:, 0]) * (rest[:, 3] - rest[:, 1])
        iou = inter / (area + (best[2] - best[0]) * (best[3] - best[1]) - inter + 1e-9)
        close = iou > NMS_IOU
        groups.append(order[close])
        order = order[~close]
    return groups


def mesh(image: Image.Image, box: Box) -> np.ndarray | None:
    """The 468 mesh points of the face in `box`, in pixels of `image` (x, y), or None when the mesh model says
    there is no face there."""
    cos, sin = math.cos(box.angle), math.sin(box.angle)
    step = box.side / MESH_SIDE
    # Output pixel (u, v) samples the input at centre + R(angle) . ((u, v) - half) * step (PIL's affine takes the
    # map from output to input).
    a, b = cos * step, -sin * step
    d, e = sin * step, cos * step
    half = MESH_SIDE / 2
    c = box.cx - a * half - b * half
    f = box.cy - d * half - e * half
    crop = image.transform(
        (MESH_SIDE, MESH_SIDE), Image.Transform.AFFINE, (a, b, c, d, e, f), Image.Resampling.BILINEAR
    )
    tensor = np.asarray(crop, dtype=np.float32)[None] / 255.0
    _, model = _interpreters()
    points, presence = _run(model, tensor)
    if 1.0 / (1.0 + math.exp(-float(np.clip(presence.ravel()[0], -80, 80)))) < MIN_PRESENCE:
        return None
    uv = points.reshape(-1, 3)[:, :2]
    x = a * uv[:, 0] + b * uv[:, 1] + c
    y = d * uv[:, 0] + e * uv[:, 1] + f
    return np.stack([x, y], axis=1)
