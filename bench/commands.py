"""The commands themselves, as a user runs them, on realistic data: time, CPU and peak memory.

Run: `.venv/bin/python bench/commands.py` -> bench/results/commands.json (`--quick` for small sizes, printed
only; `--src DIR` runs another checkout's `src`, for a before-and-after). Each command runs as a child process
pinned to one core (taskset semantics through os.sched_setaffinity in the child), its standard output written
to a file (counted after, so the output is checked to be complete), and its own rusage read by os.wait4: wall
seconds, CPU seconds (user + system) and peak RSS of that child alone. The machine's speed is recorded before
and after (bench/_results.machine_speed): the machine is shared and its speed drifts.

The data, invented, built in a temporary folder:
- check: JSON Lines of approaches, the voices corpus (five writers) and the dev casebook's texts in turn, each
  copy with its own id and a reference line so that no two texts are equal.
- scan: a 2024-era LinkedIn export (tests/archive_builder.py) whose messages.csv holds N messages in N/5
  conversations: the first message a voices text, the replies short chat; conversations interleaved by date as
  LinkedIn writes them; half started by the owner.
- audit: JSON Lines of profiles, the exposure casebook's texts under invented ids and names (labels dropped).

`check` and `scan` at full size run the fast path (`--meaning never`): the bulk figures. Their defaults (`auto`:
a file of many approaches, an archive, are read by meaning where the fast path was unsure, decision 0050) are
timed apart on `--cascade` approaches and messages (`check_cascade`, `scan_cascade`).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from _results import machine_speed, write_result

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.archive_builder import MESSAGE_COLUMNS, OWNER, OWNER_URL, era_files, write_zip  # noqa: E402

VOICES = ROOT / "src" / "counterpitch" / "data" / "training" / "voices"
DEV_CASEBOOK = ROOT.parent / "shared" / "casebook" / "approaches_dev.jsonl"
PROFILES = ROOT / "casebook" / "exposure" / "profiles_dev.jsonl"
TERMS = ROOT.parent / "shared" / "casebook" / "sensitive_terms_dev.txt"
FIRST = ("Avery", "Bram", "Cato", "Dara", "Ezra", "Fenna", "Gil", "Hale", "Ines", "Joss", "Kit", "Lior")
LAST = ("Quill", "Rowan", "Sorrel", "Thane", "Umber", "Vance", "Wren", "Yarrow", "Zeller", "Ashby", "Brock")
REPLIES = (
    "Thanks, could you tell me a bit more about what you have in mind?",
    "I am travelling this week; Thursday afternoon would work.",
    "Happy to talk, but I would need to check with my manager first.",
    "Sorry for the slow reply. What sort of time commitment is it?",
)
#: Single-core targets of issue 17 (item 7, "Done when").
TARGETS = {
    "check": {"approaches_per_second": 2000, "peak_rss_mb": 400},
    "scan": {"seconds": 60, "peak_rss_mb": 400},
    "audit": {"profiles_per_second": 5000, "peak_rss_mb_at_1m": 500},
}


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


def base_approaches() -> list[dict[str, Any]]:
    base = [r for p in sorted(VOICES.glob("*.jsonl")) for r in _jsonl(p)]
    if DEV_CASEBOOK.is_file():
        base += _jsonl(DEV_CASEBOOK)
    for r in base:
        for k in ("label", "notes", "family", "writer"):
            r.pop(k, None)
    return base


def write_approaches(path: Path, n: int) -> Path:
    base = base_approaches()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            rec = dict(base[i % len(base)])
            rec["id"] = f"{rec.get('id', 'a')}-{i}"
            if rec.get("text"):
                rec["text"] = f"{rec['text']}\n\nRef {i * 7919 % 1_000_003}"
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def _texts() -> list[str]:
    return [r["text"] for r in base_approaches() if r.get("text")]


def write_archive(path: Path, messages: int, per_conversation: int = 5, grouped: bool = False) -> Path:
    """The 2024-era export with `messages` rows in messages.csv: each conversation's rows together, newest first
    (`grouped`, as tests/archive_builder.py writes them), or turn by turn over all conversations, so that each
    conversation's rows lie far apart (the case a reader must hold every open conversation for)."""
    texts = _texts()
    conversations = messages // per_conversation
    files = era_files("2024")
    del files["messages.csv"]
    write_zip(path, files)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf, zf.open("messages.csv", "w") as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(MESSAGE_COLUMNS)
        newest_first = range(per_conversation - 1, -1, -1)
        if grouped:
            order = [(c, t) for c in range(conversations) for t in newest_first]
        else:
            order = [(c, t) for t in newest_first for c in range(conversations)]
        for conv, turn in order:
            n = conv * per_conversation + turn
            other, other_url = f"Invented Person {conv}", f"https://www.linkedin.com/in/invented-{conv}"
            owner_first = conv % 2 == 0
            from_owner = (turn % 2 == 0) == owner_first
            sender, url, to, to_url = (
                (OWNER, OWNER_URL, other, other_url) if from_owner else (other, other_url, OWNER, OWNER_URL)
            )
            first = f"{texts[conv % len(texts)]}\n\nRef {n}"
            body = first if turn == 0 else f"{REPLIES[n % len(REPLIES)]} ({n})"
            day, hour = 1 + turn * 5 + conv % 5, 8 + conv % 10
            stamp = f"2024-03-{day:02d} {hour:02d}:{conv % 60:02d}:00 UTC"
            writer.writerow([f"2-{conv:08d}", "", sender, url, to, to_url, stamp, "", body, "INBOX"])
        out.flush()
        out.detach()
    return path


def write_profiles(path: Path, n: int) -> Path:
    dev = [{k: v for k, v in r.items() if k != "expected"} for r in _jsonl(PROFILES)]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            rec = dict(dev[i % len(dev)])
            rec["id"] = f"inv-{i:07d}"
            rec["name"] = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def _pin() -> None:
    os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})


def run_command(args: list[str], src: Path, out: Path) -> dict[str, Any]:
    """One command in a child process on one core: wall and CPU seconds, peak RSS, exit code, output lines."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"):
        env[var] = "1"
    cmd = [sys.executable, "-m", "counterpitch.cli", *args]
    load_before = os.getloadavg()[0]
    with out.open("wb") as stdout, tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, env=env, preexec_fn=_pin)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        tail = stderr.read().decode("utf-8", "replace")[-600:]
    with out.open("rb") as fh:
        lines = sum(1 for _ in fh)
    return {
        "command": "counterpitch " + " ".join(a if "/" not in a else Path(a).name for a in args),
        "exit_code": proc.returncode,
        "seconds": round(wall, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "output_lines": lines,
        # This child keeps one core busy (a load of 1): more means another process shared the machine meanwhile.
        "load_average_1m_before_and_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        **({"stderr_tail": tail} if proc.returncode else {}),
    }


def bench_check(tmp: Path, n: int, src: Path, fmt: str = "jsonl", meaning: str = "never") -> dict[str, Any]:
    data = write_approaches(tmp / "approaches.jsonl", n)
    r = run_command(["check", str(data), "-f", fmt, "--meaning", meaning], src, tmp / f"check.{fmt}")
    return {
        "approaches": n,
        "meaning": meaning,
        "input_mb": round(data.stat().st_size / 1e6, 1),
        **r,
        "approaches_per_second": round(n / r["seconds"], 1),
        "approaches_per_cpu_second": round(n / r["cpu_seconds"], 1),
    }


def bench_scan(tmp: Path, n: int, src: Path, grouped: bool = False, meaning: str = "never") -> dict[str, Any]:
    data = write_archive(tmp / "Basic_LinkedInDataExport_bench.zip", n, grouped=grouped)
    r = run_command(["scan", str(data), "-f", "json", "--meaning", meaning], src, tmp / "scan.json")
    done = json.loads((tmp / "scan.json").read_text("utf-8")) if r["exit_code"] == 0 else {}
    return {
        "meaning": meaning,
        "layout": "each conversation's rows together" if grouped else "conversations interleaved turn by turn",
        "messages": n,
        "conversations": n // 5,
        "zip_mb": round(data.stat().st_size / 1e6, 1),
        **r,
        "approaches_screened": len(done.get("approaches", [])),
        "messages_per_second": round(n / r["seconds"], 1),
        "messages_per_cpu_second": round(n / r["cpu_seconds"], 1),
    }


def bench_audit(tmp: Path, n: int, src: Path) -> dict[str, Any]:
    data = write_profiles(tmp / "profiles.jsonl", n)
    args = ["audit", str(data), "-f", "jsonl"] + (["--terms", str(TERMS)] if TERMS.is_file() else [])
    r = run_command(args, src, tmp / "audit.jsonl")
    return {
        "profiles": n,
        "input_mb": round(data.stat().st_size / 1e6, 1),
        **r,
        "profiles_per_second": round(n / r["seconds"], 1),
        "profiles_per_cpu_second": round(n / r["cpu_seconds"], 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", type=int, default=200_000, help="approaches for `check`")
    ap.add_argument("--scan", type=int, default=200_000, help="messages for `scan` (five per conversation)")
    ap.add_argument("--audit", type=int, default=1_000_000, help="profiles for `audit`")
    ap.add_argument("--cascade", type=int, default=5_000, help="approaches (and messages) for the cascade's runs")
    ap.add_argument(
        "--only",
        nargs="*",
        choices=("check", "check-json", "check-cascade", "scan", "scan-grouped", "scan-cascade", "audit"),
    )
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="the counterpitch source to run")
    ap.add_argument("--quick", action="store_true", help="small sizes, printed only")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "commands.json")
    args = ap.parse_args()
    if args.quick:
        args.check, args.scan, args.audit, args.cascade = 5_000, 10_000, 20_000, 500
    parts = ("check", "check-json", "check-cascade", "scan", "scan-grouped", "scan-cascade", "audit")
    only = set(args.only or parts)
    speed_before = machine_speed()
    load_before = os.getloadavg()
    result: dict[str, Any] = {"benchmark": "commands, run as a user runs them (one core each)"}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        if "check" in only:
            result["check_jsonl"] = bench_check(tmp, args.check, args.src)
        if "check-json" in only:
            result["check_json"] = bench_check(tmp, args.check, args.src, fmt="json")
        if "check-cascade" in only:
            result["check_cascade"] = bench_check(tmp, args.cascade, args.src, meaning="auto")
        if "scan" in only:
            result["scan"] = bench_scan(tmp, args.scan, args.src)
        if "scan-grouped" in only:
            result["scan_grouped"] = bench_scan(tmp, args.scan, args.src, grouped=True)
        if "scan-cascade" in only:
            result["scan_cascade"] = bench_scan(tmp, args.cascade, args.src, meaning="auto")
        if "audit" in only:
            result["audit_jsonl"] = bench_audit(tmp, args.audit, args.src)
    result.update(
        targets=TARGETS,
        source=str(args.src),
        machine={
            "python": platform.python_version(),
            "processor": platform.machine(),
            "cores_seen": os.cpu_count(),
            "python_loop_20m_s_before_and_after": [speed_before, machine_speed()],
            "load_average_1m_before_and_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        },
        when=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    if args.quick:
        print(json.dumps(result, indent=2))
        return
    if args.only and args.out.is_file():  # the parts run again replace theirs; the machine of each is kept
        previous = json.loads(args.out.read_text("utf-8"))
        for part in (
            "check_jsonl",
            "check_json",
            "check_cascade",
            "scan",
            "scan_grouped",
            "scan_cascade",
            "audit_jsonl",
        ):
            if part in result:
                previous[part] = {**result[part], "machine": result["machine"], "when": result["when"]}
        result = previous
    write_result(args.out, result)


if __name__ == "__main__":
    main()
