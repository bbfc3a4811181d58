"""How every benchmark records its result: JSON under bench/results/, and the same on standard output."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any


def write_result(path: Path, result: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


def machine_speed() -> float:
    """Seconds of CPU a fixed pure-Python loop (20 million additions) takes on this core, now.

    This machine is a shared virtual one whose speed drifts by 30-50% within minutes (the same loop measured
    1.3 s and 2.9 s an hour apart on an idle guest). Recording it before and after a run lets a reader tell a
    slow machine from slow code.
    """
    t = time.process_time()
    x = 0
    for i in range(20_000_000):
        x += i
    return round(time.process_time() - t, 3)
