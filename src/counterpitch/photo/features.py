"""What is measured on a photo: where the eyes sit against StyleGAN's frame, and statistics of the pixels.

Geometry (the published weak point): StyleGAN is trained on FFHQ, whose faces were cut and rotated so that the
eyes land on fixed points of the frame, and its faces keep them there. The template (`data/photo_model.json`,
`template`) is measured on generated faces by scripts/fit_photo.py; the geometric features are how far a face's
eyes are from it, in units of the spread seen on generated faces.

Statistics (for what the geometry misses, such as a generated face cropped or re-framed): the shape of the
image's power spectrum (generators upsample, which leaves a tell-tale fall-off and bumps at high frequencies), the
noise left after smoothing and how it correlates across colour channels (a camera's demosaicing and a
generator's convolutions leave different ones), and colour spread.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageFilter

from counterpitch.photo.landmarks import Face

#: The side of the square the statistics are computed on.
STAT_SIDE = 256
SPECTRUM_BINS = 16
GEOMETRY_NAMES = (
    "eyes_off_template",
    "eyes_off_template_log",
    "no_face",
    "eye_roll",
    "off_template_cropped",
    "frame_off",
    "frame_off_rms",
    "frame_off_cropped",
    "frame_off_cropped_rms",
)
#: The largest crop, per side, under which the eyes still count as on the template (the fifth feature).
CROP = 0.10
#: What the features say when no face was found (the model has a weight for `no_face`).
_NO_FACE = np.array([50.0, np.log1p(50.0), 1.0, 30.0, 30.0, *([np.log1p(50.0)] * 4)])
#: The kept shares of the width and of the height tried for a crop of at most `CROP` a side (steps of 0.5%).
_KEPT = np.linspace(1.0 - 2 * CROP, 1.0, 41)
_KEPT_W, _KEPT_H = (a.ravel() for a in np.meshgrid(_KEPT, _KEPT, indexing="ij"))


def geometry(face: Face | None, template: Sequence[float], spread: Sequence[float]) -> np.ndarray:
    """Where the eyes sit against StyleGAN's frame, nine ways.

    1-2: the largest and (log of) the mean deviation of the eyes' places and spacing from the template, in units
    of the generated faces' spread (about 1-3 on a generated face, tens on most photos). 3: no face. 4: the eyes'
    tilt in degrees (FFHQ's alignment levels them; it survives any crop or resize). 5: how far the face is from
    the template even after the best crop of at most `CROP` a side (in hundredths of the frame; 0 when such a crop
    would explain it): the eye spacing gives the horizontal scale, the eyes-to-mouth height the vertical.
    6-9: FFHQ's own frame (`frame`): how far the face's crop centre, crop size and crop rotation are from those
    of generated faces, in units of their spread (the largest and the root mean square, as log1p), as the photo is
    and after the best crop of at most `CROP` a side (`frame_off_cropped`).
    `template` is (left x, left y, right x, right y, interocular, mouth x, mouth y, frame centre x, frame centre
    y, frame size, frame rotation in degrees): fractions of the frame except the rotation.
    """
    if face is None:
        return _NO_FACE.copy()
    seen = np.array([*face.left_eye, *face.right_eye, face.interocular])
    dev = np.abs(seen - np.asarray(template[:5])) / np.asarray(spread[:5])
    (lx, ly), (rx, ry), (_, my) = face.left_eye, face.right_eye, face.mouth
    roll = abs(float(np.degrees(np.arctan2(ry - ly, rx - lx))))
    return np.array(
        [
            float(min(dev.max(), 50.0)),
            float(np.log1p(dev.mean())),
            0.0,
            min(roll, 30.0),
            _off_after_crop((lx + rx) / 2, (ly + ry) / 2, face.interocular, my, template),
            *_frame_off(face, template, spread),
        ]
    )


def frame(face: Face, kept_w: np.ndarray | float = 1.0, kept_h: np.ndarray | float = 1.0) -> tuple[np.ndarray, ...]:
    """FFHQ's alignment rule (Karras et al., `align_images` of the FFHQ dataset): the crop is centred at the eyes'
    midpoint plus a tenth of the eyes-to-mouth vector, turned so that eye-to-eye minus the eyes-to-mouth vector
    turned a quarter is level, and half as wide as the larger of twice the eye spacing and 1.8 times the
    eyes-to-mouth distance. Returns (centre x, centre y, half side, rotation in degrees), in fractions of the
    frame, of the face as it would sit in a frame of which this one kept `kept_w` of the width and `kept_h` of
    the height (the offset of such a crop is left to the caller: the centre is returned as seen)."""
    (lx, ly), (rx, ry), (mx, my) = face.left_eye, face.right_eye, face.mouth
    ex, ey = (lx + rx) / 2, (ly + ry) / 2
    cx, cy = ex + 0.1 * (mx - ex), ey + 0.1 * (my - ey)
    e2e_x, e2e_y = np.multiply(kept_w, rx - lx), np.multiply(kept_h, ry - ly)
    e2m_x, e2m_y = np.multiply(kept_w, mx - ex), np.multiply(kept_h, my - ey)
    rotation = np.degrees(np.arctan2(e2e_y - e2m_x, e2e_x + e2m_y))
    size = np.maximum(2.0 * np.hypot(e2e_x, e2e_y), 1.8 * np.hypot(e2m_x, e2m_y))
    return np.asarray(cx), np.asarray(cy), np.asarray(size), np.asarray(rotation)


def _frame_off(face: Face, template: Sequence[float], spread: Sequence[float]) -> list[float]:
    """How far the face's FFHQ frame is from the generated faces' (in spreads), as it is and after the crop of at
    most `CROP` a side that brings it closest: each kept share of width and height sets the size and rotation,
    and the best left and top offsets for it follow in closed form (clipped to what such a crop allows)."""
    t, sp = np.asarray(template[7:11]), np.asarray(spread[7:11])
    cx, cy, size, rot = frame(face)
    as_is = np.abs(np.array([cx, cy, size, rot]) - t) / sp
    _, _, sizes, rots = frame(face, _KEPT_W, _KEPT_H)
    lo_w, hi_w = np.maximum(0.0, 1.0 - CROP - _KEPT_W), np.minimum(CROP, 1.0 - _KEPT_W)
    lo_h, hi_h = np.maximum(0.0, 1.0 - CROP - _KEPT_H), np.minimum(CROP, 1.0 - _KEPT_H)
    left = np.clip(t[0] - _KEPT_W * cx, lo_w, hi_w)
    top = np.clip(t[1] - _KEPT_H * cy, lo_h, hi_h)
    seen = np.stack([left + _KEPT_W * cx, top + _KEPT_H * cy, sizes, rots], axis=1)
    dev = np.abs(seen - t) / sp
    cropped = dev[int(np.argmin((dev**2).sum(axis=1)))]
    return [
        float(np.log1p(min(v, 50.0)))
        for v in (as_is.max(), np.sqrt((as_is**2).mean()), cropped.max(), np.sqrt((cropped**2).mean()))
    ]


def _off_after_crop(ex: float, ey: float, iod: float, my: float, template: Sequence[float]) -> float:
    t_ex, t_ey = (template[0] + template[2]) / 2, (template[1] + template[3]) / 2
    t_iod, t_my = template[4], template[6]
    across = t_iod / iod if iod > 1e-3 else 10.0  # the kept share of the original width
    left = t_ex - ex * across
    height = my - ey
    down = (t_my - t_ey) / height if height > 1e-3 else 10.0  # the kept share of the original height
    top = t_ey - ey * down
    sides = (left, 1.0 - across - left, top, 1.0 - down - top)
    off = sum(max(0.0, -v) + max(0.0, v - CROP) for v in sides)
    return min(off / 0.01, 30.0)


def statistics(image: Image.Image, face: Face | None = None) -> np.ndarray:
    """Spectrum shape, residual noise and colour statistics of the face's square (FFHQ's own crop: about four
    eye-spacings wide, centred a little below the eyes), or of the centre square when there is no face; at most
    `STAT_SIDE` pixels. Cut by the face, the statistics are read at one scale of face whatever the framing."""
    sq = _square(image, face)
    out = min(sq.size[0], STAT_SIDE)  # never enlarged: interpolation would smooth away the frequencies read here
    sq = sq.resize((out, out), Image.Resampling.BILINEAR)
    rgb = np.asarray(sq, dtype=np.float32) / 255.0
    grey = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    with np.errstate(all="ignore"):  # a flat picture has no noise to correlate: its NaNs become zeros
        found = np.concatenate([_spectrum(grey), _residuals(sq, rgb), _colour(sq)])
    return np.asarray(np.nan_to_num(found, nan=0.0, posinf=0.0, neginf=0.0), dtype=np.float64)


def _square(image: Image.Image, face: Face | None) -> Image.Image:
    w, h = image.size
    if face is not None:
        eyes = np.array(
            [(face.left_eye[0] + face.right_eye[0]) / 2 * w, (face.left_eye[1] + face.right_eye[1]) / 2 * h]
        )
        e2e = np.hypot((face.right_eye[0] - face.left_eye[0]) * w, (face.right_eye[1] - face.left_eye[1]) * h)
        mouth = np.array([face.mouth[0] * w, face.mouth[1] * h])
        e2m = float(np.hypot(*(mouth - eyes)))
        half = max(2.0 * e2e, 1.8 * e2m)
        cx, cy = eyes + 0.1 * (mouth - eyes)
        left, top = max(0, round(cx - half)), max(0, round(cy - half))
        right, bottom = min(w, round(cx + half)), min(h, round(cy + half))
        side = min(right - left, bottom - top)
        if side >= 32:
            return image.crop((left, top, left + side, top + side))
    side = min(w, h)
    return image.crop(((w - side) // 2, (h - side) // 2, (w - side) // 2 + side, (h - side) // 2 + side))


def _spectrum(grey: np.ndarray) -> np.ndarray:
    """The radially averaged log power spectrum, less its mean (so brightness and contrast drop out)."""
    window = np.hanning(grey.shape[0])[:, None] * np.hanning(grey.shape[1])[None, :]
    power = np.abs(np.fft.fftshift(np.fft.fft2((grey - grey.mean()) * window))) ** 2
    n = grey.shape[0]
    yy, xx = np.indices(power.shape)
    radius = np.hypot(yy - n / 2, xx - n / 2) / (n / 2)
    edges = np.linspace(0.05, 1.0, SPECTRUM_BINS + 1)
    which = np.digitize(radius, edges) - 1
    logp = np.log(power + 1e-12)
    prof = np.array([logp[which == i].mean() for i in range(SPECTRUM_BINS)])
    return np.asarray(prof - prof.mean())


def _residuals(sq: Image.Image, rgb: np.ndarray) -> np.ndarray:
    """The noise left after a 3 x 3 median: its spread, tails, and correlation between colour channels."""
    smooth = np.asarray(sq.filter(ImageFilter.MedianFilter(3)), dtype=np.float32) / 255.0
    res = (rgb - smooth)[2:-2, 2:-2].reshape(-1, 3)
    std = res.std(axis=0) + 1e-6
    z = (res - res.mean(axis=0)) / std
    kurt = (z**4).mean(axis=0)
    corr = np.corrcoef(res.T)
    return np.array(
        [*np.log(std), *np.log(kurt + 1e-6), corr[0, 1], corr[1, 2], corr[0, 2], float(np.mean(np.abs(res) < 1e-3))]
    )


def _colour(sq: Image.Image) -> np.ndarray:
    """Saturation and chroma spread (YCbCr), and the share of clipped pixels."""
    hsv = np.asarray(sq.convert("HSV"), dtype=np.float32) / 255.0
    ycc = np.asarray(sq.convert("YCbCr"), dtype=np.float32) / 255.0
    return np.array(
        [
            hsv[..., 1].mean(),
            hsv[..., 1].std(),
            ycc[..., 1].std(),
            ycc[..., 2].std(),
            float(np.mean(ycc[..., 0] > 0.98)),
            float(np.mean(ycc[..., 0] < 0.02)),
        ]
    )


STAT_NAMES = (
    *(f"spectrum_{i}" for i in range(SPECTRUM_BINS)),
    "res_std_r",
    "res_std_g",
    "res_std_b",
    "res_kurt_r",
    "res_kurt_g",
    "res_kurt_b",
    "res_corr_rg",
    "res_corr_gb",
    "res_corr_rb",
    "res_flat",
    "sat_mean",
    "sat_std",
    "cb_std",
    "cr_std",
    "clipped_high",
    "clipped_low",
)
