"""FFHQ's own frame (decision 0080): the alignment rule measured on a face, as given and after a crop."""

from __future__ import annotations

import math

import pytest

from counterpitch.photo.features import GEOMETRY_NAMES, frame, geometry
from counterpitch.photo.judge import shipped_model
from counterpitch.photo.landmarks import Face

#: A face placed as FFHQ's alignment places it: eye spacing a quarter of the frame, eyes a little above centre.
ALIGNED = Face((0.375, 0.475), (0.625, 0.475), (0.5, 0.72))
FRAME_OFF, FRAME_OFF_CROPPED = GEOMETRY_NAMES.index("frame_off"), GEOMETRY_NAMES.index("frame_off_cropped")


def _cropped(face: Face, left: float, right: float, top: float, bottom: float) -> Face:
    def move(p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] - left) / (1 - left - right), (p[1] - top) / (1 - top - bottom)

    return Face(move(face.left_eye), move(face.right_eye), move(face.mouth))


def test_when_a_face_is_placed_by_ffhqs_rule_then_its_frame_is_the_whole_picture() -> None:
    cx, cy, half, rotation = (float(v) for v in frame(ALIGNED))
    assert cx == pytest.approx(0.5) and cy == pytest.approx(0.4995)
    assert half == pytest.approx(0.5) and rotation == pytest.approx(0.0, abs=1e-9)


def test_when_an_aligned_face_is_cropped_then_only_the_crop_allowing_frame_still_fits() -> None:
    model = shipped_model()
    as_given = geometry(ALIGNED, model.template, model.spread)
    cropped = geometry(_cropped(ALIGNED, 0.09, 0.02, 0.1, 0.01), model.template, model.spread)
    assert as_given[FRAME_OFF] < math.log1p(4) and as_given[FRAME_OFF_CROPPED] < math.log1p(4)
    assert cropped[FRAME_OFF] > math.log1p(5)
    assert cropped[FRAME_OFF_CROPPED] < math.log1p(4)


def test_when_a_face_is_framed_otherwise_then_no_crop_of_10_percent_explains_it() -> None:
    model = shipped_model()
    off = geometry(Face((0.3, 0.4), (0.7, 0.42), (0.5, 0.8)), model.template, model.spread)
    assert off[FRAME_OFF] > math.log1p(20) and off[FRAME_OFF_CROPPED] > math.log1p(10)
    assert len(geometry(None, model.template, model.spread)) == len(GEOMETRY_NAMES)
