"""Which findings a change to the detectors loses or gains, case by case.

Run once per source tree (the tree on PYTHONPATH is the one measured), then compare the two dumps:

    PYTHONPATH=/work/main/src python scripts/findings_diff.py dump before.json CASES.jsonl ...
    PYTHONPATH=src python scripts/findings_diff.py dump after.json CASES.jsonl ...
    python scripts/findings_diff.py compare before.json after.json [--label hostile]

A rule change that moves nothing on the labelled cases is not proven safe, but one that does must say why.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def dump(out: Path, cases: list[Path]) -> None:
    from counterpitch.engine import Engine
    from counterpitch.model import Approach

    engine = Engine.default()
    rows: dict[str, dict[str, object]] = {}
    for path in cases:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            raw = json.loads(line)
            a = Approach.model_validate({k: v for k, v in raw.items() if k not in ("label", "notes")})
            found = engine.assess(a)
            rows[f"{path.name}:{a.id}"] = {
                "label": raw.get("label"),
                "band": found.band,
                "detectors": sorted({f.detector for f in found.findings if f.detector != "semantic.wording"}),
            }
    out.write_text(json.dumps(rows, indent=1, sort_keys=True), encoding="utf-8")


def compare(before: Path, after: Path, label: str | None) -> int:
    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))
    lost = gained = bands = 0
    for key in sorted(old):
        o, n = old[key], new[key]
        if label and o["label"] != label:
            continue
        minus = sorted(set(o["detectors"]) - set(n["detectors"]))
        plus = sorted(set(n["detectors"]) - set(o["detectors"]))
        lost += len(minus)
        gained += len(plus)
        bands += o["band"] != n["band"]
        if minus or plus or o["band"] != n["band"]:
            print(f"{key} [{o['label']}] {o['band']}->{n['band']} lost={minus} gained={plus}")
    print(f"findings lost {lost}, gained {gained}; bands changed {bands}")
    return 0


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("cases", type=Path, nargs="+")
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    c.add_argument("--label")
    args = p.parse_args(argv)
    if args.cmd == "dump":
        dump(args.out, args.cases)
        return 0
    return compare(args.before, args.after, args.label)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
