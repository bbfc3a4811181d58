"""Fit the photo model (src/counterpitch/data/photo_model.json) on the development faces.

    python scripts/fit_photo.py [--faces ../shared/data/faces] [--out src/counterpitch/data/photo_model.json]

Generated faces are read from FACES/stylegan3, real photos from FACES/real. Every photo is measured as it is and
under the variants of counterpitch.photo.degrade (so the model cannot learn that one set is PNG and the other
JPEG); the eye template, the weights and the threshold (by an inner cross-validation) are fitted on all of them.
Figures for this model are measured by bench/photos.py, cross-validated, never on what was fitted.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from counterpitch.photo.fit import fit_shipped, measure_all, photos_in

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--faces", type=Path, default=ROOT.parent / "shared" / "data" / "faces")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "counterpitch" / "data" / "photo_model.json")
    args = ap.parse_args()
    samples = measure_all(photos_in(args.faces / "stylegan3"), photos_in(args.faces / "real"))
    model = fit_shipped(samples)
    doc = {
        "about": (
            "The photo model (counterpitch.photo.judge): eye template and logistic weights, fitted by "
            "scripts/fit_photo.py on ../shared/data/faces (100 StyleGAN3 faces, 129 real photos) and their "
            "recompressed, resized and cropped variants. Measured by bench/photos.py (cross-validated)."
        ),
        "photos": {
            "generated": len({s.photo for s in samples if s.generated}),
            "real": len({s.photo for s in samples if not s.generated}),
        },
        **model.to_json(),
    }
    args.out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"{args.out}: threshold {model.threshold:.3f}, {len(samples)} measured variants")


if __name__ == "__main__":
    main()
