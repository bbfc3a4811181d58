"""Paraphrases of the lure rules (tests/data/lure_paraphrases_*.yaml): each hostile variant fires its own family
and each hard negative leaves it quiet (issue 12, item 6; docs/decisions/0042).

`dev` was written before the rules were widened and is the set the widening was fitted to; `check` was written
after and measured once, before any change for it, to see how far the widening carries. `wide_dev` and
`wide_check` are two halves of a fourth set written for ten families: the rules are widened on the first and
measured once on the second, one family at a time, so only the families in WIDENED are asserted there. The blind
sets (casebook/paraphrase/, casebook/public/) stay unread. Run as a script, this prints the per-family fire rates
the decision record quotes: `PYTHONPATH=src:. python tests/test_lure_paraphrase_dev.py [dev|check]`.

`wide_dev` and `wide_check` are two halves of a fourth set covering ten families: rules are widened on `wide_dev`
and measured once on `wide_check`. Only the families in WIDENED are held to every case of those two files.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import approach, assert_fires, assert_quiet, run

DATA = Path(__file__).resolve().parent / "data"
SETS = ("dev", "check", "fresh", "euphemism", "wide_dev", "wide_check")
#: Sets whose families are asserted only once they have been widened on them (issue 12, item 6).
WIDE = ("wide_dev", "wide_check")
#: The families widened on `wide_dev` so far; the wide sets' other families are measured, not asserted.
WIDENED: tuple[str, ...] = (
    "lure.unnamed_client",
    "lure.moonlighting",
    "lure.politician_access",
    "lure.talent_spotting",
    "lure.secrecy",
    "lure.cash_crypto_gifts",
    "lure.off_platform",
    "lure.paid_travel",
)

Entry = str | dict[str, str]


def _load(name: str) -> dict[str, dict[str, list[Entry]]]:
    with (DATA / f"lure_paraphrases_{name}.yaml").open(encoding="utf-8") as fh:
        data: dict[str, dict[str, list[Entry]]] = yaml.safe_load(fh)
    return data


def _text(entry: Entry) -> str:
    return entry if isinstance(entry, str) else entry["text"]


def _asserted(name: str) -> dict[str, dict[str, list[Entry]]]:
    """The families of a set whose cases are asserted: all of them, or in a wide set only those in WIDENED."""
    data = _load(name)
    return {f: s for f, s in data.items() if name not in WIDE or f in WIDENED}


def _cases(kind: str) -> Iterator[Any]:
    for name in SETS:
        for family, sets in _asserted(name).items():
            for entry in sets.get(kind, []):
                reason = None if isinstance(entry, str) else entry["xfail"]
                marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
                yield pytest.param(family, _text(entry), marks=marks, id=f"{name}:{family}:{_text(entry)[:40]}")


def fire_rates(name: str) -> dict[str, tuple[float, float]]:
    """Per family: the share of hostile variants it fires on, and of hard negatives it stays quiet on."""
    out = {}
    for family, sets in _load(name).items():
        hostile = [_text(e) for e in sets["hostile"]]
        benign = [_text(e) for e in sets["benign"]]
        fired = sum(bool(run(family, approach(t))) for t in hostile)
        quiet = sum(not run(family, approach(t)) for t in benign)
        out[family] = (fired / len(hostile), quiet / len(benign))
    return out


@pytest.mark.parametrize("name", SETS)
def test_when_a_family_is_in_the_catalogue_then_the_sets_cover_it(name: str) -> None:
    """The dev set covers every family of lure.yaml; the later sets, the families they were written for."""
    rules = yaml.safe_load((files("counterpitch") / "data" / "detectors" / "lure.yaml").read_text("utf-8"))
    families = {d["id"] for d in rules["detectors"]}
    data = _load(name)
    assert set(data) <= families, sorted(set(data) - families)
    if name == "dev":
        assert families <= set(data), sorted(families - set(data))
    for family, sets in data.items():
        assert len(sets["hostile"]) >= 2 and len(sets["benign"]) >= 2, family


@pytest.mark.parametrize(("family", "text"), list(_cases("hostile")))
def test_when_a_lure_is_paraphrased_then_its_family_fires(family: str, text: str) -> None:
    assert_fires(family, approach(text))


@pytest.mark.parametrize(("family", "text"), list(_cases("benign")))
def test_when_a_hard_negative_is_read_then_its_family_stays_quiet(family: str, text: str) -> None:
    assert_quiet(family, approach(text))


if __name__ == "__main__":
    for name in sys.argv[1:] or SETS:
        rates = fire_rates(name)
        print(f"[{name}]")
        for family, (fired, quiet) in sorted(rates.items()):
            print(f"{family:28} hostile fired {fired:6.1%}   hard negatives quiet {quiet:6.1%}")
        mean = sum(r[0] for r in rates.values()) / len(rates)
        print(f"{'mean over families':28} hostile fired {mean:6.1%}")
