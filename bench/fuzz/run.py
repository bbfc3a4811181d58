"""Run every atheris harness in bench/fuzz/ for a time budget and write bench/results/fuzz.json.

    python bench/fuzz/run.py --seconds 300 [--jobs 2] [--only pdf,eml]

Each harness runs as its own process (libFuzzer through atheris) on a corpus under bench/fuzz/corpus/<target>/,
seeded from the test builders and kept between runs. A crash or a hang (libFuzzer's -timeout) stops libFuzzer;
its input is kept under bench/fuzz/artifacts/<target>/ and the harness is started again until its time is spent.
Every input kept there should become a file in tests/fuzz/crashes/ with a fix in the parser.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
import _harness  # noqa: E402

TARGETS = ["archive", "archive_csv", "eml", "mbox", "pdf", "records", "csv"]
#: One input taking longer than this is a hang. The PDF reader's own wall-clock budget is 10 s.
TIMEOUT_SECONDS = 30
RSS_LIMIT_MB = 3072
_RUNS = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
_DONE = re.compile(r"Done (\d+) runs in (\d+) second")


def _seed(target: str, corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for name, data in _harness.seeds(target).items():
        (corpus / f"seed-{name}").write_bytes(data)


def fuzz_one(target: str, seconds: float) -> dict[str, object]:
    corpus, artifacts = HERE / "corpus" / target, HERE / "artifacts" / target
    _seed(target, corpus)
    artifacts.mkdir(parents=True, exist_ok=True)
    log = artifacts / "last.log"
    before = {p.name for p in artifacts.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-"))}
    executions, fuzzing, starts, started = 0, 0, 0, time.monotonic()
    while (left := seconds - (time.monotonic() - started)) > 5:
        starts += 1
        cmd = [
            sys.executable, str(HERE / f"fuzz_{target}.py"), str(corpus), f"-max_total_time={int(left)}",
            f"-timeout={TIMEOUT_SECONDS}", f"-rss_limit_mb={RSS_LIMIT_MB}", f"-artifact_prefix={artifacts}/",
            "-print_final_stats=1", "-max_len=65536",
        ]  # fmt: skip
        with log.open("w") as out:
            subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, check=False)
        text = log.read_text(errors="replace")
        runs = _RUNS.findall(text) or [m[0] for m in _DONE.findall(text)]
        executions += int(runs[-1]) if runs else _last_count(text)
        fuzzing += sum(int(m[1]) for m in _DONE.findall(text))
    found = sorted(
        p.name
        for p in artifacts.iterdir()
        if p.name.startswith(("crash-", "timeout-", "oom-")) and p.name not in before
    )
    return {
        "target": target,
        "executions": executions,
        "seconds": round(time.monotonic() - started, 1),
        #: libFuzzer's own count, without the start-up (instrumenting the imports takes 10-20 s a start)
        "fuzzing_seconds": fuzzing,
        "starts": starts,
        "crashes_found": len(found),
        "crash_files": [f"bench/fuzz/artifacts/{target}/{name}" for name in found],
        "corpus_size": sum(1 for _ in corpus.iterdir()),
    }


def _last_count(text: str) -> int:
    """Executions before a crash: the last '#N' status line libFuzzer printed."""
    counts = re.findall(r"^#(\d+)\s", text, re.MULTILINE)
    return int(counts[-1]) if counts else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=300, help="budget per harness")
    parser.add_argument("--jobs", type=int, default=1, help="harnesses run at once")
    parser.add_argument("--only", default="", help="comma-separated targets (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "fuzz.json")
    parser.add_argument("--append", action="store_true", help="add this run to those already in --out")
    args = parser.parse_args()
    targets = [t for t in args.only.split(",") if t] or TARGETS
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda t: fuzz_one(t, args.seconds), targets))
    import atheris

    doc = {
        "tool": f"atheris {getattr(atheris, '__version__', '2.3.0')} (libFuzzer), python {sys.version.split()[0]}",
        "seconds_per_harness": args.seconds,
        "jobs": args.jobs,
        "total_executions": sum(int(r["executions"]) for r in results),  # type: ignore[call-overload]
        "total_seconds": round(sum(float(r["seconds"]) for r in results), 1),  # type: ignore[arg-type]
        "total_fuzzing_seconds": sum(int(r["fuzzing_seconds"]) for r in results),  # type: ignore[call-overload]
        "total_crashes_found": sum(int(r["crashes_found"]) for r in results),  # type: ignore[call-overload]
        "harnesses": results,
    }
    runs = json.loads(args.out.read_text())["runs"] if args.append and args.out.exists() else []
    runs.append(doc)
    every = [h for run in runs for h in run["harnesses"]]
    summary = {
        "total_fuzzing_seconds_all_runs": sum(int(h.get("fuzzing_seconds", 0)) for h in every),
        "total_executions_all_runs": sum(int(h["executions"]) for h in every),
        "total_crashes_found_all_runs": sum(int(h["crashes_found"]) for h in every),
        "runs": runs,
    }
    args.out.write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps({k: v for k, v in doc.items() if k != "harnesses"}, indent=2))
    for r in results:
        print(f"{r['target']:12} {r['executions']:>9} runs {r['seconds']:>7} s  crashes {r['crashes_found']}")


if __name__ == "__main__":
    main()
