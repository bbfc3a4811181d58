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


def test_when_a_sentence_runs_for_paragraphs_then_phrase_rules_read_it_in_bounded_pieces() -> None:
    from counterpitch.text import LONGEST_SENTENCE, bounded_sentences

    # A job advert whose bullet list lost its line breaks: one "sentence" of about 700 characters, with one
    # lost break ("wordsMust") in the second half of the first 300 characters.
    first = " ".join(["Item one of the list names a duty in several plain words"] * 4)
    text = (
        first
        + "Must travel and report weekly to the team"
        + " and then more duties follow in plain words" * 9
        + ". We chat on WhatsApp and LinkedIn daily. Short one."
    )
    pieces = [text[s.start : s.end] for s in bounded_sentences("text", text)]
    assert all(len(p) <= LONGEST_SENTENCE for p in pieces)
    assert len(pieces) >= 3 and pieces[-1] == "Short one."
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")  # nothing lost, nothing doubled
    assert pieces[1].startswith("Must travel")  # cut where the line break was lost
    assert "We chat on WhatsApp and LinkedIn daily." in pieces  # brand names are not lost breaks
