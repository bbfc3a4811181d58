"""The phrase rules' pre-filter drops nothing: it names every rule that can fire, and rules read through it find
exactly what they find without it (issue 17, decision 0052).

The pre-filter (`SearchSets`: RE2 sets of a few patterns each) must say, of every pattern, what the pattern alone
says; `PhraseIndex` must pass every rule all of whose groups occur; and a rule run through the index, or through
its own pre-filter, must find what it finds with no pre-filter at all. Checked on the paraphrase sets' texts (each
rule's own hostile and benign wording), the pasted conversations, and texts of their sentences shuffled together.
Language spellers that lean on the English speller's index correct exactly as one built alone.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
import re2
import yaml

from counterpitch.detectors.anchors import loosened
from counterpitch.detectors.assertion import ASSERTION, told_cues
from counterpitch.detectors.context import Context
from counterpitch.detectors.phrases import PhraseDetector, PhraseIndex, SearchSets, reading
from counterpitch.detectors.spelling import Speller, builtin_key_words, builtin_patterns, key_words
from counterpitch.engine import Engine
from counterpitch.model import Approach
from counterpitch.text import clean
from tests.test_languages import NEGATIVE, POSITIVE

DATA = Path(__file__).resolve().parent / "data"


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        yield from (_strings(node["text"]) if isinstance(node.get("text"), str) else _strings(list(node.values())))
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def _shuffled(texts: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    sentences = [s for t in texts for s in re.split(r"(?<=[.!?;:])\s+", t) if s]
    return texts + [" ".join(rng.sample(sentences, rng.randint(2, min(10, len(sentences))))) for _ in range(n)]


#: English: the paraphrase sets' texts and the pasted conversations, and their sentences shuffled together.
TEXTS = _shuffled(
    [t for p in sorted(DATA.glob("*.yaml")) for t in _strings(yaml.safe_load(p.read_text("utf-8")))]
    + [p.read_text("utf-8") for p in sorted((DATA / "pasted").glob("*.txt"))],
    150,
    7,
)


def _texts_for(index: PhraseIndex) -> list[str]:
    """The English texts for the English rules; another language's examples (tests/test_languages.py), shuffled,
    and a few English texts, for its rules."""
    if index.language == "en":
        return TEXTS
    own = [t for code, _, t in POSITIVE + NEGATIVE if code == index.language]
    return _shuffled(own, 60, 11) + TEXTS[::25]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default(meaning=False, semantic=False)


def _indices(engine: Engine) -> list[PhraseIndex]:
    languages = engine.context.languages
    assert engine.context.phrases is not None and languages is not None
    return [engine.context.phrases] + [found[1] for code in languages.codes() if (found := languages.rules(code))]


def _each_alone(patterns: tuple[str, ...]) -> list[re2._Regexp]:
    options = re2.Options()
    options.case_sensitive = False
    return [re2.compile(p, options) for p in patterns]


def test_there_are_texts_of_every_kind() -> None:
    assert len(TEXTS) > 1000


@pytest.mark.parametrize("size", [1, 3, 8, 1000])
def test_sets_say_what_each_pattern_says_alone(engine: Engine, size: int) -> None:
    index = engine.context.phrases
    assert index is not None
    patterns = tuple(loosened(ASSERTION.narrated(p)) for d in index.detectors for g in d.all_of for p in g)
    sets, alone = SearchSets(patterns, size), _each_alone(patterns)
    for text in TEXTS[:: 3 if size != SearchSets.SIZE else 1]:
        read = reading(index.speller, clean(text))[0]
        assert sets.match(read) == [i for i, rx in enumerate(alone) if rx.search(read)], text[:80]


def test_the_index_passes_every_rule_whose_groups_all_occur(engine: Engine) -> None:
    for index in _indices(engine):
        for told in (False, True) if index.language == "en" else (False,):
            cues = told_cues() if told else ASSERTION
            groups = {
                d.meta.id: [_each_alone(tuple(loosened(cues.narrated(p)) for p in g)) for g in d.all_of]
                for d in index.detectors
            }
            for text in _texts_for(index)[:: 4 if index.language == "en" else 1]:
                read = reading(index.speller, clean(text))[0]
                truth = {i for i, gs in groups.items() if all(any(rx.search(read) for rx in g) for g in gs)}
                assert index._passing(read, told) == truth, (index.language, told, text[:80])


def _approaches(texts: list[str]) -> list[Approach]:
    out = [Approach(id=f"t{i}", text=t) for i, t in enumerate(texts)]
    out += [Approach(id=f"a{i}", account=t) for i, t in enumerate(texts[::5])]  # an account: read as told
    return out


def test_rules_find_the_same_with_and_without_a_prefilter(engine: Engine) -> None:
    """Through the shared index, through each rule's own pre-filter, and with no pre-filter at all."""
    for index in _indices(engine):
        shared = Context(phrases=index)
        own = Context()
        for a in _approaches(_texts_for(index)):
            for d in index.detectors:
                assert isinstance(d, PhraseDetector)
                through_index = list(d.detect(a, shared))
                through_own = list(d.detect(a, own))
                with mock.patch.object(PhraseDetector, "_every_group_occurs", return_value=True):
                    unfiltered = list(d.detect(a, own))
                assert through_index == through_own == unfiltered, (index.language, d.meta.id, a.id)


def test_the_cases_reach_every_language_and_make_rules_fire(engine: Engine) -> None:
    """The cases above reach other languages' rules and make most rules fire (else they would prove little)."""
    indices = _indices(engine)
    assert {i.language for i in indices} >= {"en", "fr", "de", "es", "it", "nl", "pl"}
    for index in indices:
        ctx = Context(phrases=index)
        fired = {d.meta.id for a in _approaches(_texts_for(index)) for d in index.detectors if list(d.detect(a, ctx))}
        assert len(fired) >= len(index.detectors) * 2 // 3, (index.language, sorted(fired))


def _typos(words: list[str]) -> list[str]:
    rng = random.Random(3)
    out = []
    for w in words:
        i = rng.randrange(len(w))
        out += [w[:i] + w[i + 1 :], w[:i] + "x" + w[i:], w[:i] + w[i + 1 : i + 2] + w[i : i + 1] + w[i + 2 :]]
    return out


def test_a_language_speller_corrects_as_one_built_alone(engine: Engine) -> None:
    words, stems = builtin_key_words()
    for index in _indices(engine)[1:]:
        extra = frozenset(p for d in index.detectors for p in d._patterns) - builtin_patterns()
        more_words, more_stems = key_words(extra)
        alone, leaning = Speller(words | more_words, stems | more_stems), index.speller
        assert leaning._index._under is not None and alone._index._under is None  # it does lean on English's
        tokens = _typos(sorted(more_words | more_stems) + sorted(words)[::20])
        assert [leaning.correct(t) for t in tokens] == [alone.correct(t) for t in tokens], index.language
        for text in _texts_for(index):
            assert leaning.read(text) == alone.read(text)
