"""Each lure family's recall on the fifth paraphrase set (tests/data/lure_paraphrases_dev3.yaml, issue 12 item 6).

The set was written before the engine read it, in varied voices, and the rules were widened on it in general ways
(a word class, a construction), never by pasting its wording. This holds each family's phrase rule to at least
90% of its hostile lines and to staying quiet on all but one of its hard negatives. A family below that is
marked xfail (strict) with its measured figure, so the gap stays visible and the mark must go once it is closed.
Run as a script, this prints the per-family figures: `PYTHONPATH=src:. python tests/test_lure_paraphrase_dev3.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import approach, run

DATA = Path(__file__).resolve().parent / "data" / "lure_paraphrases_dev3.yaml"
RECALL = 0.90  # issue 12: at least 90% of hostile paraphrases fire their family
BENIGN_FIRES_ALLOWED = 1
#: Families still under the target on this set, with the figure measured when the mark was set.
SHORT: dict[str, str] = {
    "lure.nonpublic_request": "10/13: a staff directory, an internal-only spec and a lookup in the reader's system",
    "lure.unnamed_client": "9/12: a 'government-linked investor', a foundation 'in the East', 'not important'",
}


def _load() -> dict[str, dict[str, list[Any]]]:
    data: dict[str, dict[str, list[Any]]] = yaml.safe_load(DATA.read_text("utf-8"))
    return data


def _text(entry: Any) -> str:
    return entry if isinstance(entry, str) else str(entry["text"])


def rates(family: str, sets: dict[str, list[Any]]) -> tuple[int, int, int, int]:
    hostile = [_text(e) for e in sets["hostile"]]
    benign = [_text(e) for e in sets["benign"]]
    fired = sum(bool(run(family, approach(t))) for t in hostile)
    false = sum(bool(run(family, approach(t))) for t in benign)
    return fired, len(hostile), false, len(benign)


def test_when_the_set_is_read_then_it_covers_fourteen_families_with_enough_lines() -> None:
    data = _load()
    assert len(data) == 14
    for family, sets in data.items():
        assert len(sets["hostile"]) >= 12 and len(sets["benign"]) >= 6, family


def _params() -> list[Any]:
    out = []
    for family in _load():
        marks = [pytest.mark.xfail(reason=SHORT[family], strict=True)] if family in SHORT else []
        out.append(pytest.param(family, marks=marks, id=family))
    return out


@pytest.mark.parametrize("family", _params())
def test_when_a_family_reads_its_dev3_paraphrases_then_it_fires_on_nine_in_ten(family: str) -> None:
    fired, n, false, m = rates(family, _load()[family])
    assert fired / n >= RECALL, f"{family}: fired on {fired}/{n} hostile paraphrases"
    assert false <= BENIGN_FIRES_ALLOWED, f"{family}: fired on {false}/{m} hard negatives"


if __name__ == "__main__":
    for family, sets in _load().items():
        fired, n, false, m = rates(family, sets)
        print(f"{family:28} hostile fired {fired:2}/{n}  hard negatives fired {false}/{m}")
