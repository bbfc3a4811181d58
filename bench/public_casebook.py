"""The shipped engine on real approaches quoted or described in public sources (casebook/public, never trained on).

Hostile cases are split by form: "verbatim" (the source quotes the words) and "described" (the source tells
them in its own words). Every figure is also given without the seed watchlist, because several public personas
(MI5's and the BfV's) are on it by name: that run shows what behaviour and wording alone catch. Each hostile case
left at low is listed with its top findings, and each benign case raised, so the team sees what slipped.

A "described" case is a source telling the approach in its own words, which is what the Approach's `account`
field is for (decision 0043): section `described_as_accounts` feeds those cases as accounts (no message), the way
a reporter or a security officer would type them, beside the default run that reads them as pasted messages.

Run: `.venv/bin/python bench/public_casebook.py` -> bench/results/public_casebook.json
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from _casebook import labelled
from _results import write_result
from counterpitch.engine import Engine
from counterpitch.evaluation import Report, Scored
from counterpitch.model import Approach, Assessment

HERE = Path(__file__).resolve().parent
CASEBOOK = HERE.parent / "casebook" / "public" / "approaches.jsonl"
#: Issue 12's targets for this set.
TARGETS = {
    "hostile_verbatim_medium_or_high_at_least": 2 / 3,
    "hostile_described_medium_or_high_at_least": 0.85,
    "benign_high_at_most": 0.0,
    "benign_medium_at_most": 0.10,
}


def load(path: Path) -> tuple[list[Approach], dict[str, str]]:
    """The cases, and each case's form (the extra field the engine ignores, read from the same file)."""
    pairs = labelled(path)
    return [c for c, _ in pairs], {c.id: r["form"] for c, r in pairs}


def shares(assessed: list[Assessment]) -> dict[str, object]:
    c = Counter(a.band for a in assessed)
    n = len(assessed)
    return {
        "cases": n,
        "bands": {b: c[b] for b in ("low", "medium", "high")},
        "share_medium_or_high": round((c["medium"] + c["high"]) / n, 4) if n else None,
        "share_high": round(c["high"] / n, 4) if n else None,
        "share_medium": round(c["medium"] / n, 4) if n else None,
    }


def top_findings(assessment: Assessment, k: int = 4) -> list[dict[str, object]]:
    ranked = sorted(assessment.findings, key=lambda f: f.weight or 0.0, reverse=True)[:k]
    out = []
    for f in ranked:
        quote = next((e.quote for e in f.evidence if e.quote), None)
        out.append(
            {
                "detector": f.detector,
                "points": round(f.weight or 0.0, 1),
                "evidence": (quote[:120] + "…") if quote and len(quote) > 120 else quote,
            }
        )
    return out


def run(engine: Engine, cases: list[Approach], forms: dict[str, str]) -> dict[str, object]:
    assessed = {a.id: engine.assess(a) for a in cases}
    group = {
        "hostile_verbatim": [c for c in cases if c.label == "hostile" and forms[c.id] == "verbatim"],
        "hostile_described": [c for c in cases if c.label == "hostile" and forms[c.id] == "described"],
        "benign": [c for c in cases if c.label == "benign"],
    }
    report = Report(
        cases=[Scored(c.id, int(c.label == "hostile"), assessed[c.id].score, assessed[c.id].band) for c in cases]
    )
    groups = {name: shares([assessed[c.id] for c in members]) for name, members in group.items()}
    met = {
        "hostile_verbatim_medium_or_high_at_least": groups["hostile_verbatim"]["share_medium_or_high"],
        "hostile_described_medium_or_high_at_least": groups["hostile_described"]["share_medium_or_high"],
        "benign_high_at_most": groups["benign"]["share_high"],
        "benign_medium_at_most": groups["benign"]["share_medium"],
    }
    return {
        "groups": groups,
        "roc_auc": round(report.auc(), 4),
        "targets_met": {
            name: (value >= TARGETS[name] if name.endswith("at_least") else value <= TARGETS[name])
            for name, value in met.items()
        },
        "watchlist_hits": sorted(
            c.id for c in cases if any(f.detector.startswith("watchlist.") for f in assessed[c.id].findings)
        ),
        "missed_hostile": [
            {
                "id": c.id,
                "form": forms[c.id],
                "score": assessed[c.id].score,
                "findings": top_findings(assessed[c.id]),
            }
            for c in group["hostile_verbatim"] + group["hostile_described"]
            if assessed[c.id].band == "low"
        ],
        "raised_benign": [
            {
                "id": c.id,
                "band": assessed[c.id].band,
                "score": assessed[c.id].score,
                "findings": top_findings(assessed[c.id]),
            }
            for c in group["benign"]
            if assessed[c.id].band != "low"
        ],
    }


def as_account(case: Approach) -> Approach:
    """The case told rather than pasted: its text becomes the account, and there is no message."""
    return case.model_copy(update={"text": "", "account": case.text})


def described_as_accounts(engine: Engine, cases: list[Approach], forms: dict[str, str]) -> dict[str, object]:
    told = [as_account(c) for c in cases if c.label == "hostile" and forms[c.id] == "described"]
    assessed = [engine.assess(c) for c in told]
    return {
        "hostile_described": shares(assessed),
        "target_met": (shares(assessed)["share_medium_or_high"] or 0.0)
        >= TARGETS["hostile_described_medium_or_high_at_least"],
        "missed": [
            {"id": c.id, "score": a.score, "findings": top_findings(a)}
            for c, a in zip(told, assessed, strict=True)
            if a.band == "low"
        ],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--casebook", type=Path, default=CASEBOOK)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "public_casebook.json")
    args = ap.parse_args()
    cases, forms = load(args.casebook)
    result = {
        "benchmark": "public casebook: real approaches quoted or described in public sources (never trained on)",
        "casebook": str(args.casebook.relative_to(HERE.parent)) if args.casebook.is_relative_to(HERE.parent) else None,
        "targets": {k: round(v, 4) for k, v in TARGETS.items()},
        "shipped": run(Engine.default(), cases, forms),
        "without_seed_watchlist": run(Engine.default(seed_watchlist=False), cases, forms),
        "described_as_accounts": {
            "shipped": described_as_accounts(Engine.default(), cases, forms),
            "without_seed_watchlist": described_as_accounts(Engine.default(seed_watchlist=False), cases, forms),
        },
        "note": (
            "'described' texts are a source's account, not the message: they test whether the engine recognises the "
            "tradecraft when told of it, not how it reads a real message. Benign cases are real but few (22)."
        ),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_result(args.out, result)


if __name__ == "__main__":
    main()
