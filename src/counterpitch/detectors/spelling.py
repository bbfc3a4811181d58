"""A typo-tolerant reading of the text for the phrase rules: a misspelt key word is read as the word they know.

Why: one slip in a key word ("clearence", "whatsap", "confidentail", "credencials") made a rule miss, and real
approaches, written in a second language or in a hurry, are full of them (issue 12, decision 0040).

How: the key words are the rules' own, read out of their patterns (`key_words`), plus a few names from
data/spelling.yaml. A token of five letters or more that is neither one of them nor a real word (data/words.txt.gz,
built by scripts/build_words.py) is read as the key word one Damerau-Levenshtein edit away (two for words of nine
letters or more), or as a key stem followed by its ending ("instalation" as "installation", for `install\\w*`).
Real words are never changed: "gravel" stays gravel, not travel. The reading keeps, for every character, where it
came from, so evidence still quotes the original, misspelt text at its place.

Cost: bulk screening reads every message, so the common path is a byte translation, one regular-expression pass
for the words of five letters or more, and set look-ups, all in C (about 10 us for a 600-character message); only a
word in no list (a name, a slip) goes further, to a deletion index (a few dictionary look-ups) whose candidates
rapidfuzz's Damerau-Levenshtein distance confirms, and the answer is remembered.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from importlib.resources import files
from itertools import filterfalse
from typing import Any

import yaml
from rapidfuzz.distance import DamerauLevenshtein

__all__ = [
    "SHORTEST",
    "TOKEN",
    "Speller",
    "builtin_patterns",
    "curated",
    "dictionary",
    "key_words",
    "known",
    "speller_for",
]

#: Shorter tokens are never corrected: too many real words lie one edit from a four-letter word.
SHORTEST = 5
#: From this length two edits are allowed ("confidentail", "credencials"); below it, one.
TWO_EDITS = 9
#: A token: a run of Latin letters (ASCII, Latin-1 and Latin Extended), five or more. Other scripts are never read.
TOKEN = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]{5,}")
#: At most this many distinct unknown tokens of one text are looked up (the first ones, in text order), so a long
#: text of made-up words costs a bounded time; the rest is read as written.
MOST_UNKNOWN = 256

#: How many of the commonest words the fast path tries first.
COMMON = 8192

_DATA = files("counterpitch") / "data"


def dictionary() -> frozenset[bytes]:
    """The real words (five letters or more) that are never corrected, lower case, as UTF-8 (the reader's fast path
    reads bytes), loaded once."""
    return _word_sets()[1]


def _common() -> frozenset[bytes]:
    """The commonest words of the list ("would", "please", "about"): most of any text, found in a set small enough
    to stay in the processor's cache; only the rest is looked up in the whole list (a cache miss each)."""
    return _word_sets()[0]


@lru_cache(maxsize=1)
def _word_sets() -> tuple[frozenset[bytes], frozenset[bytes]]:
    """The commonest words and all of them, from the file (which puts the commonest first)."""
    with gzip.open(str(_DATA / "words.txt.gz"), "rb") as fh:
        words = [line for line in fh.read().split(b"\n") if line and not line.startswith(b"#")]
    return frozenset(words[:COMMON]), frozenset(words)


def known(word: str) -> bool:
    """Is this lower-case word a real word (data/words.txt.gz)?"""
    return word.encode() in dictionary()


@lru_cache(maxsize=1)
def curated() -> frozenset[str]:
    """The names from data/spelling.yaml (validated: lower-case tokens, each entry with its source)."""
    doc = yaml.safe_load((_DATA / "spelling.yaml").read_text("utf-8"))
    out: set[str] = set()
    for i, entry in enumerate(doc.get("names", [])):
        where = f"data/spelling.yaml: names[{i}]"
        if not isinstance(entry, Mapping) or not entry.get("source") or not entry.get("why"):
            raise ValueError(f"{where}: each entry needs words, a source and why")
        for word in entry.get("words", []):
            if not isinstance(word, str) or word != word.lower() or not TOKEN.fullmatch(word):
                raise ValueError(f"{where}: {word!r} is not a lower-case word of {SHORTEST}+ letters")
            out.add(word)
    return frozenset(out)


@lru_cache(maxsize=1)
def builtin_patterns() -> frozenset[str]:
    """Every `all_of` and `none_of` pattern of the built-in phrase rules (data/detectors/*.yaml): a misspelt veto
    word must not let a rule fire that the right spelling would stop."""
    out: set[str] = set()
    for resource in sorted((_DATA / "detectors").iterdir(), key=lambda r: r.name):
        if not resource.name.endswith(".yaml"):
            continue
        for spec in yaml.safe_load(resource.read_text("utf-8")).get("detectors", []):
            match = spec.get("match", {}) if isinstance(spec, Mapping) else {}
            for group in match.get("all_of", []):
                out.update(str(p) for p in group)
            out.update(str(p) for p in match.get("none_of", []))
    return frozenset(out)


def speller_for(patterns: frozenset[str]) -> Speller:
    """The speller that knows the key words of the built-in rules and of `patterns` (a user's own rules), made
    once: every engine and rule with the built-in rules alone shares one, and its memory of tokens."""
    return _speller(patterns - builtin_patterns())


@lru_cache(maxsize=16)
def _speller(extra: frozenset[str]) -> Speller:
    words, stems = builtin_key_words()
    if not extra:
        return Speller(words, stems)
    more_words, more_stems = key_words(extra)
    # The built-in rules' speller lends its look-up indices: each language's speller adds only its own words.
    return Speller(words | more_words, stems | more_stems, like=_speller(frozenset()))


#: The built-in rules' key words as last spelt out (scripts/build_spelling_keys.py), with a digest of the patterns
#: they came from: spelling them out parses every pattern, a third of a second at every start.
KEYS = "spelling_keys.json"


def patterns_digest(patterns: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(patterns)).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def builtin_key_words() -> tuple[frozenset[str], frozenset[str]]:
    """The key words and stems of the built-in rules: from data/spelling_keys.json when it was made from these very
    patterns, else spelt out here (a rule edited without remaking the file costs start-up time, never a word)."""
    patterns = builtin_patterns()
    try:
        saved = json.loads((_DATA / KEYS).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        saved = None
    if isinstance(saved, dict) and saved.get("patterns_sha256") == patterns_digest(patterns):
        return frozenset(saved["words"]), frozenset(saved["stems"])
    return key_words(patterns)


# Key words out of the rules' patterns. A pattern is parsed (Python's parser reads the RE2 syntax the rules use)
# and its small alternations spelt out: "analys[ie]s" gives analyses and analysis, "colou?r" color and colour,
# "summar(?:y|ies)" summary and summaries. Anything else (a class like \w or \d, a dot, a repeat) ends a word; a
# word followed by an open-ended \w* or \w+ is a stem ("consult\w*").
_BREAK, _STEM, _STEM_ONLY = "\0", "\1", "\2"
#: A sequence with more spellings than this is read in parts (the words inside each part are kept).
_MOST_SPELLINGS = 256
#: Letters a class may offer one by one ("[ie]"); a larger class ends a word.
_MOST_CLASS = 4
_RUN = re.compile("([^\\W\\d_]+)([" + _STEM + _STEM_ONLY + "]?)")


def key_words(patterns: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The words (five letters or more) the patterns spell out, and the stems they leave open (`consult` of
    `consult\\w*`), lower case."""
    words: set[str] = set()
    stems: set[str] = set()
    parser: Any = importlib.import_module("re._parser")
    for pattern in patterns:
        try:
            tree = parser.parse(pattern)
        except (re.error, OverflowError, RecursionError):  # RE2-only syntax: take the plain letter runs
            spellings = [_plain(pattern)]
        else:
            spellings = _Spelling(words, stems).sequence(list(tree))
        for s in spellings:
            _collect(s, words, stems)
    return frozenset(words), frozenset(stems)


def _collect(spelt: str, words: set[str], stems: set[str]) -> None:
    for m in _RUN.finditer(spelt):
        run, mark = m.group(1).lower(), m.group(2)
        if len(run) < SHORTEST:
            continue
        if mark:
            stems.add(run)
        else:
            words.add(run)


def _plain(pattern: str) -> str:
    """A pattern's letters outside classes and escapes, each run ended where a quantifier or group follows."""
    return re.sub(r"\[(?:\\.|[^\]])*\]|\\.|[^\W\d_]?[?*+{]|[()|.^$]", _BREAK, pattern)


class _Spelling:
    """Spells out a parsed pattern: each node gives the strings it can stand for (`_BREAK` for anything else)."""

    def __init__(self, words: set[str], stems: set[str]) -> None:
        self.words, self.stems = words, stems

    def sequence(self, items: list[tuple[Any, Any]]) -> list[str]:
        out = [""]
        for op, arg in items:
            alternatives = self.node(str(op), arg)
            if len(out) * len(alternatives) > _MOST_SPELLINGS:
                for s in out:  # too many spellings: keep what is spelt so far, start afresh
                    _collect(s, self.words, self.stems)
                out = [_BREAK]
            out = list(dict.fromkeys(a + b for a in out for b in alternatives))
        return out

    def node(self, op: str, arg: Any) -> list[str]:
        if op == "LITERAL":
            return [chr(arg).lower()]
        if op == "AT":  # \b, ^, $: no width
            return [""]
        if op == "SUBPATTERN":
            return self.sequence(list(arg[-1]))
        if op == "BRANCH":
            return list(dict.fromkeys(s for branch in arg[1] for s in self.sequence(list(branch))))
        if op == "IN":
            letters = [chr(c).lower() for kind, c in arg if str(kind) == "LITERAL"]
            if len(letters) == len(arg) <= _MOST_CLASS and all(c.isalpha() for c in letters):
                return list(dict.fromkeys(letters))
            return [_BREAK]
        if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            return self.repeat(*arg)
        return [_BREAK]

    def repeat(self, least: int, most: int, item: Any) -> list[str]:
        body = list(item)
        if most > 1 and len(body) == 1 and str(body[0][0]) == "IN" and _wordlike(body[0][1]):
            return [_STEM if least == 0 else _STEM_ONLY]  # consult\w*, regist\w+
        if most <= 1:
            return ([""] if least == 0 else []) + self.sequence(body)
        return [_BREAK]


def _wordlike(klass: Any) -> bool:
    """A class of word characters (\\w, or one holding the letters a-z): what follows a stem."""
    for kind, arg in klass:
        if str(kind) == "CATEGORY" and str(arg) == "CATEGORY_WORD":
            return True
        if str(kind) == "RANGE" and arg[0] <= ord("a") and arg[1] >= ord("z"):
            return True
    return False


class Speller:
    """Reads the misspelt key words of a text as the key words, keeping where each character came from.

    `words` are the key words, `stems` the key stems (`consult` of `consult\\w*`; a stem that is a real word is a
    key word too), `names` the key words that are names (data/spelling.yaml): only these are read into a word
    written with a capital inside a sentence, which is far more often someone's name ("Pryce", "Hoffer") than a
    slip. Immutable but for its memory of looked-up tokens (a pure function's cache). Pickles as its key words.
    """

    def __init__(
        self,
        words: Iterable[str],
        stems: Iterable[str] = (),
        names: Iterable[str] | None = None,
        like: Speller | None = None,
    ) -> None:
        self.stems = frozenset(s for s in stems if len(s) >= SHORTEST)
        self.names = curated() if names is None else frozenset(names)
        self.words = frozenset(w for w in words if len(w) >= SHORTEST) | self.names
        self.words |= {s for s in self.stems if known(s)}
        self._known_words = frozenset(w.encode() for w in self.words)
        self._common_word = _common().__contains__
        self._dictionary = dictionary()
        # A speller `like` one with fewer words shares its indices and indexes only the words it adds: the same
        # candidates (an index's answer for a token is the union of its words' answers), a fraction of the memory.
        self._index: _DeletionIndex = _DeletionIndex.adding(
            like._index if like else None, like.words if like else (), self.words
        )
        self._stem_index: _DeletionIndex = _DeletionIndex.adding(
            like._stem_index if like else None, like.stems if like else (), self.stems
        )
        self._stem_lengths = sorted({len(s) for s in self.stems})
        self._longest = max(map(len, self.words), default=0)
        self._memo: dict[str, str | None] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (tuple(sorted(self.words)), tuple(sorted(self.stems)), tuple(sorted(self.names))))

    def read(self, text: str) -> tuple[str, tuple[int, ...] | None]:
        """The text with misspelt key words corrected, and for each of its characters (and its end) the position
        in `text` it came from; None when nothing changed."""
        # The fast path, all in C: UTF-8 bytes lower-cased with everything but letters made a space in one
        # translation, split, the commonest words dropped (a small set, in the processor's cache) before any set
        # is built, then the other real and key words; most texts end here. Bytes of other alphabets and symbols
        # stay in the words they touch, and are sorted out below, for the few words left.
        rest = set(filterfalse(self._common_word, _LONG.findall(b" " + text.encode().translate(_LETTERS))))
        if rest:
            rest = rest.difference(self._dictionary, self._known_words)
        if not rest:
            return text, None
        unknown: set[str] = set()
        for word in rest:
            if len(word) < SHORTEST:
                continue
            if word.isascii():
                unknown.add(word.decode())
                continue
            for token in TOKEN.findall(word.decode()):
                token = token.lower()
                if token not in self.words and not known(token):
                    unknown.add(token)
        if not unknown:
            return text, None
        fixes = {}
        if len(unknown) > MOST_UNKNOWN:
            unknown = set(_first(TOKEN.findall(text), unknown))
        for token in unknown:
            fix = self.correct(token)
            if fix is not None:
                fixes[token] = fix
        return _rewrite(text, fixes, self.names) if fixes else (text, None)

    def correct(self, token: str) -> str | None:
        """The key word a lower-case unknown token is read as, or None (remembered)."""
        try:
            return self._memo[token]
        except KeyError:
            pass
        if len(self._memo) >= 1 << 16:
            self._memo.clear()
        fix = self._memo[token] = None if self._extended(token) else self._nearest(token)
        return fix

    def _extended(self, token: str) -> bool:
        """A known word with an inflection no list spells ("roadmaps", "rebootings"): not a slip."""
        for end in _ENDINGS:
            if token.endswith(end) and (token[: -len(end)] in self.words or known(token[: -len(end)])):
                return True
        return False

    def _nearest(self, token: str) -> str | None:
        """The nearest key word, else the nearest stem and the token's own ending; ties go to the first in order.

        None when a stem already starts the token ("installieren" matches `install\\w*` as written)."""
        # A key word the token only adds letters to is not what was misspelt but what was extended: "shortlisted"
        # is not "shortlist", nor "responsibilitiesin" (a lost line break) "responsibilities".
        best = None
        if len(token) <= self._longest + 2:  # no key word is near a longer one (nor worth 100,000 deletions)
            near = [w for w in self._index.near(token, _edits(len(token))) if not token.startswith(w)]
            best = _closest(token, near)
        if best is not None and best[1] == 1:
            return best[0]
        n = len(token)
        for length in self._stem_lengths:
            if length >= n:
                break
            edits = _edits(length)
            for cut in range(max(SHORTEST, length - edits), min(n - 1, length + edits) + 1):
                head = token[:cut]
                hit = _closest(head, self._stem_index.near(head, edits))
                if hit is not None and hit[1] == 0:
                    return None
                # The stem and the token's ending must make a word ("instalation" -> "installation"), not a guess.
                if hit is not None and (best is None or hit[1] < best[1]):
                    word = hit[0] + token[cut:]
                    if word in self.words or known(word):
                        best = (word, hit[1])
        return None if best is None else best[0]


#: Inflections a known word may take without being listed ("rebootings", "roadmaps").
_ENDINGS = ("s", "es", "ed", "d", "ing", "er", "ers", "ly")


def _edits(length: int) -> int:
    return 2 if length >= TWO_EDITS else 1


def _closest(token: str, candidates: list[str]) -> tuple[str, int] | None:
    """The candidate nearest the token within the edits the shorter of the two allows, and its distance."""
    best: tuple[str, int] | None = None
    for word in sorted(candidates):
        allowed = _edits(min(len(token), len(word)))
        d = int(DamerauLevenshtein.distance(token, word, score_cutoff=allowed))
        if d <= allowed and (best is None or d < best[1]):
            best = (word, d)
    return best


class _DeletionIndex:
    """Words by every string one deletion (two, for long words) from them: two words within an edit or two share
    a key, so a token's candidates are a few dictionary look-ups (the symmetric-delete method of SymSpell).

    An index may lean on another (`under`) for most of its words: its answer is then the union of both."""

    def __init__(self, words: Iterable[str], under: _DeletionIndex | None = None) -> None:
        self._by_key: dict[str, set[str]] = defaultdict(set)
        self._under = under
        for w in words:
            for key in _deletions(w, _edits(len(w))):
                self._by_key[key].add(w)

    @classmethod
    def adding(cls, base: _DeletionIndex | None, base_words: Iterable[str], words: frozenset[str]) -> _DeletionIndex:
        """The index of `words`: on top of `base` (the index of `base_words`) when those are all among them."""
        base_words = frozenset(base_words)
        if base is None or not base_words <= words:
            return cls(words)
        return cls(sorted(words - base_words), base)

    def near(self, token: str, edits: int) -> list[str]:
        out: set[str] = set()
        keys = _deletions(token, edits)
        index: _DeletionIndex | None = self
        while index is not None:
            by_key = index._by_key
            for key in keys:
                found = by_key.get(key)
                if found:
                    out |= found
            index = index._under
        return list(out)


def _deletions(word: str, edits: int) -> set[str]:
    out = {word}
    layer = {word}
    for _ in range(edits):
        layer = {w[:i] + w[i + 1 :] for w in layer for i in range(len(w))}
        out |= layer
    return out


#: UTF-8 bytes to the reader's word bytes: ASCII letters lower-cased, other ASCII a space, the rest kept.
_LETTERS = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or c >= 128 else 32 for c in range(256))


#: A run of five or more of the reader's word bytes (after `_LETTERS`, with a space put first): with the space
#: before it in the pattern, the regex engine skips from space to space instead of trying every byte (a fifth faster).
_LONG = re.compile(rb" ([^ ]{5,})")


def _first(found: list[str], unknown: set[str]) -> Iterator[str]:
    """The first MOST_UNKNOWN distinct unknown tokens, in text order."""
    seen: set[str] = set()
    for token in map(str.lower, found):
        if token in unknown and token not in seen:
            seen.add(token)
            yield token
            if len(seen) == MOST_UNKNOWN:
                return


def _rewrite(text: str, fixes: Mapping[str, str], names: frozenset[str]) -> tuple[str, tuple[int, ...] | None]:
    """The text with each token in `fixes` replaced (in its case), and each new character's origin in `text`.

    A replaced token's characters map to the token's own positions in order (the extra ones to its last), so a
    span over the corrected word maps to the misspelt one, whole. A word with a capital inside a sentence is read
    only as a name ("Whatsap" as WhatsApp, but "Pryce" is not "price").
    """
    parts: list[str] = []
    back: list[int] = []
    done = 0
    for start, end in _places(text, fixes):
        token = text[start:end]
        fix = fixes[token.lower()]
        if fix not in names and _proper(text, start, token):
            continue
        parts.append(text[done:start])
        back.extend(range(done, start))
        word = _cased(fix, token)
        parts.append(word)
        back.extend(min(start + i, end - 1) for i in range(len(word)))
        done = end
    if not parts:
        return text, None
    parts.append(text[done:])
    back.extend(range(done, len(text) + 1))
    return "".join(parts), tuple(back)


def _places(text: str, tokens: Iterable[str]) -> list[tuple[int, int]]:
    """Where the (lower-case) tokens stand in the text as whole tokens, in order: found with `str.find` in the
    lower-cased text, not by reading every word again (what `TOKEN.finditer` would find, at a fraction of the cost)."""
    low = text.lower()
    if len(low) != len(text):  # a rare letter whose lower case is longer ("İ"): read every word
        return [m.span() for m in TOKEN.finditer(text) if m.group().lower() in tokens]
    out = []
    for token in tokens:
        at = low.find(token)
        while at >= 0:
            end = at + len(token)
            if not (at and _LETTER.match(low, at - 1)) and not _LETTER.match(low, end):
                out.append((at, end))
            at = low.find(token, end)
    return sorted(out)


#: One letter of a token.
_LETTER = re.compile(TOKEN.pattern.removesuffix("{5,}"))
#: What may stand between a sentence's end (or a line break) and its first word: spaces, quotes, brackets, bullets.
_OPENING = frozenset(" \t\"'([{*\u2022\u00b7-\u2013\u2014\u201c\u2018\u00ab>")
_ENDS = frozenset(".!?:;\n\r")


def _proper(text: str, start: int, token: str) -> bool:
    """A word written with a capital (not all in capitals) that does not open a sentence or a line: a name."""
    if not token[0].isupper() or token.isupper():
        return False
    i = start - 1
    while i >= 0 and text[i] in _OPENING:
        i -= 1
    return i >= 0 and text[i] not in _ENDS


def _cased(word: str, like: str) -> str:
    """`word` in the case of `like`: WHATSAPP, Whatsapp or whatsapp (the rules ignore case; sentence cuts do not)."""
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
