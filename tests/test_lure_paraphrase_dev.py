"""Dev paraphrases of the lure rules (tests/data/lure_paraphrases_dev.yaml): each hostile variant fires its own
family and each hard negative leaves it quiet (issue 12, item 6; docs/decisions/0042).

The set was written before the rules were widened and is the one the widening was measured on; the blind sets
stay unread. `fire_rates` prints the per-family figures the decision record quotes.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import approach, assert_fires, assert_quiet, run

DEV = Path(__file__).resolve().parent / "data" / "lure_paraphrases_dev.yaml"


def _load() -> dict[str, dict[str, list[Any]]]:
    with DEV.open(encoding="utf-8") as fh:
        data: dict[str, dict[str, list[Any]]] = yaml.safe_load(fh)
    return data


def _cases(kind: str) -> Iterator[Any]:
    for family, sets in _load().items():
        for entry in sets.get(kind, []):
            text, reason = (entry, None) if isinstance(entry, str) else (entry["text"], entry["xfail"])
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            yield pytest.param(family, text, marks=marks, id=f"{family}:{text[:40]}")


def fire_rates() -> dict[str, tuple[float, float]]:
    """Per family: the share of hostile variants it fires on, and of hard negatives it stays quiet on."""
    out = {}
    for family, sets in _load().items():
        texts = {k: [e if isinstance(e, str) else e["text"] for e in sets.get(k, [])] for k in ("hostile", "benign")}
        fired = sum(bool(run(family, approach(t))) for t in texts["hostile"])
        quiet = sum(not run(family, approach(t)) for t in texts["benign"])
        out[family] = (fired / len(texts["hostile"]), quiet / len(texts["benign"]))
    return out


def test_when_a_family_is_in_the_catalogue_then_the_dev_set_covers_it() -> None:
    rules = yaml.safe_load((files("counterpitch") / "data" / "detectors" / "lure.yaml").read_text("utf-8"))
    families = {d["id"] for d in rules["detectors"]}
    data = _load()
    assert families <= set(data), sorted(families - set(data))
    for family, sets in data.items():
        assert len(sets["hostile"]) >= 6 and len(sets["benign"]) >= 4, family


@pytest.mark.parametrize(("family", "text"), list(_cases("hostile")))
def test_when_a_lure_is_paraphrased_then_its_family_fires(family: str, text: str) -> None:
    assert_fires(family, approach(text))


@pytest.mark.parametrize(("family", "text"), list(_cases("benign")))
def test_when_a_hard_negative_is_read_then_its_family_stays_quiet(family: str, text: str) -> None:
    assert_quiet(family, approach(text))


if __name__ == "__main__":
    rates = fire_rates()
    for fam, (fired, quiet) in sorted(rates.items()):
        print(f"{fam:28} hostile fired {fired:6.1%}   hard negatives quiet {quiet:6.1%}")
    n = len(rates)
    print(f"{'mean':28} hostile fired {sum(r[0] for r in rates.values()) / n:6.1%}")
