"""A/B screening throughput: the working tree against an earlier revision, in one process, on one pinned core.

Run: `.venv/bin/python bench/screening_ab.py HEAD~1 [--rounds 16] [--per-round 1000]`.

This shared machine's speed drifts by 10-30% within a minute, so two separate `screening.py` runs cannot tell a
5% change from noise. Here the revision's package is extracted under another name (`counterpitch_b`) and both
engines screen fresh copies of the casebook in alternating rounds; the median of the per-round speed ratios is
what to read. Each round's texts carry a unique suffix, so no cache of either engine serves a repeat.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _results import write_result

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CASEBOOK = REPO.parent / "shared" / "casebook" / "approaches_dev.jsonl"
OTHER = "counterpitch_b"


def extract(rev: str, into: Path) -> None:
    """The package as it was at `rev`, importable as OTHER (its absolute imports and data lookups renamed)."""
    tar = subprocess.run(["git", "-C", str(REPO), "archive", rev, "src/counterpitch"], check=True, capture_output=True)
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as t:
        t.extractall(into, filter="data")
    (into / "src" / "counterpitch").rename(into / OTHER)
    for path in (into / OTHER).rglob("*.py"):
        text = path.read_text("utf-8")
        text = re.sub(r"\bcounterpitch\.", f"{OTHER}.", text).replace('"counterpitch"', f'"{OTHER}"')
        path.write_text(text, "utf-8")


def records(base: list[dict[str, Any]], tag: str, n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        rec = dict(base[i % len(base)])
        rec["id"] = f"{rec['id']}-{tag}-{i}"
        rec["text"] = rec["text"] + f"\n\nRef {tag}-{i}"
        rec.pop("label", None)
        rec.pop("notes", None)
        yield rec


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("rev", help="the git revision to compare the working tree with (B)")
    ap.add_argument("--rounds", type=int, default=16)
    ap.add_argument("--per-round", type=int, default=1000)
    ap.add_argument("--casebook", type=Path, default=DEFAULT_CASEBOOK)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    base = [json.loads(x) for x in args.casebook.read_text("utf-8").splitlines() if x.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        extract(args.rev, Path(tmp))
        sys.path.insert(0, tmp)
        engines = {}
        for pkg in ("counterpitch", OTHER):
            engine = importlib.import_module(f"{pkg}.engine").Engine.default()
            approach = importlib.import_module(f"{pkg}.model").Approach
            list(engine.assess_many([approach.model_validate(r) for r in records(base, "warm", 300)]))
            engines[pkg] = (engine, approach)
        speed: dict[str, list[float]] = {pkg: [] for pkg in engines}
        for r in range(args.rounds):
            for pkg in ("counterpitch", OTHER) if r % 2 == 0 else (OTHER, "counterpitch"):
                engine, approach = engines[pkg]
                raw = list(records(base, f"{r}{pkg[-1]}", args.per_round))
                t = time.process_time()
                for _ in engine.assess_many(approach.model_validate(x) for x in raw):
                    pass
                speed[pkg].append(args.per_round / (time.process_time() - t))
    ratios = [a / b for a, b in zip(speed["counterpitch"], speed[OTHER], strict=True)]
    result = {
        "benchmark": "screening_ab",
        "a": "working tree",
        "b": args.rev,
        "rounds": args.rounds,
        "approaches_per_round": args.per_round,
        "median_a_per_cpu_second": round(statistics.median(speed["counterpitch"]), 1),
        "median_b_per_cpu_second": round(statistics.median(speed[OTHER]), 1),
        "median_ratio_a_over_b": round(statistics.median(ratios), 3),
        "ratios": [round(x, 3) for x in ratios],
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    if args.out:
        write_result(args.out, result)
    else:
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
