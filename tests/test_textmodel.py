"""The learnt wording layer: inference matches scikit-learn, explanations add up, the detector quotes evidence."""

from __future__ import annotations

import json
import math
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpitch.detectors.context import Context
from counterpitch.semantic.blind import GAP, masked, person_names, places
from counterpitch.semantic.textmodel import (
    TOKEN,
    Text,
    TextModel,
    document,
    grams,
    load_default_text_model,
    tokens,
)
from counterpitch.semantic.tokens import tokens_with_gaps, words_as_written
from counterpitch.training import FIRST, training_cases, training_sets
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
    clf = LogisticRegression(C=TextModel.C, max_iter=5000, class_weight="balanced").fit(vec.fit_transform(DOCS), LABELS)
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
    trained_on = m.meta["trained_on"]
    assert trained_on[0] == "counterpitch/data/training/approaches_train.jsonl"
    assert set(trained_on[1:]) == {
        f"counterpitch/data/training/voices/{w}.jsonl" for w in training_sets() if w != FIRST
    }
    assert m.meta["C"] == TextModel.C


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
    # The path that masks people's names finds the same tokens when there is nothing to mask.
    assert tokens_with_gaps(text, [], GAP) == tokens(text)
    as_written = words_as_written(ascii_text)
    expected = [GAP if c == "Qx" else w for c, w in zip(as_written, tokens(ascii_text), strict=True)]
    assert tokens_with_gaps(ascii_text, ["Qx"], GAP) == expected


# --- what the model never sees: places, nationalities, languages and people's names (decision 0038) ---


@pytest.mark.parametrize(
    ("text", "hidden", "seen"),
    [
        ("I am based in China and work with partners in Germany.", {"china", "germany"}, {"based", "partners"}),
        ("Our Chinese and Russian colleagues speak Mandarin.", {"chinese", "russian", "mandarin"}, {"colleagues"}),
        ("Offices in Hong Kong, New York and Xi'an.", {"hong", "kong", "new", "york", "xi", "an"}, {"offices", "and"}),
        ("A new office and an annex in Leeds.", {"leeds"}, {"new", "an", "office"}),
        (
            "The Hague, Shanghai, Beijing, Tehran and Moscow.",
            {"hague", "shanghai", "beijing", "tehran", "moscow"},
            {"the"},
        ),
        ("Reading the report was nice; the mobile split is on the bath list.", set(), {"reading", "nice", "mobile"}),
        ("We will pay in Asia-Pacific and the Middle East.", {"asia", "pacific", "middle", "east"}, {"pay"}),
    ],
)
def test_when_text_names_places_then_the_model_sees_gaps(text: str, hidden: set[str], seen: set[str]) -> None:
    words = masked(text)
    assert len(words) == len(tokens(text))
    assert not hidden & set(words) and seen <= set(words)


def test_when_the_people_are_named_then_their_names_are_gaps_where_written_as_names() -> None:
    a = approach(
        "Hi Tom, we will pay for your notes. Will you reply?\n\nBest regards,\nAndy Pike\nPartner",
        sender={"name": "Dr Will Ashdown"},
        recipient={"name": "Tom Baker"},
    )
    doc = document(a)
    assert {"Tom", "Will", "Andy", "Pike", "Ashdown"} <= doc.names and "Dr" not in doc.names
    words = masked(doc.text, doc.names)
    assert {"tom", "andy", "pike"}.isdisjoint(words)
    assert "will" in words  # "we will pay": the same word in lower case is an ordinary word
    assert "partner" in words


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dear Dr. Hale, thank you.", "Hale"),
        ("Hello again everyone", None),
        ("Dear Hiring Manager, please find", None),
        ("Thanks for the call.\nKind regards,\nMaria Santos", "Santos"),
        ("See you then. Cheers, Jo", "Jo"),
        ("Mit freundlichen Grüßen\nLeon Fischer", "Fischer"),
    ],
)
def test_when_a_greeting_or_sign_off_names_someone_then_the_name_is_found(text: str, name: str | None) -> None:
    names = person_names(approach(text))
    assert (name in names) if name else not names


def test_when_only_the_place_differs_then_the_fitted_model_scores_the_same() -> None:
    docs = [d.replace("the committee", "the committee in China") for d in DOCS[:3]] + DOCS[3:6]
    model = TextModel.fit(docs * 3, LABELS[:6] * 3, min_df=1)
    assert not any(g in model.terms for g in ("china", "in china"))
    for place in ("Germany", "Brazil", "Iran", "London", "Shenzhen, Guangdong"):
        assert model.log_odds(f"Our partners in {place} pay for notes.") == model.log_odds(
            "Our partners in China pay for notes."
        )


def test_when_model_masks_places_then_it_still_matches_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    docs = [d + " Based in China." if i % 2 else d + " Offices in New York." for i, d in enumerate(DOCS)]
    model = TextModel.fit(docs, LABELS, min_df=1)
    vec = TfidfVectorizer(analyzer=partial(grams, max_n=2), sublinear_tf=True, min_df=1)
    clf = LogisticRegression(C=TextModel.C, max_iter=5000, class_weight="balanced").fit(vec.fit_transform(docs), LABELS)
    for text in ["Keep it between us in Beijing.", "Apply on the careers page in Paris.", "New York, New York"]:
        expected = clf.predict_proba(vec.transform([text]))[0, 1]
        assert model.probability(text) == pytest.approx(expected, abs=1e-6)


def test_when_place_list_is_loaded_then_it_covers_countries_demonyms_languages_and_cities() -> None:
    p = places()
    for word in ("china", "germany", "russian", "iranian", "mandarin", "beijing", "shenzhen", "london", "turkey"):
        assert word in p.single, word
    for word in ("reading", "nice", "mobile", "split", "bath", "male", "us", "new"):
        assert word not in p.single, word
    assert any(name == ("hong", "kong") for shapes in p.longer.values() for *_, found in shapes for name in found)


def test_when_a_place_is_not_written_as_model_tokens_then_loading_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from counterpitch.semantic import blind

    monkeypatch.setattr(blind, "_data", lambda name: {"kinds": {"city": "são paulo\nNew York\n"}})
    blind.places.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"places\.yaml.*New York"):
            blind.places()
    finally:
        monkeypatch.undo()
        blind.places.cache_clear()


class FullyMasked(TextModel):
    """The model reading every place masked, as in fitting (`grams`)."""

    def _hits(self, doc: Text) -> list[int]:
        return [r for r in map(self._row.get, grams(doc, self.max_n)) if r is not None]


def test_when_scoring_skips_masking_one_word_places_then_scores_are_the_same() -> None:
    # The shipped model holds no n-gram with a one-word place, so scoring leaves them in (a saved lookup per
    # token) and must agree with the model reading them masked, to the bit.
    model = load_default_text_model()
    assert all(g not in model.terms for g in ("china", "beijing", "in china", "chinese", "german"))
    docs = [document(a) for a in training_cases()]
    full = FullyMasked(model.terms, model.intercept, model.max_n)
    assert [z for z, _ in full.contributions_many(docs, 0)] == [z for z, _ in model.contributions_many(docs, 0)]


def test_when_a_model_holds_place_ngrams_then_it_drops_them() -> None:
    m = TextModel({"china": (1.0, 2.0), "in china": (1.0, 1.0), "notes": (1.0, 1.5)}, 0.0)
    assert set(m.terms) == {"notes"}
    assert m.log_odds("Notes from China") == m.log_odds("Notes from Germany")


def test_when_an_organisation_writes_then_its_name_is_not_masked() -> None:
    a = approach(
        "Dear Sam, our Security Policy team runs the Defence Careers Fair.\n\nKind regards,\nCareer Services",
        sender={"name": "Defence Careers Team"},
        recipient={"name": "Sam Okafor"},
    )
    doc = document(a)
    assert {"Sam", "Okafor"} <= doc.names
    assert not {"Defence", "Careers", "Career", "Services", "Team"} & doc.names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tomorrow Tom will call tom.", ["tomorrow", GAP, "will", "call", "tom"]),
        ("Tom Tom, thanks", [GAP, GAP, "thanks"]),
        ("\u201cTom\u201d said Tom\u2019s notes", [GAP, "said", GAP, "notes"]),
        ("TOM and Tomás", [GAP, "and", "tomás"]),
    ],
)
def test_when_a_name_is_masked_then_only_whole_words_written_so_are_gaps(text: str, expected: list[str]) -> None:
    assert tokens_with_gaps(text, ["Tom", "TOM"], GAP) == expected
