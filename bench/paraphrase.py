"""Does each lure rule hold in words its authors did not use? Paraphrase sets written blind, per family.

For every family in casebook/paraphrase/ (hostile paraphrases of that family's sign and hard negatives sharing its
vocabulary, written by someone who had not read the rules): the share of hostile paraphrases on which that
family's detector fires, the share at medium or high (the whole verdict), and the same two shares for the hard
negatives; totals; per writing style; and every miss and every false firing by id and style.

Run: `PYTHONPATH=src .venv/bin/python bench/paraphrase.py` -> bench/results/paraphrase.json
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from _results import write_result
from counterpitch.engine import Engine
from counterpitch.model import Approach, Assessment

HERE = Path(__file__).resolve().parent
SETS = HERE.parent / "casebook" / "paraphrase"
TARGET = 0.90  # issue 12: at least 90% of hostile paraphrases fire their family
Row = tuple[str, str, bool, str, bool]  # id, style, the family fired (rule or meaning), band, its rule fired


def read(path: Path) -> list[tuple[Approach, str, str]]:
    """(approach, family, style) for each line; the extra fields are kept beside the record, not in it."""
    out = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            raw = json.loads(line)
            try:
                out.append((Approach.model_validate(raw), raw["family"], raw["style"]))
            except (KeyError, ValidationError) as e:  # name the line, then stop
                raise SystemExit(f"{path.name}, line {n}: {e}") from e
    return out


def share(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None


def lures(a: Assessment) -> list[str]:
    return sorted({f.detector for f in a.findings if f.detector.startswith(("lure.", "meaning."))})


def tally(rows: list[Row]) -> dict[str, Any]:
    n = len(rows)
    fired = sum(r[2] for r in rows)
    by_rule = sum(r[4] for r in rows)
    alarm = sum(r[3] in ("medium", "high") for r in rows)
    return {
        "cases": n,
        "family_fires": fired,
        "family_fire_rate": share(fired, n),
        "rule_fire_rate": share(by_rule, n),
        "medium_or_high": alarm,
        "medium_or_high_rate": share(alarm, n),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", type=Path, default=SETS)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "paraphrase.json")
    args = ap.parse_args()
    engine = Engine.default()
    t0 = time.perf_counter()
    per_family: dict[str, Any] = {}
    all_rows: dict[str, list[Row]] = {"hostile": [], "benign": []}
    by_style: dict[str, dict[str, list[Row]]] = defaultdict(lambda: {"hostile": [], "benign": []})
    for path in sorted(args.sets.glob("*.jsonl")):
        cases = read(path)
        rows: dict[str, list[Row]] = {"hostile": [], "benign": []}
        misses, false_fires = [], []
        family = ""
        for approach, family, style in cases:
            a = engine.assess(approach)
            seen = {f.detector for f in a.findings}
            by_rule = family in seen
            fired = by_rule or "meaning." + family.removeprefix("lure.") in seen
            row = (approach.id, style, fired, a.band, by_rule)
            assert approach.label is not None
            rows[approach.label].append(row)
            by_style[style][approach.label].append(row)
            entry = {"id": approach.id, "style": style, "band": a.band, "lures_fired": lures(a)}
            if approach.label == "hostile" and not fired:
                misses.append(entry)
            elif approach.label == "benign" and fired:
                false_fires.append(entry)
        per_family[family] = {
            "file": path.name,
            "hostile": tally(rows["hostile"]),
            "hard_negatives": tally(rows["benign"]),
            "meets_target": (tally(rows["hostile"])["family_fire_rate"] or 0) >= TARGET,
            "misses": misses,
            "hard_negatives_fired": false_fires,
        }
        for label in rows:
            all_rows[label] += rows[label]
    elapsed = time.perf_counter() - t0
    result: dict[str, Any] = {
        "benchmark": "blind paraphrase sets per lure family (casebook/paraphrase/, invented, never trained on)",
        "target_hostile_family_fire_rate": TARGET,
        "overall": {
            "hostile": tally(all_rows["hostile"]),
            "hard_negatives": tally(all_rows["benign"]),
            "families_meeting_target": sum(v["meets_target"] for v in per_family.values()),
            "families": len(per_family),
        },
        "per_family": per_family,
        "hostile_by_style": {s: tally(v["hostile"]) for s, v in sorted(by_style.items()) if v["hostile"]},
        "hard_negatives_by_style": {s: tally(v["benign"]) for s, v in sorted(by_style.items()) if v["benign"]},
        "note": (
            "family_fire_rate: that family's own rule (lure.X) or its meaning-layer reading (meaning.X) among the "
            "findings (any strength); rule_fire_rate: its rule alone. medium_or_high: the "
            "whole verdict's band. Hard negatives share the family's vocabulary but not its sign; the family "
            "firing on them is a false firing even when the verdict stays low."
        ),
        "seconds": round(elapsed, 2),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_result(args.out, result)


if __name__ == "__main__":
    main()
