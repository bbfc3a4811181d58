"""Truth tables: a misspelt key word fires the rule its right spelling fires (detectors/spelling.py, decision 0040).

Each positive row is `(text, detector, misspelt)`: the rule must fire on the text as written, and its evidence must
quote the misspelt word where it stands (offsets into the original field, however many characters the mended
word gained or lost, after emoji, accents and invisible characters). The negatives are real words one edit from a
key word, names, and words a key word only begins: these are never "corrected". Invented wording.
"""

from __future__ import annotations

import gzip
import json
import pickle
from importlib.resources import files
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpitch.detectors import spelling
from counterpitch.detectors.phrases import PhraseDetector, PhraseIndex, reading
from counterpitch.detectors.registry import default_registry
from counterpitch.detectors.spelling import Speller, builtin_patterns, curated, key_words, known, speller_for
from counterpitch.engine import Engine
from counterpitch.model import Approach
from tests.helpers import approach, assert_fires, assert_quiet

SPELLER = speller_for(frozenset())

MISSPELT: list[tuple[str, str, str]] = [
    ("Can we continue on whatsap?", "lure.off_platform", "whatsap"),
    ("Easier to carry on over Telegarm - what is your handle?", "lure.off_platform", "Telegarm"),
    ("Easier to continue on Watsapp, send me your number.", "lure.off_platform", "Watsapp"),
    ("please send your clearence level and the programmes you have worked on", "lure.cv_clearance", "clearence"),
    ("Please SEND YOUR CLEARENCE LEVEL with your CV.", "lure.cv_clearance", "CLEARENCE"),
    ("Please instal the app on your laptop before the interview.", "lure.install_software", "instal"),
    ("Kindly donwload the assessment file before Friday's interview.", "lure.install_software", "donwload"),
    ("Could you share the confidentail draft before it is published?", "lure.nonpublic_request", "confidentail"),
    ("Please confirm your work credencials on our speaker portal.", "lure.credential_request", "credencials"),
    ("We pay £900 for a short analysys you write on the committee's thinking.", "lure.paid_reports", "analysys"),
    ("Please instal Anydesc so our engineer can look at your setup.", "lure.remote_access", "Anydesc"),
    ("The accomodation and flights are on us for the week in Shenzhen.", "lure.paid_travel", "accomodation"),
    # a slip after an emoji, an accented letter or an invisible character: offsets count the original characters
    ("Merci beaucoup 😊 — très intéressant! Please send your clearence level.", "lure.cv_clearance", "clearence"),
    ("Grüße aus Köln ☕ 🙂 can we continue on whatsap? It is easier.", "lure.off_platform", "whatsap"),
    ("Can we continue on what\u200bsap? It is easier.", "lure.off_platform", "what\u200bsap"),
    ("Please send your clear\u00adence level 👍 and your CV.", "lure.cv_clearance", "clear\u00adence"),
]


@pytest.mark.parametrize(("text", "detector", "misspelt"), MISSPELT)
def test_when_a_key_word_is_misspelt_then_its_rule_fires_and_quotes_it_where_it_stands(
    text: str, detector: str, misspelt: str
) -> None:
    f = assert_fires(detector, approach(text))
    assert any(misspelt in e.quote and text[e.start : e.end] == e.quote for e in f.evidence), f.evidence


@pytest.mark.parametrize(("text", "detector", "misspelt"), MISSPELT)
def test_when_the_engine_reads_a_slip_then_it_fires_as_the_rule_alone_does(
    text: str, detector: str, misspelt: str
) -> None:
    found = {f.detector: f for f in ENGINE.findings(approach(text))}
    assert detector in found
    e = found[detector].evidence[0]
    assert text[e.start : e.end] == e.quote


ENGINE = Engine.default(semantic=False)

#: Real words one edit from a key word, inflections a key word only begins, names: read as written.
LEFT_ALONE = [
    "We walked the gravel path to the station.",  # travel
    "The contract was signed on Monday.",  # contact, signal
    "A single room was booked for the panel.",  # signal
    "I am a full-time carer for my mother.",  # career
    "Congratulations, you have been shortlisted for the role.",  # shortlist
    "Our roadmaps and roundtables are public.",  # roadmap, roundtable
    "Hi Pryce, thanks for the note.",  # price: a name, inside a sentence
    "Dear Ms Hoffer, I hope you are well.",  # offer
    "Thanks for the kind words - see you at the forum.",
]


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_when_a_word_is_real_or_a_name_then_it_is_read_as_written(text: str) -> None:
    assert SPELLER.read(text) == (text, None)


@pytest.mark.parametrize("word", ["gravel", "contract", "single", "signed", "signal", "carer", "ravel", "retort"])
def test_when_a_word_is_in_the_dictionary_then_it_is_never_corrected(word: str) -> None:
    assert known(word)
    assert SPELLER.read(f"the {word} is here") == (f"the {word} is here", None)


@pytest.mark.parametrize("word", ["instal", "clearence", "whatsap", "confidentail", "credencials", "analysys"])
def test_when_a_word_is_a_slip_then_the_dictionary_does_not_hold_it(word: str) -> None:
    assert not known(word)
    assert SPELLER.correct(word) is not None


def test_when_a_hard_negative_holds_a_near_word_then_no_rule_is_made_to_fire() -> None:
    # "gravel" is not "travel", "contract" not "contact": the same sentences with the key words fire.
    assert_quiet("lure.paid_travel", approach("The gravel for the drive is fully funded by the council."))
    assert_fires("lure.paid_travel", approach("The travel for the drive is fully funded by us."))


@pytest.mark.parametrize(
    ("token", "read_as"),
    [
        ("whatsap", "whatsapp"),
        ("clearence", "clearance"),
        ("confidentail", "confidential"),
        ("credencials", "credentials"),
        ("instalation", "installation"),  # a stem (install\w*) and the token's own ending
        ("downlaoding", "downloading"),
        ("teamveiwer", "teamviewer"),
        ("shortlisted", None),  # "shortlist" plus an ending: not a slip
        ("installieren", None),  # the stem already begins it: `install\w*` matches as written
        ("responsibilitiesin", None),  # a key word run into the next word
    ],
)
def test_when_a_token_is_unknown_then_it_is_read_as_the_nearest_key_word(token: str, read_as: str | None) -> None:
    assert SPELLER.correct(token) == read_as


def test_when_a_capitalised_word_inside_a_sentence_is_near_a_common_key_word_then_it_is_a_name() -> None:
    assert SPELLER.read("Our Tully report is out.") == ("Our Tully report is out.", None)
    assert SPELLER.read("Tully the report is out.")[0] == "Fully the report is out."  # opens a sentence
    assert SPELLER.read("We use Whatsap here.")[0] == "We use Whatsapp here."  # a name may be mended anywhere


def test_when_patterns_are_read_then_their_spellings_and_stems_are_key_words() -> None:
    words, stems = key_words(
        [r"\b(?:analys[ie]s|whats ?app|colou?r|summar(?:y|ies)|consult\w*|regist\w+|credentials?)\b", r"\pL+abcdef"]
    )
    assert {"analyses", "analysis", "whatsapp", "colour", "summary", "summaries", "credentials"} <= words
    assert {"consult", "regist"} <= stems and "regist" not in words
    assert "abcdef" in words  # RE2-only syntax: the plain letter runs
    builtin, _ = key_words(builtin_patterns())
    assert {"clearance", "whatsapp", "confidential", "credentials", "analysis", "telegram"} <= builtin


@pytest.mark.parametrize("name", sorted(curated()))
def test_when_a_name_is_curated_then_a_builtin_rule_spells_it(name: str) -> None:
    words, stems = key_words(builtin_patterns())
    assert name in words or any(name.startswith(s) for s in stems), name


def test_when_the_curated_list_has_no_source_then_loading_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    class Bad:
        def read_text(self, encoding: str) -> str:
            return "names:\n  - words: [whatsapp]\n"

    class Data:
        def __truediv__(self, name: str) -> Bad:
            return Bad()

    spelling.curated.cache_clear()
    monkeypatch.setattr(spelling, "_DATA", Data())
    try:
        with pytest.raises(ValueError, match="source"):
            spelling.curated()
    finally:
        monkeypatch.undo()
        spelling.curated.cache_clear()


def test_when_a_speller_is_pickled_then_it_reads_the_same() -> None:
    again = pickle.loads(pickle.dumps(SPELLER))
    text = "Please instal Anydesc and send your clearence level."
    assert again.read(text) == SPELLER.read(text)
    index = PhraseIndex([d for d in default_registry(plugins=False) if isinstance(d, PhraseDetector)])
    assert pickle.loads(pickle.dumps(index)).speller.words == index.speller.words


def test_when_a_user_rule_brings_its_own_words_then_its_slips_are_read_too() -> None:
    own = speller_for(frozenset([r"\bzephyrine\b"]))
    assert own.correct("zephyrina") == "zephyrine" and SPELLER.correct("zephyrina") is None


def test_when_a_text_holds_many_made_up_words_then_only_the_first_ones_are_looked_up() -> None:
    made_up = " ".join(f"qx{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}zzvv" for i in range(600))
    speller = Speller(["clearance"], names=())
    assert speller.read(made_up + " clearence")[1] is None  # past the limit: read as written
    assert speller.read("clearence " + made_up)[0].startswith("clearance ")


# The back-map: every character of the reading points at the original character it came from.
PIECES = st.sampled_from(
    [
        "whatsap",
        "Whatsap",
        "clearence",
        "CLEARENCE",
        "instalation",
        "confidentail",
        "gravel",
        "Pryce",
        "the",
        "your",
        " ",
        "  ",
        ". ",
        "\n",
        "?",
        "😊",
        "☕",
        "é",
        "Köln",
        "\u200b",
        "\u00ad",
        "İ",
        "straße",
        "42",
        "'",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_when_text_is_read_then_the_back_map_points_at_the_original_characters(original: str) -> None:
    text, back = reading(SPELLER, original)
    if back is None:
        assert text == original.replace("\u200b", "").replace("\u00ad", "") or text == original
        return
    assert len(back) == len(text) + 1 and back[-1] == len(original)
    assert all(a <= b for a, b in pairwise(back))
    for i, c in enumerate(text):
        o = original[back[i]]
        # a character is the original one, or a letter of a mended word standing on a letter of the slip
        assert c == o or (c.isalpha() and o.isalpha()), (i, c, o)
    for m in spelling.TOKEN.finditer(text):
        written = original[back[m.start()] : back[m.end()]].replace("\u200b", "").replace("\u00ad", "")
        assert written.lower() == m.group().lower() or SPELLER.correct(written.lower()) == m.group().lower()


def test_when_the_prefilter_reads_a_slip_then_it_lets_its_rule_through() -> None:
    index = ENGINE.context.phrases
    assert index is not None
    assert "lure.off_platform" in index.candidates(Approach(id="t", text="Can we continue on whatsap?"))


def test_when_the_word_list_is_shipped_then_it_names_its_sources_and_licences() -> None:
    with gzip.open(str(files("counterpitch") / "data" / "words.txt.gz"), "rt", encoding="utf-8") as fh:
        header = [line for line in fh.read(4000).splitlines() if line.startswith("#")]
    assert sum("source:" in line and "licence" in line for line in header) == 2
    assert any("scripts/build_words.py" in line for line in header)


def test_when_the_rules_are_loaded_then_the_saved_key_words_are_the_ones_they_spell() -> None:
    # data/spelling_keys.json saves spelling the rules out at start-up; remake it with
    # scripts/build_spelling_keys.py when a rule changes (a stale file is ignored, at a cost in start-up time).
    saved = json.loads((files("counterpitch") / "data" / spelling.KEYS).read_text("utf-8"))
    patterns = spelling.builtin_patterns()
    assert saved["patterns_sha256"] == spelling.patterns_digest(patterns), "run scripts/build_spelling_keys.py"
    words, stems = spelling.key_words(patterns)
    assert (frozenset(saved["words"]), frozenset(saved["stems"])) == (words, stems)
    assert spelling.builtin_key_words() == (words, stems)


def test_when_the_saved_key_words_are_stale_then_they_are_spelt_out_again(monkeypatch: pytest.MonkeyPatch) -> None:
    spelling.builtin_key_words.cache_clear()
    monkeypatch.setattr(spelling, "patterns_digest", lambda patterns: "stale")
    try:
        assert spelling.builtin_key_words() == spelling.key_words(spelling.builtin_patterns())
    finally:
        spelling.builtin_key_words.cache_clear()
