"""The phrase rules' pre-filter: one RE2 set of every pattern against sets of a few, and each pattern alone.

Run: `.venv/bin/python bench/prefilter.py [--approaches 4000] [--rounds 3]` -> bench/results/prefilter.json.

The fields are those the English rules read of bench/commands.py's mix (the data `counterpitch check` is timed
on), as the pre-filter reads them (invisible characters out, typos mended), each distinct field once. Timed in
one process, the layouts taking turns each round; per-field times are the median round's. Each pattern is also
timed alone in a set of its own and ranked: what a pattern costs alone against what it costs beside others is
the point (decision 0052).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import re2

from _results import machine_speed, write_result
from commands import write_approaches

HERE = Path(__file__).resolve().parent


def _one_set(patterns: list[str]) -> Any:
    """The layout before decision 0052: one set of every pattern, 64 MB for its DFA."""
    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = 64 << 20
    found = re2.Set.SearchSet(options)
    for p in patterns:
        found.Add(p)
    found.Compile()
    return found


def _seconds(match: Any, texts: list[bytes]) -> float:
    start = time.perf_counter()
    for t in texts:
        match(t)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--approaches", type=int, default=4000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "prefilter.json")
    args = ap.parse_args()

    from counterpitch.detectors.anchors import loosened
    from counterpitch.detectors.assertion import ASSERTION
    from counterpitch.detectors.phrases import SearchSets, _scope_fields, reading
    from counterpitch.engine import Engine
    from counterpitch.model import Approach
    from counterpitch.text import clean

    speed_before = machine_speed()
    index = Engine.default(meaning=False).context.phrases
    assert index is not None
    with tempfile.TemporaryDirectory() as tmp:
        path = write_approaches(Path(tmp) / "a.jsonl", args.approaches)
        approaches = [Approach.model_validate_json(x) for x in path.read_text("utf-8").splitlines()]
    scopes = sorted({d.scope for d in index.detectors})
    fields = [
        reading(index.speller, clean(raw))[0] for a in approaches for s in scopes for _, raw in _scope_fields(a, s)
    ]
    texts = [t.encode() for t in dict.fromkeys(fields)]
    owners = [(d.meta.id, gi) for d in index.detectors for gi, g in enumerate(d.all_of) for _ in g]
    patterns = [loosened(ASSERTION.narrated(p)) for d in index.detectors for g in d.all_of for p in g]

    layouts: dict[str, Any] = {"one set of all patterns (before)": _one_set(patterns).Match}
    for size in (1, 4, 8, 16, 32):
        layouts[f"sets of {size}" + (" (now)" if size == SearchSets.SIZE else "")] = SearchSets(patterns, size).match
    answers = {name: [match(t) or [] for t in texts[:500]] for name, match in layouts.items()}
    first = next(iter(answers.values()))
    same = all([sorted(a) for a in ans] == [sorted(a) for a in first] for ans in answers.values())
    times: dict[str, list[float]] = {name: [] for name in layouts}
    for _ in range(args.rounds):
        for name, match in layouts.items():
            times[name].append(_seconds(match, texts))
    per_field = {name: round(statistics.median(t) / len(texts) * 1e6, 1) for name, t in times.items()}

    alone = []
    for i, p in enumerate(patterns):
        match = _one_set([p]).Match
        _seconds(match, texts[:200])
        alone.append((_seconds(match, texts), i))
    alone.sort(reverse=True)
    print(f"{len(texts)} fields", file=sys.stderr)
    result = {
        "benchmark": "phrase-rule pre-filter: one RE2 set of every pattern against sets of a few (one process)",
        "fields": len(texts),
        "mean_field_chars": round(sum(map(len, texts)) / len(texts), 1),
        "approaches": args.approaches,
        "patterns": len(patterns),
        "same_answers": same,
        "microseconds_per_field": per_field,
        "each_pattern_alone_microseconds_per_field_sum": round(sum(t for t, _ in alone) / len(texts) * 1e6, 1),
        "costliest_patterns_alone": [
            {
                "rule": owners[i][0],
                "group": owners[i][1],
                "microseconds_per_field": round(t / len(texts) * 1e6, 2),
                "pattern_head": patterns[i][:120],
            }
            for t, i in alone[:10]
        ],
        "machine": {"python_loop_20m_s_before_and_after": [speed_before, machine_speed()]},
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_result(args.out, result)


if __name__ == "__main__":
    main()
