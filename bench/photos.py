"""The photo check on the development faces, cross-validated, and its cost (issue 14).

    python bench/photos.py [--faces ../shared/data/faces] [--folds 10] [--out bench/results/photos.json]

Accuracy: nested 10-fold cross-validation split by photo. Each outer fold fits the model exactly as
scripts/fit_photo.py does (eye template, weights, and the threshold by an inner 5-fold cross-validation) on the
other photos and their variants, then judges the held-out photos as they are, recompressed as JPEG at quality 70,
resized to 200 px on the longer side, and cropped by up to 10% on each side. No figure is measured on a photo the
model was fitted on. Speed: the shipped model on every photo as it is, one process pinned to one core, file read
included; the wall-clock rate is what a shared core gave, the rate per CPU second what the core alone gives
(the load average beside them says how shared it was). Size: what `ai-edge-litert`, the packages it declares
and the face models shipped in the package add.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._results import machine_speed, write_result  # noqa: E402

from counterpitch.photo.fit import CONDITIONS, cross_validate, measure_all, photos_in  # noqa: E402

#: What the photo check adds to an environment that has the rest of the project: `ai-edge-litert` and the
#: packages it declares that nothing else here needs (an upper bound: protobuf and flatbuffers may be there already).
ADDED = ("ai-edge-litert", "backports.strenum", "tqdm", "flatbuffers", "ml_dtypes", "protobuf")
#: What the photo check imports when it runs (seen in sys.modules).
LOADED = ("ai-edge-litert",)


def rates(samples: list[Any], flags: dict[int, bool]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for cond in CONDITIONS:
        gen = [flags[i] for i in flags if samples[i].variant == cond and samples[i].generated]
        real = [flags[i] for i in flags if samples[i].variant == cond and not samples[i].generated]
        out[cond] = {
            "generated_flagged": round(sum(gen) / len(gen), 4),
            "generated": f"{sum(gen)}/{len(gen)}",
            "real_flagged": round(sum(real) / len(real), 4),
            "real": f"{sum(real)}/{len(real)}",
            "generated_missed": sorted(
                Path(samples[i].photo).name for i in flags if _wrong(samples[i], flags[i], cond)
            ),
            "real_flagged_photos": sorted(
                Path(samples[i].photo).name for i in flags if _wrong(samples[i], flags[i], cond, generated=False)
            ),
        }
    return out


def _wrong(sample: Any, flag: bool, cond: str, generated: bool = True) -> bool:
    return sample.variant == cond and sample.generated is generated and flag is not generated


def speed(paths: list[Path]) -> dict[str, Any]:
    from counterpitch.photo import check_photo

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    check_photo(paths[0])  # the face mesh is built once per process; not counted
    wall, cpu = time.perf_counter(), time.process_time()
    for p in paths:
        check_photo(p)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "photos": len(paths),
        "images_per_second": round(len(paths) / wall, 1),
        "cpu_seconds_per_image": round(cpu / len(paths), 4),
        "images_per_cpu_second": round(len(paths) / cpu, 1),
        "load_average_1min": round(os.getloadavg()[0], 1) if hasattr(os, "getloadavg") else None,
        "one_core": hasattr(os, "sched_setaffinity"),
    }


def dist_size(name: str) -> int:
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return 0
    total = 0
    for f in dist.files or ():
        path = Path(str(dist.locate_file(f)))
        if path.is_file():
            total += path.stat().st_size
    return total


def sizes() -> dict[str, Any]:
    per = {n: round(dist_size(n) / 1e6, 1) for n in ADDED}
    model = ROOT / "src" / "counterpitch" / "data" / "photo_model.json"
    meshes = ROOT / "src" / "counterpitch" / "data" / "facemesh"
    shipped = sum(p.stat().st_size for p in meshes.iterdir()) / 1e6
    return {
        "added_mb": round(sum(per.values()) + shipped, 1),
        "face_models_in_the_package_mb": round(shipped, 1),
        "loaded_by_the_check_mb": round(sum(per[n] for n in LOADED), 1),
        "per_package_mb": per,
        "shipped_model_kb": round(model.stat().st_size / 1e3, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--faces", type=Path, default=ROOT.parent / "shared" / "data" / "faces")
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "photos.json")
    args = ap.parse_args()
    before = machine_speed()
    generated, real = photos_in(args.faces / "stylegan3"), photos_in(args.faces / "real")
    samples = measure_all(generated, real)
    _, flags = cross_validate(samples, k=args.folds)
    result = {
        "what": (
            "The photo check (counterpitch photo) on ../shared/data/faces: nested cross-validation by photo, "
            "never a figure on a photo the model was fitted on. Targets: generated flagged >= 95%, real flagged "
            "<= 1%, in every condition; >= 20 images/s on one core; < 100 MB added (models and runtime)."
        ),
        "photos": {"generated": len(generated), "real": len(real)},
        "folds": args.folds,
        "cross_validated": rates(samples, flags),
        "speed": speed([*generated, *real]),
        "install": sizes(),
        "caveats": (
            "The development sets differ in more than their origin: every generated face is a 256 px PNG of "
            "StyleGAN3 (FFHQ), every real one a larger JPEG or PNG. Training on recompressed, resized and cropped "
            "variants of both keeps the model from reading the format, but 100 + 129 photos of two sources are "
            "not the world: other generators, diffusion models and other kinds of real photo are not measured here."
        ),
        "machine_speed_s": {"before": before, "after": machine_speed()},
    }
    write_result(args.out, result)


if __name__ == "__main__":
    main()
