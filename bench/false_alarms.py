"""False-alarm rates on real text nobody here wrote (never trained on): EMSCAD job adverts, UCI SMS messages.

Run: `.venv/bin/python bench/false_alarms.py` -> bench/results/false_alarms.json
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from _results import write_result
from counterpitch.engine import Engine
from counterpitch.ingest.public_sets import emscad, sms

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "shared" / "data"


def bands(engine: Engine, cases: list) -> dict[str, object]:
    c = Counter(engine.assess(a).band for a in cases)
    n = len(cases)
    return {
        "cases": n,
        "bands": {b: c[b] for b in ("low", "medium", "high")},
        "alarm_rate_medium_or_high": round((c["medium"] + c["high"]) / n, 4) if n else None,
        "alarm_rate_high": round(c["high"] / n, 4) if n else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "false_alarms.json")
    args = ap.parse_args()
    engine = Engine.default()
    jobs = list(emscad(args.data / "emscad_small" / "fj_small.csv"))
    result = {
        "benchmark": "false alarms on real text (never used for training)",
        "emscad_genuine_job_adverts": bands(engine, [a for a in jobs if a.label == "benign"]),
        "emscad_fraudulent_job_adverts": bands(engine, [a for a in jobs if a.label == "hostile"]),
        "sms_ham": bands(engine, [a for a in sms(args.data / "sms_spam" / "SMSSpamCollection") if a.label]),
        "note": "EMSCAD fraud is recruitment fraud, not state cultivation: it is shown, not scored as a miss.",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_result(args.out, result)


if __name__ == "__main__":
    main()
