"""The learnt wording layer: inference matches scikit-learn, explanations add up, the detector quotes evidence."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpitch.detectors.context import Context
from counterpitch.semantic.textmodel import TOKEN, TextModel, load_default_text_model, tokens
from tests.helpers import approach, assert_fires, assert_quiet

DOCS = [
    "We pay a monthly retainer for notes on what officials say privately. Keep it between us.",
    "Send the internal draft before publication; payment in crypto, nothing links back to you.",
    "Our fund pays well for your discreet view on the committee, off the record.",
    "Please apply through our careers page; the salary band is published.",
    "The workshop is open to all and expenses are reimbursed against receipts.",
    "Congratulations on the promotion! Drinks on Friday?",
] * 3
LABELS = [1, 1, 1, 0, 0, 0] * 3


@pytest.fixture(scope="module")
def small() -> TextModel:
    return TextModel.fit(DOCS, LABELS, min_df=1)


def test_when_model_scores_text_then_it_matches_scikit_learn(small: TextModel) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, token_pattern=TOKEN.pattern)
    clf = LogisticRegression(C=10.0, max_iter=5000, class_weight="balanced").fit(vec.fit_transform(DOCS), LABELS)
    for text in ["Keep it between us, we pay in crypto.", "Apply on the careers page.", "nothing known here"]:
        expected = clf.predict_proba(vec.transform([text]))[0, 1]
        assert small.probability(text) == pytest.approx(expected, abs=1e-6)


def test_when_contributions_are_summed_then_they_give_the_log_odds(small: TextModel) -> None:
    z, parts = small.contributions("We pay for notes, keep it between us.")
    assert z == pytest.approx(small.intercept + sum(c for _, c in parts))
    assert parts == sorted(parts, key=lambda p: -abs(p[1]))


def test_when_saved_and_loaded_then_predictions_are_unchanged(small: TextModel, tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    small.save(path)
    again = TextModel.from_json(json.loads(path.read_text()), str(path))
    text = "discreet view off the record"
    assert again.probability(text) == pytest.approx(small.probability(text), abs=1e-4)


def test_when_file_is_not_a_model_then_error_names_it() -> None:
    with pytest.raises(ValueError, match=r"x\.json"):
        TextModel.from_json({"format": "other"}, "x.json")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_when_text_is_arbitrary_then_probability_is_a_probability(text: str) -> None:
    p = load_default_text_model().probability(text)
    assert 0.0 <= p <= 1.0 and not math.isnan(p)


def test_shipped_model_says_where_it_came_from() -> None:
    m = load_default_text_model()
    assert len(m.terms) > 1000
    assert m.meta["trained_on"] == ["counterpitch/data/training/approaches_train.jsonl"]


WORDING = Context(text_model=load_default_text_model())


@pytest.mark.parametrize(
    "text",
    [
        "My client would value a quiet monthly steer on how the department really sees the bid, before anything "
        "is announced. We can pay a retainer to any account you prefer and nobody at your office need know.",
        "Our foundation covers business-class flights and a week of hospitality. In return, a short note on "
        "what the committee is discussing privately would be appreciated. Let's continue on WeChat.",
    ],
)
def test_when_wording_reads_like_cultivation_then_wording_fires_with_quotes(text: str) -> None:
    f = assert_fires("semantic.wording", approach(text), WORDING)
    assert f.evidence[0].quote
    assert "weighed most" in f.explanation


@pytest.mark.parametrize(
    "text",
    [
        "Hi Sam, great to see you at the reunion. Let's get the kids together over the holidays.",
        "Applications for the graduate scheme close on 3 May; the salary and the full process are on our "
        "careers page, and vetting happens after a conditional offer.",
    ],
)
def test_when_wording_is_ordinary_then_wording_stays_quiet(text: str) -> None:
    assert_quiet("semantic.wording", approach(text), WORDING)


def test_when_text_has_characters_that_change_length_when_lowered_then_quotes_still_match() -> None:
    a = approach(
        "İİİ İstanbul. My client would value a quiet monthly steer on the bid before it is announced, paid to "
        "any account you prefer, and nobody at your office need know."
    )
    found = list(default_wording().detect(a, WORDING))
    for e in found[0].evidence if found else ():
        assert e.start is not None and e.end is not None
        assert a.text[e.start : e.end] == e.quote


def default_wording():  # type: ignore[no-untyped-def]
    from counterpitch.detectors.registry import default_registry

    return default_registry(plugins=False).get("semantic.wording")


@given(
    st.text(alphabet=st.characters(max_codepoint=0x2FFF), max_size=80)
    | st.text(
        alphabet=st.sampled_from("ab _-'\u2019\u00a3\u00e9\u00b2\u0663\u4e2d\ud800\u2028\u00a0\u0130"), max_size=9
    )
    | st.text(max_size=60)
)
@settings(max_examples=600, deadline=None)
def test_when_text_is_tokenised_then_tokens_are_exactly_the_regex_tokens(text: str) -> None:
    # The fast paths must find what scikit-learn's token pattern finds, or the fitted model would drift.
    assert tokens(text) == TOKEN.findall(text.lower())
    ascii_text = text.encode("ascii", "replace").decode()
    assert tokens(ascii_text) == TOKEN.findall(ascii_text.lower())
