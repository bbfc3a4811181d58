"""Anchors in phrase rules: `^` and `$` mean a sentence's start and end (detectors/anchors.py)."""

from __future__ import annotations

import pytest
import re2

from counterpitch.detectors.anchors import anchor_positions, is_anchored, loosened


@pytest.mark.parametrize(
    ("pattern", "positions"),
    [
        (r"^\W*run\b", [0]),
        (r"\b(?:you|your)\b|^go\b", [17]),
        (r"end\.$", [5]),
        (r"[^.!?]+", []),  # a negated class
        (r"[]^]x", []),  # ']' first in a class is literal, and '^' inside it too
        (r"\^caret \$dollar", []),  # escaped
        (r"[\]^]$", [5]),
        (r"a\\^b", [3]),  # an escaped backslash, then an anchor
    ],
)
def test_anchor_positions(pattern: str, positions: list[int]) -> None:
    assert anchor_positions(pattern) == positions
    assert is_anchored(pattern) == bool(positions)


def test_loosened_pattern_finds_the_sentence_start_inside_a_field() -> None:
    pattern = r"^\W*(?:\w+\W+){0,2}(?i:unzip|run)\b"
    assert re2.search(pattern, "Hello there, dear friend. Unzip the file.") is None
    assert re2.search(loosened(pattern), "Hello there, dear friend. Unzip the file.") is not None
    assert re2.search(loosened(pattern), "Unzip it.") is not None
    assert re2.search(loosened(pattern), "We will then run it") is None
    assert loosened(r"[^x]y") == r"[^x]y"
