"""How the casebook benches read a labelled file: each Approach with the raw record it came from (for the fields
the engine ignores: `form`, `family`, `voice`), stopping at the first bad record with its file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from counterpitch.ingest.records import RecordError, read_records
from counterpitch.model import Approach


def labelled(path: Path) -> list[tuple[Approach, dict[str, Any]]]:
    with path.open("rb") as stream:
        cases = []
        for item in read_records(stream, Approach, str(path)):
            if isinstance(item, RecordError):
                raise SystemExit(str(item))
            cases.append(item)
    raw = {r["id"]: r for r in map(json.loads, filter(str.strip, path.read_text(encoding="utf-8").splitlines()))}
    return [(c, raw[c.id]) for c in cases]
