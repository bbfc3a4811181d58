"""The sender's photo: is the face generated? (issue 14)

The flow, one module each: `load` (the image read safely, or a `PhotoError` naming the file) -> `landmarks`
(the eyes, from MediaPipe's face models run by LiteRT: `facemesh`) -> `features` (the eyes against StyleGAN's
frame, and pixel statistics) -> `judge` (the shipped logistic model, `data/photo_model.json`: a score, a flag, reasons).
`keep` is what the service stores of a photo (a thumbnail and a perceptual hash, decision 0076).
`fit` and `degrade` make that model (scripts/fit_photo.py) and measure it (bench/photos.py).

Importing this package is cheap; the LiteRT interpreter and the models load at the first photo read.
"""

from counterpitch.photo.judge import PhotoResult, check_photo, judge
from counterpitch.photo.load import PhotoError, load_photo

__all__ = ["PhotoError", "PhotoResult", "check_photo", "judge", "load_photo"]
