"""Does the learnt layer read voices it was not fitted on? Leave one writer out, over the invented training sets.

The training sets (data/training) come from independent writers, each in their own voices (non-native and
terse; formal and long threads; sector jargon and developer lures), plus the project's first set. For each
writer in turn, the pipeline (wording model and scorer, training.fit_pipeline) is fitted on the other sets and
scores that writer's cases, which it never saw. Variants:

- `first set only`: fitted on the project's first set alone (what shipped before the voices corpus);
- `rules only`: fitted on the other sets, no wording model;
- `wording C=...`: fitted on the other sets, wording model with that regularisation.

The meaning layer (decision 0050) is off here: it is fitted on sentences of every writer's cases, so no writer
is held out from it; its effect is measured on sets nothing was fitted on (bench/paraphrase.py, accounts.py,
public_casebook.py, false_alarms.py).

The first set is never held out (it is in every fit but the baseline's, and its voice is the one we know too
well). The variant to ship is chosen here, on writers held out, never on the evaluation sets
(casebook/public, casebook/paraphrase, the dev casebook).

Run: `.venv/bin/python bench/voices.py` -> bench/results/voices.json
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from _results import write_result
from counterpitch.engine import Engine
from counterpitch.evaluation import Report, Scored
from counterpitch.model import Approach
from counterpitch.training import FIRST, fit_pipeline, rule_features, training_sets

HERE = Path(__file__).resolve().parent


def held_out(
    engine: Engine,
    train: list[Approach],
    rows: list[dict[str, float]],
    test: list[Approach],
    c: float | None,
) -> list[Scored]:
    """`test` scored by a pipeline fitted on `train` (c=None: no wording model)."""
    base = engine if c is not None else engine.with_learnt(engine.scorer, None)
    scorer, text_model = fit_pipeline(base, train, rows, wording_c=c if c is not None else 10.0)
    fitted = base.with_learnt(scorer, text_model)
    out = []
    for a in test:
        assessment = fitted.assess(a)
        out.append(Scored(a.id, int(a.label == "hostile"), assessment.score, assessment.band))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "results" / "voices.json")
    parser.add_argument("--c", type=float, nargs="+", default=[1.0, 3.0, 10.0, 30.0])
    args = parser.parse_args()
    started = time.perf_counter()
    engine = Engine.default(meaning=False)  # fitted on every writer: see the module's note
    sets = training_sets()
    writers = [name for name in sets if name != FIRST]
    if not writers:
        raise SystemExit("no voices corpus under data/training/voices: nothing to hold out")
    features = {name: rule_features(engine, cases) for name, cases in sets.items()}
    variants: dict[str, float | None] = {"rules only": None, **{f"wording C={c:g}": c for c in args.c}}
    per_writer: dict[str, dict[str, object]] = {}
    pooled: dict[str, Report] = {"first set only": Report(method="fitted on the first set only")}
    pooled |= {v: Report(method=f"leave one writer out, {v}") for v in variants}
    for writer in writers:
        test = sets[writer]
        results: dict[str, object] = {"cases": len(test)}
        first = held_out(engine, sets[FIRST], features[FIRST], test, 10.0)
        pooled["first set only"].cases += first
        results["first set only"] = Report(first).summary()
        train = [a for name in sets if name != writer for a in sets[name]]
        rows = [r for name in sets if name != writer for r in features[name]]
        for variant, c in variants.items():
            scored = held_out(engine, train, rows, test, c)
            pooled[variant].cases += scored
            results[variant] = Report(scored).summary()
        per_writer[writer] = results
        print(f"{writer}: done", flush=True)
    result = {
        "benchmark": "voices: leave one writer out (fitted on the other writers and the first set)",
        "sets": {name: len(cases) for name, cases in sets.items()},
        "pooled": {variant: report.summary() for variant, report in pooled.items()},
        "per_writer": per_writer,
        "seconds": round(time.perf_counter() - started, 1),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_result(args.out, result)


if __name__ == "__main__":
    main()
