"""Screening throughput and memory: the default pipeline over >= 100,000 approaches built from the casebook.

Run: `.venv/bin/python bench/screening.py --out bench/results/screening.json` (make bench). One core: the
process pins itself to one CPU and single-threaded numeric libraries. Three timed passes (`--runs`), the median
reported with each pass and the machine's speed before and after (bench/_results.machine_speed: this shared
machine's speed drifts). Also times a cold-start `check --text`.

The timed passes are the fast path (`meaning="never"`): the national-scale bulk figure. The cascade's cost is
measured beside it on `--cascade-n` approaches of the same mix (`meaning="unsure"`, what `check FILE` and `scan`
do by default), with the share of approaches the meaning layer read (decision 0050).
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"):
    os.environ[var] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

from _results import machine_speed, write_result  # noqa: E402
from counterpitch.engine import Engine  # noqa: E402
from counterpitch.model import Approach  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_CASEBOOK = HERE.parents[1] / "shared" / "casebook" / "approaches_dev.jsonl"


def approaches(path: Path, n: int, tag: str = "") -> Iterator[Approach]:
    base = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    for i in range(n):
        rec = dict(base[i % len(base)])
        rec["id"] = f"{rec['id']}-{tag}{i}"
        # A per-copy suffix makes every text distinct, so no cache can serve a repeat.
        rec["text"] = rec["text"] + f"\n\nRef {tag}{i}"
        rec.pop("label", None)
        rec.pop("notes", None)
        yield Approach.model_validate(rec)


def cold_start(runs: int = 5) -> dict[str, float]:
    exe = [
        sys.executable,
        "-m",
        "counterpitch.cli",
        "check",
        "--format",
        "json",
        "--text",
        "We pay £800 per short note on what officials say privately. Keep it between us.",
    ]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(exe, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return {"runs": runs, "median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--casebook", type=Path, default=DEFAULT_CASEBOOK)
    ap.add_argument("-n", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3, help="timed passes over n approaches; the median is reported")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "screening.json")
    ap.add_argument("--cascade-n", type=int, default=2_000, help="approaches for the cascade's own figure")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})

    speed_before = machine_speed()
    engine = Engine.default()
    warm = list(approaches(args.casebook, 200))
    list(engine.assess_many(warm, meaning="never"))

    runs = []
    for r in range(args.runs):  # fresh texts each time (the suffix carries the run), so no cache serves a repeat
        bands = {"low": 0, "medium": 0, "high": 0}
        t, cpu = time.perf_counter(), time.process_time()
        for a in engine.assess_many(approaches(args.casebook, args.n, tag=f"{r}-"), meaning="never"):
            bands[a.band] += 1
        elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
        assert sum(bands.values()) == args.n
        runs.append({"seconds": round(elapsed, 2), "cpu_seconds": round(cpu, 2), "bands": bands})
    rates = [args.n / run["seconds"] for run in runs]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t, cpu, read = time.perf_counter(), time.process_time(), 0
    for a in engine.assess_many(approaches(args.casebook, args.cascade_n, tag="cascade-"), meaning="unsure"):
        read += any(f.detector.startswith("meaning.") for f in a.findings)
    cascade_s, cascade_cpu = time.perf_counter() - t, time.process_time() - cpu
    result = {
        "benchmark": "screening",
        "approaches": args.n,
        "runs": len(runs),
        "approaches_per_second": round(statistics.median(rates), 1),
        "approaches_per_second_each_run": [round(x, 1) for x in rates],
        "approaches_per_cpu_second_each_run": [round(args.n / run["cpu_seconds"], 1) for run in runs],
        "peak_memory_mb": round(peak_mb, 1),
        "cores": 1,
        "bands": runs[-1]["bands"],
        "pipeline": "default (all detectors, semantic layer on, seed watchlist), fast path (meaning layer off)",
        "cascade": {
            "approaches": args.cascade_n,
            "meaning": "unsure (check FILE and scan by default)",
            "approaches_per_second": round(args.cascade_n / cascade_s, 1),
            "approaches_per_cpu_second": round(args.cascade_n / cascade_cpu, 1),
            "with_a_meaning_finding": read,
            "meaning_layer_on": engine.context.meaning is not None,
        },
        "cli_cold_start_text_check": cold_start(),
        "targets": {"approaches_per_second": 2000, "peak_memory_mb": 500, "cli_cold_start_s": 1.5},
        "machine": {
            "python": platform.python_version(),
            "processor": platform.machine(),
            "python_loop_20m_s_before_and_after": [speed_before, machine_speed()],
        },
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_result(args.out, result)


if __name__ == "__main__":
    main()
