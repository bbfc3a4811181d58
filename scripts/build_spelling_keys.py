"""Remake data/spelling_keys.json: the built-in phrase rules' key words, spelt out once instead of at every start.

The engine checks the file's digest against the rules it loads and spells the words out itself when they differ,
so a stale file costs start-up time, never a word (tests/test_typos.py checks the file is current).

Run: `.venv/bin/python scripts/build_spelling_keys.py`
"""

from __future__ import annotations

import json
from pathlib import Path

from counterpitch.detectors.spelling import KEYS, builtin_patterns, key_words, patterns_digest

OUT = Path(__file__).resolve().parents[1] / "src" / "counterpitch" / "data" / KEYS


def main() -> None:
    patterns = builtin_patterns()
    words, stems = key_words(patterns)
    doc = {
        "made_by": "scripts/build_spelling_keys.py",
        "patterns_sha256": patterns_digest(patterns),
        "words": sorted(words),
        "stems": sorted(stems),
    }
    OUT.write_text(json.dumps(doc, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(words)} words, {len(stems)} stems")


if __name__ == "__main__":
    main()
