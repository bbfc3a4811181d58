"""Place-, nationality- and name-blind verdicts: every benign case with its places, nationalities and names
swapped (counterpitch.counterfactual), the score and band of each variant against its reference.

Run: `.venv/bin/python bench/place_blind.py` -> bench/results/place_blind.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from _results import write_result
from counterpitch.counterfactual import changes, summary, swaps
from counterpitch.engine import Engine
from counterpitch.model import Approach
from counterpitch.training import training_cases

HERE = Path(__file__).resolve().parent
DEV = HERE.parents[1] / "shared" / "casebook" / "approaches_dev.jsonl"
EXAMPLES = HERE.parent / "examples" / "approaches.jsonl"


def read(path: Path) -> list[Approach]:
    return [Approach.model_validate(json.loads(x)) for x in path.read_text("utf-8").splitlines() if x.strip()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "place_blind.json")
    args = ap.parse_args()
    engine = Engine.default()
    sets = {
        "dev_benign": [a for a in read(args.dev) if a.label == "benign"] if args.dev.is_file() else [],
        "training_benign": [a for a in training_cases() if a.label == "benign"],
        "examples_all": read(EXAMPLES),  # unlabelled: hostile and benign alike must not move
    }
    result: dict[str, object] = {
        "benchmark": "counterfactual swaps of places, nationalities and names (score change, variant - reference)",
        "cases": {k: len(v) for k, v in sets.items()},
    }
    overall: list = []
    for name, cases in sets.items():
        per_swap = {}
        for swap in swaps():
            found = changes(engine, cases, swap)
            overall += found
            per_swap[swap.name] = summary(found)
        result[name] = per_swap
    result["overall"] = summary(overall)
    result["when"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    write_result(args.out, result)


if __name__ == "__main__":
    main()
