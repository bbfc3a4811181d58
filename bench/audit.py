"""Audit figures: exposure-detector speed per core, presidio-analyzer side by side, a million profiles streamed
in bounded memory, and two Dask workers against one.

Run: `.venv/bin/python bench/audit.py` (writes bench/results/audit.json; `--quick` for small sizes, printed
only; `--only per_core dask` re-runs those parts and updates their entries). The profiles are invented: the
dev profiles' texts under made-up ids and names (labels dropped), so the mix of disclosures is the dev set's
(rich in clearances: most real staff lists have far fewer, and profiles without a disclosure are cheaper).
Machine load before and after is recorded: the machine may be shared.

(a) One process pinned to one CPU: the four `exposure.*` detectors, `exposure.clearance` alone, and the whole
    audit of a person (detectors + scoring), per second of CPU time and of wall time.
(c) Same process, same profiles: presidio-analyzer with a PatternRecognizer per clearance level generated from
    the same data/clearances.yaml (bench/_presidio.py) against `exposure.clearance`, in 50 alternating rounds
    so the machine's drifting speed falls on both alike. Recall and precision of both on the dev profiles'
    clearance labels.
(b) A child process audits 1,000,000 profiles from JSONL with `run_audit` (one process, per-person JSONL
    written), and reports its peak RSS (getrusage) and RSS every 100,000 profiles.
(d) 1,000,000 profiles as Parquet shards, on a LocalCluster of 1 and then 2 worker processes (1 thread
    each); each cluster is warmed up first (engines built), then the timed run.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from _results import write_result
from counterpitch.audit.core import audit_engine, audit_profile
from counterpitch.audit.inputs import read_terms
from counterpitch.audit.run import Partial
from counterpitch.batch import PersonOutput, jsonl_line, run_audit
from counterpitch.batch.tasks import CHUNK
from counterpitch.detectors.context import Context
from counterpitch.detectors.exposure import CLEARANCE, DETECTORS, scan_clearances
from counterpitch.detectors.exposure.text import _PROSE, _joined
from counterpitch.engine import gc_paused
from counterpitch.model import Assessment, Profile

HERE = Path(__file__).resolve().parent
CASEBOOK = HERE.parents[1] / "shared" / "casebook"
FIRST = ("Avery", "Bram", "Cato", "Dara", "Ezra", "Fenna", "Gil", "Hale", "Ines", "Joss", "Kit", "Lior")
LAST = ("Quill", "Rowan", "Sorrel", "Thane", "Umber", "Vance", "Wren", "Yarrow", "Zeller", "Ashby", "Brock")


def load_dev() -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    rows = [json.loads(x) for x in (CASEBOOK / "profiles_dev.jsonl").read_text("utf-8").splitlines() if x.strip()]
    return rows, read_terms(CASEBOOK / "sensitive_terms_dev.txt")


def invented(dev: list[dict[str, Any]], n: int) -> Iterator[dict[str, Any]]:
    """n profiles: the dev texts under invented ids and names, labels dropped."""
    for i in range(n):
        rec = {k: v for k, v in dev[i % len(dev)].items() if k != "expected"}
        rec["id"] = f"inv-{i:07d}"
        rec["name"] = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
        yield rec


#: Rounds of the per-core measures (the median is reported).
ROUNDS = 3


def rates(n: int, wall: float, cpu: float) -> dict[str, Any]:
    return {"per_s_cpu": round(n / cpu), "per_s_wall": round(n / wall), "seconds_wall": round(wall, 2)}


def timed(fn: Any) -> tuple[float, float]:
    gc.collect()
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


# --- (a) and (c): one core, counterpitch and presidio on the same profiles ------------------------------------


def per_core(dev: list[dict[str, Any]], terms: tuple[str, ...], n: int, presidio_too: bool = True) -> dict[str, Any]:
    os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    profiles = [Profile.model_validate(r) for r in invented(dev, n)]
    ctx = Context(sensitive_terms=terms)
    engine = audit_engine(terms)

    def chunked(work: Any) -> Any:
        """`work` over every profile as the runner does it: chunks with the cyclic GC paused."""

        def run() -> None:
            for i in range(0, len(profiles), CHUNK):
                with gc_paused():
                    for p in profiles[i : i + CHUNK]:
                        work(p)

        return run

    def four_detectors(p: Profile) -> None:
        for d in DETECTORS:
            list(d.detect(p, ctx))

    four = chunked(four_detectors)
    out: dict[str, Any] = {
        "profiles": n,
        "cpu": sorted(os.sched_getaffinity(0)),
        "gc": "paused per chunk of 512",
        "rounds": ROUNDS,
        "note": "each measure runs once per round, the measures taking turns; the median round is reported",
    }
    four()  # warm: regex caches, lazily built tables
    measures = {
        "four_detectors": four,
        "four_detectors_gc_default": lambda: [four_detectors(p) for p in profiles],
        "clearance_only": chunked(lambda p: list(CLEARANCE.detect(p, ctx))),
        "audit_profile": chunked(lambda p: audit_profile(engine, p)),
    }
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in measures}
    for _ in range(ROUNDS):  # in turns: the machine's speed drifts, and would favour whichever ran in a fast minute
        for name, work in measures.items():
            runs[name].append(timed(work))
    for name, times in runs.items():
        wall, cpu = sorted(times, key=lambda t: t[1])[len(times) // 2]
        out[name] = rates(n, wall, cpu) | {"per_s_cpu_each_round": [round(n / c) for _, c in times]}
    out["target_per_core"] = 5000
    out["met"] = out["four_detectors"]["per_s_cpu"] >= 5000
    if not presidio_too:
        return {"detectors": out}
    import _presidio

    presidio, values_of = _presidio.analyzer()
    texts = [_joined(p, _PROSE) for p in profiles]  # the same text counterpitch's clearance rules read
    _presidio.found(presidio, values_of, texts[0])
    side = side_by_side(profiles, texts, lambda p: list(CLEARANCE.detect(p, ctx)), presidio, values_of)
    profiles.clear()
    side["counterpitch_clearance_alone_run"] = out["clearance_only"]
    side["counterpitch_four_detectors"] = out["four_detectors"]
    side["speedup_four_detectors_vs_presidio"] = round(
        out["four_detectors"]["per_s_cpu"] / side["presidio"]["per_s_cpu"], 1
    )
    side["quality_on_dev_clearance_labels"] = quality(dev, presidio, values_of)
    side["presidio_setup"] = (
        f"presidio-analyzer {_version('presidio-analyzer')}, AnalyzerEngine with {len(values_of)} PatternRecognizers "
        "(one per clearance level, patterns generated from data/clearances.yaml), spaCy blank 'en' pipeline via a "
        "SpacyNlpEngine subclass (no model download), score threshold 0; input: the same prose fields as one text"
    )
    side["target_speedup"] = 20
    dev_q = side["quality_on_dev_clearance_labels"]
    side["met"] = (
        side["speedup_clearance_vs_presidio"] >= 20 and dev_q["counterpitch"]["recall"] >= dev_q["presidio"]["recall"]
    )
    return {"detectors": out, "presidio": side}


def side_by_side(
    profiles: list[Profile], texts: list[str], clearance: Any, presidio: Any, values_of: dict[str, tuple[str, ...]]
) -> dict[str, Any]:
    """Both tools over the same profiles in alternating rounds, each timed in CPU seconds, so that the drift of
    this shared machine's speed (30-50% within minutes) falls on both alike rather than on whichever ran later.
    """
    import _presidio

    # Fifty rounds of 2,000 profiles rather than ten of 10,000: counterpitch's share of a round lasts a fraction of
    # a second, so with few rounds it samples the machine's speed at a few instants while presidio's long turns
    # average it; more, shorter rounds sample both alike (same expectation, less spread).
    rounds = 50
    size = -(-len(profiles) // rounds)
    spent = {"counterpitch": [0.0, 0.0], "presidio": [0.0, 0.0]}  # wall, cpu
    for r in range(rounds):
        lo, hi = r * size, min(len(profiles), (r + 1) * size)

        def ours(lo: int = lo, hi: int = hi) -> None:
            for i in range(lo, hi, CHUNK):
                with gc_paused():
                    for p in profiles[i : min(hi, i + CHUNK)]:
                        clearance(p)

        def theirs(lo: int = lo, hi: int = hi) -> None:  # the same GC treatment as counterpitch's runs
            for i in range(lo, hi, CHUNK):
                with gc_paused():
                    for t in texts[i : min(hi, i + CHUNK)]:
                        _presidio.found(presidio, values_of, t)

        for name, run in (("counterpitch", ours), ("presidio", theirs))[:: 1 if r % 2 == 0 else -1]:
            wall, cpu = timed(run)
            spent[name][0] += wall
            spent[name][1] += cpu
    n = len(profiles)
    return {
        "rounds": rounds,
        "presidio": rates(n, *spent["presidio"]),
        "counterpitch_clearance": rates(n, *spent["counterpitch"]),
        "speedup_clearance_vs_presidio": round(spent["presidio"][1] / spent["counterpitch"][1], 1),
    }


def quality(dev: list[dict[str, Any]], presidio: Any, values_of: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """Recall and precision on (profile, SCHEME:LEVEL) pairs. A presidio result that may stand for several
    schemes is a hit if any of them is expected (generous: see bench/_presidio.py)."""
    import _presidio

    tally = {"counterpitch": [0, 0, 0], "presidio": [0, 0, 0]}  # tp, fp, fn
    for row in dev:
        p = Profile.model_validate(row)
        expected = {e.value for e in p.expected if e.kind == "clearance"}
        got = set(scan_clearances(p))
        t = tally["counterpitch"]
        t[0], t[1], t[2] = t[0] + len(got & expected), t[1] + len(got - expected), t[2] + len(expected - got)
        found = _presidio.found(presidio, values_of, _joined(p, _PROSE))
        hit = {v for vs in found for v in vs if v in expected}
        t = tally["presidio"]
        t[0], t[1], t[2] = (
            t[0] + len(hit),
            t[1] + sum(1 for vs in found if not set(vs) & expected),
            t[2] + len(expected - hit),
        )
    return {
        k: {"tp": tp, "fp": fp, "fn": fn, "recall": round(tp / (tp + fn), 3), "precision": round(tp / (tp + fp), 3)}
        for k, (tp, fp, fn) in tally.items()
    }


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


# --- (b): a million profiles, one process, bounded memory -----------------------------------------------------


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def stream_child(path: str, terms_path: str, out: str) -> None:
    """Run in a subprocess: the figures are this process's own."""
    terms = read_terms(Path(terms_path))
    samples: list[float] = []
    count = [0]

    def sample(profile: Profile, assessment: Assessment) -> None:
        count[0] += 1
        if count[0] % 100_000 == 0:
            samples.append(round(rss_mb(), 1))

    start = time.perf_counter()
    result = run_audit(
        [path],
        engine_factory=partial(audit_engine, terms),
        new_partial=Partial.empty,
        outputs=[PersonOutput(Path(out), jsonl_line)],
        on_assessment=sample,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"profiles": result.summary.profiles, "seconds": round(seconds, 1)}
    figures |= {"per_s": round(result.summary.profiles / seconds), "peak_rss_mb": round(peak, 1)}
    print(json.dumps(figures | {"rss_mb_every_100k": samples}))


def streamed(jsonl: Path, terms_path: Path, work: Path) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--stream-child", str(jsonl), str(terms_path), str(work / "people.jsonl")]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    (work / "people.jsonl").unlink(missing_ok=True)
    figures["target_peak_mb"] = 1024
    figures["met"] = figures["peak_rss_mb"] < 1024
    return figures


# --- (d): Dask, one worker against two ------------------------------------------------------------------------


def dask_scaling(shards: Path, warm: Path, terms: tuple[str, ...], n: int) -> dict[str, Any]:
    from distributed import LocalCluster

    out: dict[str, Any] = {"profiles": n, "input": "Parquet shards, row groups of 10,000", "partition_size": 20_000}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as c:
            kw: dict[str, Any] = {"engine_factory": partial(audit_engine, terms), "new_partial": Partial.empty}
            run_audit([warm], scheduler=c.scheduler_address, partition_size=200, **kw)  # engines built
            start = time.perf_counter()
            result = run_audit([shards], scheduler=c.scheduler_address, partition_size=20_000, **kw)
            seconds = time.perf_counter() - start
        assert result.summary.profiles == n
        out[f"workers_{workers}"] = {"seconds": round(seconds, 1), "per_s": round(n / seconds)}
    out["speedup"] = round(out["workers_2"]["per_s"] / out["workers_1"]["per_s"], 2)
    out["target_speedup"] = 1.6
    out["met"] = out["speedup"] >= 1.6
    return out


# --- data and the whole run -----------------------------------------------------------------------------------


def write_inputs(dev: list[dict[str, Any]], n: int, work: Path) -> tuple[Path, Path, Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    jsonl = work / "profiles.jsonl"
    with jsonl.open("w", encoding="utf-8") as fh:
        for rec in invented(dev, n):
            fh.write(json.dumps(rec) + "\n")
    shards = work / "shards"
    shards.mkdir()
    chunk: list[dict[str, Any]] = []
    for i, rec in enumerate(invented(dev, n), 1):
        chunk.append(rec)
        if len(chunk) == 100_000 or i == n:
            pq.write_table(pa.Table.from_pylist(chunk), shards / f"part-{i:08d}.parquet", row_group_size=10_000)
            chunk = []
    warm = work / "warm.jsonl"
    with warm.open("w", encoding="utf-8") as fh:
        for rec in invented(dev, 1000):
            fh.write(json.dumps(rec) + "\n")
    return jsonl, shards, warm


def machine() -> dict[str, Any]:
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE)
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "uptime": uptime,
        "load_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "commit": commit.stdout.strip(),
        "utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; print, do not write the results file")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "audit.json")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["stream", "dask", "per_core"],
        help="run these parts only, updating their entries in an existing results file",
    )
    parser.add_argument(
        "--no-presidio",
        action="store_true",
        help="per_core without the presidio side by side (its entry is kept from the last run that had it)",
    )
    parser.add_argument("--stream-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stream_child:
        stream_child(*args.stream_child)
        return
    per_core_n, big_n = (2_000, 10_000) if args.quick else (100_000, 1_000_000)
    dev, terms = load_dev()
    parts = set(args.only or ("stream", "dask", "per_core"))
    result: dict[str, Any] = {"command": ".venv/bin/python bench/audit.py", "data": "invented (dev texts, new ids)"}
    if args.only and args.out.is_file() and not args.quick:
        result = json.loads(args.out.read_text("utf-8")) | {"last_run_parts": sorted(parts)}
    result["machine_before"] = machine()
    with tempfile.TemporaryDirectory(prefix="cp-audit-bench-") as tmp:
        work = Path(tmp)
        jsonl, shards, warm = write_inputs(dev, big_n if parts & {"stream", "dask"} else 1_000, work)
        # Children first: this process is pinned to one CPU by per_core, and Dask workers would inherit it.
        if "stream" in parts:
            result["stream"] = streamed(jsonl, CASEBOOK / "sensitive_terms_dev.txt", work)
        if "dask" in parts:
            result["dask"] = dask_scaling(shards, warm, terms, big_n)
        if "per_core" in parts:
            result |= per_core(dev, terms, per_core_n, presidio_too=not args.no_presidio)
            if args.no_presidio and "presidio" in result:
                result["presidio"]["note"] = "not re-run with the detectors of this run (--no-presidio)"
    result["machine_after"] = machine()
    if args.quick:
        print(json.dumps(result, indent=2))
    else:
        write_result(args.out, result)


if __name__ == "__main__":
    main()
