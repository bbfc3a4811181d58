"""Whether a change to the engine's speed changes any assessment: dump every verdict under one source tree, then
under another, and compare them line by line (band, score, findings with their evidence, advice, language).

    PYTHONPATH=/path/to/old/src python scripts/same_assessments.py dump before.jsonl
    PYTHONPATH=src python scripts/same_assessments.py dump after.jsonl
    python scripts/same_assessments.py compare before.jsonl after.jsonl

The cases, all run through `Engine.assess_many` with the meaning layer off (the fast path bulk screening runs):
the dev casebook (../shared/casebook/approaches_dev.jsonl), the multilingual dev set, the dev accounts (writer F),
every text of the paraphrase sets under tests/data and the pasted conversations there, `--bench` approaches of
bench/commands.py's mix (the data `counterpitch check` is timed on), and `--random` texts made of those texts'
sentences shuffled together (seeded), so that rules meet words in orders no case holds. Held-back sets
(casebook/accounts/writer_g.jsonl, casebook/paraphrase/, casebook/public/) are not read.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


def _texts(node: object) -> Iterator[str]:
    """Every string under a paraphrase file's families (an entry is a string or {text, xfail})."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        if isinstance(node.get("text"), str):
            yield node["text"]
        else:
            for v in node.values():
                yield from _texts(v)
    elif isinstance(node, list):
        for v in node:
            yield from _texts(v)


def cases(bench: int, shuffled: int) -> Iterator[dict[str, Any]]:
    from commands import write_approaches  # bench/commands.py: the mix `check` is timed on

    records: list[dict[str, Any]] = []
    for path in (
        ROOT.parent / "shared" / "casebook" / "approaches_dev.jsonl",
        ROOT / "casebook" / "multilingual" / "approaches_dev.jsonl",
        ROOT / "casebook" / "accounts" / "writer_f.jsonl",
    ):
        records += [{**r, "id": f"{path.stem}:{r.get('id')}"} for r in _jsonl(path)]
    for path in sorted((ROOT / "tests" / "data").glob("*.yaml")):
        texts = list(_texts(yaml.safe_load(path.read_text("utf-8"))))
        records += [{"id": f"{path.stem}:{i}", "text": t} for i, t in enumerate(texts)]
    for path in sorted((ROOT / "tests" / "data" / "pasted").glob("*.txt")):
        records.append({"id": f"pasted:{path.stem}", "text": path.read_text("utf-8")})
    for r in records:
        for k in ("label", "notes", "family", "writer", "voice", "expected"):
            r.pop(k, None)
    yield from records
    rng = random.Random(17)
    sentences = [s for r in records for s in re.split(r"(?<=[.!?])\s+", r.get("text") or r.get("account") or "") if s]
    for i in range(shuffled):
        yield {"id": f"random:{i}", "text": " ".join(rng.sample(sentences, rng.randint(1, 12)))}
    if bench:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = write_approaches(Path(tmp) / "bench.jsonl", bench)
            yield from _jsonl(path)


def dump(out: Path, bench: int, shuffled: int) -> None:
    from counterpitch.engine import Engine
    from counterpitch.model import Approach

    engine = Engine.default(meaning=False)
    approaches = (Approach.model_validate(r) for r in cases(bench, shuffled))
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for a in engine.assess_many(approaches, meaning="never"):
            fh.write(json.dumps(a.to_json_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    print(f"{n} assessments -> {out}")


def compare(before: Path, after: Path) -> int:
    a = before.read_text("utf-8").splitlines()
    b = after.read_text("utf-8").splitlines()
    if len(a) != len(b):
        print(f"different counts: {len(a)} against {len(b)}")
        return 1
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    for i in differ[:5]:
        print(f"line {i + 1} differs:\n  {a[i][:400]}\n  {b[i][:400]}")
    print(f"{len(a)} assessments, {len(differ)} different")
    return 1 if differ else 0


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--bench", type=int, default=20_000, help="approaches of bench/commands.py's mix")
    d.add_argument("--random", type=int, default=5_000, help="texts of shuffled sentences")
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.cmd == "dump":
        dump(args.out, args.bench, args.random)
    else:
        sys.exit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
