"""Text helpers every detector shares (src/counterpitch/text.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from counterpitch.text import clean

TYPOGRAPHIC = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "}


@given(st.text(alphabet=st.sampled_from("ab '\"-\u00e9\u00a3" + "".join(TYPOGRAPHIC))) | st.text())
@settings(max_examples=400, deadline=None)
def test_when_text_is_cleaned_then_only_typographic_characters_change_one_for_one(text: str) -> None:
    cleaned = clean(text)
    assert cleaned == text.translate(str.maketrans(TYPOGRAPHIC))
    assert len(cleaned) == len(text)  # offsets into the cleaned text hold for the original


def test_clean_examples() -> None:
    assert clean("It\u2019s \u201cfine\u201d \u2013 really\u00a0so") == 'It\'s "fine" - really so'
    assert clean("plain ASCII stays") == "plain ASCII stays"
