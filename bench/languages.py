"""The six languages through the engine: how often invented hostile approaches are flagged, and benign ones not.

Run: `python bench/languages.py [--casebook casebook/multilingual/approaches_dev.jsonl] [--check ...] [--dev ...]
[--out ...]`.
For each language of a casebook (its `notes` start with `language: <code>`): hostile and benign cases, the share
of each that comes out medium or high and high, how often the language was identified as written, and, per lure
family named in the notes, whether that family fired (its rule or its meaning finding). The dev cases were written
before the rules were, by the same person (casebook/multilingual/README.md): a development check. The check set
(`check` in the result; casebook/multilingual/CHECK.md) was written blind by another writer and is never tuned on:
it is the figure to quote. The same rates with the English rules alone (`english_rules_only`) show what the
language rules add. The later dev sets (`--dev`, by default approaches_dev2.jsonl and approaches_dev3.jsonl; '' for
none) are measured the same way under `dev_sets`, by file name: written before the rules were widened on them, they
are development checks too.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from _results import write_result
from counterpitch.engine import Engine
from counterpitch.model import Approach

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent / "casebook" / "multilingual" / "approaches_dev.jsonl"
CHECK = HERE.parent / "casebook" / "multilingual" / "approaches_check.jsonl"
MORE_DEV = [HERE.parent / "casebook" / "multilingual" / f"approaches_dev{n}.jsonl" for n in (2, 3)]


def _rate(hits: int, n: int) -> float | None:
    return round(hits / n, 3) if n else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--casebook", type=Path, default=DEFAULT)
    parser.add_argument(
        "--check", type=Path, default=CHECK, help="the blind check set, measured the same way ('' to leave it out)"
    )
    parser.add_argument(
        "--dev",
        type=Path,
        action="append",
        help="a later dev set measured the same way, under dev_sets (repeatable; default: dev2 and dev3; '' for none)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results" / "languages.json")
    args = parser.parse_args()
    engine = Engine.default()
    english_only = Engine(engine.registry, replace(engine.context, languages=None), engine.scorer)
    out = run(engine, english_only, args.casebook)
    if str(args.check) and args.check.is_file():
        out["check"] = run(engine, english_only, args.check)
        out["check"]["about"] = (
            "written blind (casebook/multilingual/CHECK.md): by a writer who saw neither the rules nor the dev "
            "set, and never tuned on; the figure to quote"
        )
    more = [p for p in (MORE_DEV if args.dev is None else args.dev) if str(p) and p.is_file()]
    if more:
        out["dev_sets"] = {p.stem: run(engine, english_only, p) for p in more}
    write_result(args.out, out)


def run(engine: Engine, english_only: Engine, casebook: Path) -> dict[str, Any]:
    rows = [json.loads(x) for x in casebook.read_text("utf-8").splitlines() if x.strip()]
    path = casebook.resolve()
    out: dict[str, Any] = {"casebook": str(path.relative_to(HERE.parent) if path.is_relative_to(HERE.parent) else path)}
    out["english_rules_only"], _ = measure(english_only, rows)
    out["languages"], missed = measure(engine, rows)
    out["families_missed"] = missed
    return out


def measure(engine: Engine, rows: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """Per language: the rates, how often it was identified, and which written-for families fired."""
    by_lang: dict[str, dict[str, Any]] = {}
    missed: list[str] = []
    for row in rows:
        notes = row.get("notes", "")
        code = notes.split(";")[0].removeprefix("language:").strip()
        a = engine.assess(Approach.model_validate(row))
        read = a.language.code if a.language else "en"
        s = by_lang.setdefault(code, {"hostile": [], "benign": [], "identified": 0, "families": [0, 0]})
        s[row["label"]].append(a.band)
        s["identified"] += read == code
        fired = {f.detector for f in a.findings}
        for family in notes.split(";")[1].split("+") if row["label"] == "hostile" and ";" in notes else []:
            family = family.strip()
            if family.startswith("lure."):
                # The family fired: its phrase rule, or its meaning finding (the cascade's second stage).
                hit = family in fired or family.replace("lure.", "meaning.", 1) in fired
                s["families"][1] += 1
                s["families"][0] += hit
                if not hit:
                    missed.append(f"{row['id']}: {family}")
    rates: dict[str, Any] = {}
    for code, s in sorted(by_lang.items()):
        h, b = s["hostile"], s["benign"]
        rates[code] = {
            "hostile": len(h),
            "benign": len(b),
            "hostile_medium_or_high": _rate(sum(x != "low" for x in h), len(h)),
            "hostile_high": _rate(sum(x == "high" for x in h), len(h)),
            "benign_medium_or_high": _rate(sum(x != "low" for x in b), len(b)),
            "benign_high": _rate(sum(x == "high" for x in b), len(b)),
            "language_identified": _rate(s["identified"], len(h) + len(b)),
            "families_fired": f"{s['families'][0]}/{s['families'][1]}",
        }
    return rates, missed


if __name__ == "__main__":
    main()
