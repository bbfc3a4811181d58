"""Readers for the public data sets used as false-positive checks (../shared/data): real text nobody here wrote.

EMSCAD job postings (genuine and fraudulent recruitment adverts) and the UCI SMS collection (ordinary short
messages). They are read as Approaches with `label` set from the set's own labels where it has them. The
engine is never trained on them; `bench/false_alarms.py` reports how often it raises an alarm on them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from counterpitch.model import MAX_TEXT_CHARS, Approach

csv.field_size_limit(MAX_TEXT_CHARS)


def emscad(path: Path) -> Iterator[Approach]:
    """Each posting as one approach: company profile, description, requirements and benefits, as the text."""
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.DictReader(fh):
            parts = (row.get(k) or "" for k in ("company_profile", "description", "requirements", "benefits"))
            text = "\n".join(p for p in parts if p)[:MAX_TEXT_CHARS]
            label = "hostile" if row.get("fraudulent") == "1" else "benign"
            yield Approach(id=f"emscad-{row.get('job_id')}", subject=row.get("title") or None, text=text, label=label)


def sms(path: Path) -> Iterator[Approach]:
    """Each message as one approach; `ham` is benign, `spam` (commercial spam, not espionage) is left unlabelled."""
    with path.open(encoding="utf-8", errors="replace") as fh:
        for i, line in enumerate(fh):
            label, _, text = line.rstrip("\n").partition("\t")
            if label in ("ham", "spam") and text:
                yield Approach(id=f"sms-{i}", text=text, label="benign" if label == "ham" else None)
