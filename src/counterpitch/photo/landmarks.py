"""Where the eyes are: MediaPipe's face mesh, whose models ship inside the `mediapipe` wheel (decision 0070).

Nothing is downloaded: the face detector and the 468-point mesh are `.tflite` files under the installed package,
run on the CPU. MediaPipe is imported at the first photo read, never by `import counterpitch`, so screening text
without photos does not pay for it (about 1.5 s and a few hundred megabytes mapped).
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from PIL import Image

#: The mesh points around each eye's opening (MediaPipe's face-mesh numbering); an eye's centre is their mean,
#: as FFHQ's alignment took the mean of dlib's six points around each eye.
LEFT_EYE = (33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246)
RIGHT_EYE = (362, 382, 381, 380, 374, 373, 390, 249, 263, 466, 388, 387, 386, 385, 384, 398)
#: The mouth's corners, for the FFHQ alignment's eye-to-mouth vector.
MOUTH = (61, 291)
MAX_FACES = 4


@dataclass(frozen=True)
class Face:
    """One face, in coordinates normalised to the frame (0..1 across, 0..1 down): the eye on the image's left
    first."""

    left_eye: tuple[float, float]
    right_eye: tuple[float, float]
    mouth: tuple[float, float]

    @property
    def interocular(self) -> float:
        return float(np.hypot(self.right_eye[0] - self.left_eye[0], self.right_eye[1] - self.left_eye[1]))


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Standard error (file descriptor 2) silenced: MediaPipe's C++ side logs its start-up there, unasked."""
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
def _mesh() -> Any:
    """The face mesh, built and run once on a blank frame, once per process: loading the graph costs more than
    reading a photo, and its start-up chatter is silenced here rather than shown to the user."""
    with warnings.catch_warnings(), _quiet_stderr():
        warnings.simplefilter("ignore")
        from mediapipe.python.solutions import face_mesh

        mesh = face_mesh.FaceMesh(
            static_image_mode=True, max_num_faces=MAX_FACES, refine_landmarks=False, min_detection_confidence=0.5
        )
        mesh.process(np.zeros((64, 64, 3), dtype=np.uint8))
    return mesh


def find_faces(image: Image.Image) -> list[Face]:
    """The faces in `image` (RGB), largest first."""
    pixels = np.asarray(image.convert("RGB"), dtype=np.uint8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # protobuf's deprecation notices, once per call
        result = _mesh().process(pixels)
    faces = []
    for marks in result.multi_face_landmarks or ():
        pts = np.array([(p.x, p.y) for p in marks.landmark], dtype=np.float64)
        a, b = pts[list(LEFT_EYE)].mean(axis=0), pts[list(RIGHT_EYE)].mean(axis=0)
        left, right = (a, b) if a[0] <= b[0] else (b, a)
        mouth = pts[list(MOUTH)].mean(axis=0)
        faces.append(
            Face(
                (float(left[0]), float(left[1])), (float(right[0]), float(right[1])), (float(mouth[0]), float(mouth[1]))
            )
        )
    faces.sort(key=lambda f: -f.interocular)
    return faces
