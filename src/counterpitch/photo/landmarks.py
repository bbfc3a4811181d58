"""Where the eyes are: the faces and their mesh points (`facemesh`), reduced to what the check measures.

Nothing is downloaded and nothing heavy is imported by `import counterpitch`: the LiteRT interpreter and the two
models (1.5 MB, shipped in `data/facemesh/`) load at the first photo read, so screening text without photos
does not pay for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from counterpitch.photo import facemesh

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


def find_faces(image: Image.Image) -> list[Face]:
    """The faces in `image` (RGB), largest first."""
    rgb = image.convert("RGB")
    size = np.array(rgb.size, dtype=np.float64)
    faces = []
    for box in facemesh.detect(rgb, MAX_FACES):
        pts = facemesh.mesh(rgb, box)
        if pts is None:
            continue
        pts = pts / size
        a, b = pts[list(LEFT_EYE)].mean(axis=0), pts[list(RIGHT_EYE)].mean(axis=0)
        left, right = (a, b) if a[0] <= b[0] else (b, a)
        mouth = pts[list(MOUTH)].mean(axis=0)
        faces.append(
            Face(
                (float(left[0]), float(left[1])),
                (float(right[0]), float(right[1])),
                (float(mouth[0]), float(mouth[1])),
            )
        )
    faces.sort(key=lambda f: -f.interocular)
    return faces
