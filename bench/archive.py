"""Time and memory of reading a large invented LinkedIn archive, and of refusing a zip bomb.

Builds an export with 100,000 messages (20,000 conversations of 5) in a temporary folder, then measures each
case in a fresh process so that peak RSS belongs to that case alone: `read_archive` on the export; a ~4 GB
zip bomb refused on its header; the same bomb with header checks switched off, refused by the counted read.

Run: `.venv/bin/python bench/archive.py` -> bench/results/archive.json
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from _results import write_result

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.archive_builder import MESSAGE_COLUMNS, OWNER, OWNER_URL, era_files, write_zip, zip_bomb  # noqa: E402

TOPICS = ["the housing bill", "trade data", "a panel in May", "the committee report", "a reading list", "a podcast"]


def build_large(path: Path, messages: int, per_conversation: int = 5) -> Path:
    """The 2024-era export with messages.csv replaced by `messages` rows, streamed into the zip."""
    files = era_files("2024")
    del files["messages.csv"]
    write_zip(path, files)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf, zf.open("messages.csv", "w") as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(MESSAGE_COLUMNS)
        for n in range(messages):
            conv, turn = divmod(n, per_conversation)
            other, other_url = f"Invented Person {conv}", f"https://www.linkedin.com/in/invented-{conv}"
            owner_first = conv % 2 == 0
            from_owner = (turn % 2 == 0) == owner_first
            sender, url, to, to_url = (
                (OWNER, OWNER_URL, other, other_url) if from_owner else (other, other_url, OWNER, OWNER_URL)
            )
            day, minute = 1 + conv % 28, turn * 7 + conv % 7
            body = f"Message {n}: about {TOPICS[n % len(TOPICS)]}, see you at {minute % 12 + 1} pm, ref {n * 7919}."
            writer.writerow([f"2-{conv:08d}", "", sender, url, to, to_url, f"2024-03-{day:02d} 10:{minute:02d}:00 UTC",
                             "", body, "INBOX"])  # fmt: skip
        out.flush()
        out.detach()
    return path


def measure(case: str, path: Path) -> dict[str, object]:
    """Run one case in this process and report its time and peak RSS (this process is fresh)."""
    from counterpitch.ingest.linkedin_archive import read_archive
    from counterpitch.ingest.safezip import SafeZip, UnsafeArchive

    if case == "bomb-counted":
        SafeZip._check_declared = lambda self, info: None  # type: ignore[method-assign]  # as if headers lied
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    result: dict[str, object] = {}
    try:
        archive = read_archive(path)
        result.update(counts=archive.counts, approaches=len(archive.approaches), warnings=len(archive.warnings))
        if case == "scan":  # the whole `counterpitch scan`: read, screen every approach, audit, connections
            from counterpitch.engine import Engine
            from counterpitch.model import PersonProfile
            from counterpitch.scan import scan

            people = [PersonProfile(name=c.name, company=c.company, profile_url=c.url) for c in archive.connections]
            screened = scan(Engine.default(), archive.owner, archive.approaches, people, archive.counts)
            bands = [a.band for _, a in screened.approaches]
            result["bands"] = {b: bands.count(b) for b in ("low", "medium", "high")}
    except UnsafeArchive as exc:
        result["refused"] = str(exc)
    result["seconds"] = round(time.perf_counter() - start, 3)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["rss_before_mb"] = round(baseline, 1)
    return result


def run(case: str, path: Path) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, __file__, "--measure", case, str(path)], capture_output=True, text=True, check=True
    )
    return dict(json.loads(proc.stdout))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "archive.json")
    ap.add_argument("--measure", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        big = build_large(Path(tmp) / "Basic_LinkedInDataExport_bench.zip", args.messages)
        bomb = zip_bomb(Path(tmp) / "bomb.zip")
        result = {
            "benchmark": "LinkedIn archive reader (invented data)",
            "archive": {"messages": args.messages, "zip_bytes": big.stat().st_size, **run("read", big)},
            "scan": {"messages": args.messages, **run("scan", big)},
            "targets": {"scan_seconds": 60, "scan_peak_rss_mb": 1024, "bomb_seconds": 2, "bomb_peak_rss_mb": 256},
            "bomb": {"inflated_bytes": 3_999_268_864, "zip_bytes": bomb.stat().st_size},
            "bomb_refused_on_header": run("bomb-header", bomb),
            "bomb_refused_by_counted_read": run("bomb-counted", bomb),
            "python": sys.version.split()[0],
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
    write_result(args.out, result)


if __name__ == "__main__":
    main()
