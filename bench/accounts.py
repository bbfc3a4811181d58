"""Approaches told rather than pasted: the shipped engine on accounts (the Approach's `account`, no message).

Three sets, none of them trained on:

- `writer_f` (casebook/accounts/writer_f.jsonl): invented accounts in the voice of published sources (agency
  advisories, court papers, journalists, vendors, HR notes), written without seeing the rules. It is the
  development set for reading accounts: its misses are listed so the team can see what slipped.
- `writer_g` (casebook/accounts/writer_g.jsonl): invented accounts as people type them into a report box (first
  person, a security officer for a colleague, terse, non-native), by another writer who never saw the rules.
  **Held back**: only its figures are reported, never its cases, and no rule is changed for it.
- `public_described`: the described hostile cases of casebook/public (a source's own account of a real
  approach) fed as accounts, with the public benign cases fed as written (none of them is described).

For each: hostile at medium or high and at high, benign at medium and at high, ROC AUC; and the hostile share
at medium or high by the tactic the writer tagged (`family`), for the two invented sets.

Run: `.venv/bin/python bench/accounts.py` -> bench/results/accounts.json
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from pathlib import Path

from _casebook import labelled as load
from _results import write_result
from counterpitch.engine import Engine
from counterpitch.evaluation import Report, Scored
from counterpitch.model import Approach, Assessment

HERE = Path(__file__).resolve().parent
ACCOUNTS = HERE.parent / "casebook" / "accounts"
PUBLIC = HERE.parent / "casebook" / "public" / "approaches.jsonl"
#: Sets whose cases are never listed: their figures only.
HELD_BACK = {"writer_g"}


def figures(pairs: list[tuple[Approach, Assessment]]) -> dict[str, object]:
    hostile = [a for c, a in pairs if c.label == "hostile"]
    benign = [a for c, a in pairs if c.label == "benign"]

    def share(items: list[Assessment], bands: set[str]) -> float | None:
        return round(sum(a.band in bands for a in items) / len(items), 4) if items else None

    report = Report(cases=[Scored(c.id, int(c.label == "hostile"), a.score, a.band) for c, a in pairs])
    return {
        "hostile": len(hostile),
        "benign": len(benign),
        "hostile_medium_or_high": share(hostile, {"medium", "high"}),
        "hostile_high": share(hostile, {"high"}),
        "benign_medium": share(benign, {"medium"}),
        "benign_high": share(benign, {"high"}),
        "roc_auc": round(report.auc(), 4) if hostile and benign else None,
    }


def by_family(pairs: list[tuple[Approach, Assessment]], raw: dict[str, dict[str, object]]) -> dict[str, object]:
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for c, a in pairs:
        fam = str(raw[c.id].get("family", "?"))
        seen[fam]["cases"] += 1
        seen[fam]["medium_or_high"] += a.band in ("medium", "high")
        seen[fam]["high"] += a.band == "high"
    return {
        fam: {"cases": n["cases"], "medium_or_high": round(n["medium_or_high"] / n["cases"], 3)}
        for fam, n in sorted(seen.items())
    }


def top(a: Assessment, k: int = 3) -> list[str]:
    ranked = sorted(a.findings, key=lambda f: f.weight or 0.0, reverse=True)[:k]
    return [f"{f.detector} {f.weight or 0.0:.1f}" for f in ranked]


def writer_set(engine: Engine, path: Path) -> dict[str, object]:
    loaded = load(path)
    raw = {c.id: r for c, r in loaded}
    told = [c.model_copy(update={"text": "", "account": c.account or c.text}) for c, _ in loaded]
    pairs = [(c, engine.assess(c)) for c in told]
    out: dict[str, object] = {"file": str(path.relative_to(HERE.parent)), **figures(pairs)}
    out["hostile_by_family"] = by_family([(c, a) for c, a in pairs if c.label == "hostile"], raw)
    out["benign_by_family"] = by_family([(c, a) for c, a in pairs if c.label == "benign"], raw)
    if path.stem not in HELD_BACK:
        out["missed_hostile"] = [
            {"id": c.id, "score": a.score, "findings": top(a)}
            for c, a in pairs
            if c.label == "hostile" and a.band == "low"
        ]
        out["raised_benign"] = [
            {"id": c.id, "band": a.band, "score": a.score, "findings": top(a)}
            for c, a in pairs
            if c.label == "benign" and a.band != "low"
        ]
    return out


def public_described(engine: Engine) -> dict[str, object]:
    loaded = load(PUBLIC)
    cases = []
    for c, r in loaded:
        if c.label == "hostile" and r["form"] == "described":
            cases.append(c.model_copy(update={"text": "", "account": c.text}))
        elif c.label == "benign":
            cases.append(c)
    pairs = [(c, engine.assess(c)) for c in cases]
    return {
        "file": str(PUBLIC.relative_to(HERE.parent)),
        "note": "hostile: the described cases as accounts; benign: every benign case as written",
        **figures(pairs),
        "missed_hostile": [
            {"id": c.id, "score": a.score, "findings": top(a)}
            for c, a in pairs
            if c.label == "hostile" and a.band == "low"
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "results" / "accounts.json")
    args = parser.parse_args()
    started = time.perf_counter()
    engine = Engine.default()
    sets: dict[str, object] = {p.stem: writer_set(engine, p) for p in sorted(ACCOUNTS.glob("writer_*.jsonl"))}
    sets["public_described"] = public_described(engine)
    write_result(
        args.out,
        {
            "benchmark": "approaches told in someone's words (the account field), never trained on",
            "held_back": sorted(HELD_BACK),
            "sets": sets,
            "seconds": round(time.perf_counter() - started, 1),
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
    )


if __name__ == "__main__":
    main()
