"""What the wording model must not see: places, nationalities, languages and people's names (decision 0038).

The model learns which words go with cultivation. Trained on cases where hostile senders were often Chinese, it
learnt "China" as evidence, and a benign message that mentions China scored higher than the same message
mentioning Germany (issue 11). Nationality and location must never raise a score, so before the model counts
n-grams every place name (data/places.yaml: countries, territories, demonyms, languages, regions, capitals and
cities) and every name of the people in the approach (their profiles' names, and the names a greeting or a
sign-off uses, data/names.yaml) becomes a gap: no n-gram holds a gap, so a masked word adds nothing, and "based
in China" and "based in Germany" give the model the same n-grams ("based in").

Masking is one set lookup per token on the list the model already makes, plus a walk over the few tokens that
may start a name of several words ("hong kong", "new york"), so it costs a few microseconds per message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from counterpitch.model import Approach, PersonProfile
from counterpitch.semantic.tokens import tokens, tokens_with_gaps, words_as_written

#: What a masked word becomes: never a token (tokens are runs of word characters), so never in an n-gram.
GAP = "<masked>"
#: How far into a message a greeting may end, and how far from its end a sign-off is looked for (characters).
OPENING, CLOSING = 120, 200

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader reads the 50,000 places in ms


def _data(name: str) -> dict[str, Any]:
    doc = yaml.load((resources.files("counterpitch") / "data" / name).read_text("utf-8"), Loader=_Loader)  # noqa: S506 (a safe loader)
    if not isinstance(doc, dict):
        raise ValueError(f"counterpitch/data/{name}: expected a mapping")
    return doc


def anchor(words: tuple[str, ...]) -> int:
    """Where a name of several words is looked for: its longest word (the first of equals), the one least likely
    to be an ordinary word. scripts/build_places.py leaves out names whose anchor is a common word."""
    at = 0
    for i in range(1, len(words)):
        if len(words[i]) > len(words[at]):
            at = i
    return at


@dataclass(frozen=True)
class Places:
    """Place names as token sequences: one-word names in a set; longer ones ("hong kong", "new york") by their
    anchor word, so only the few messages holding one need the slower check."""

    single: frozenset[str]
    #: anchor word -> (the anchor's position in the name, the name's length, the names of that shape)
    longer: dict[str, tuple[tuple[int, int, frozenset[tuple[str, ...]]], ...]]
    anchors: frozenset[str]

    @classmethod
    def of(cls, names: Iterable[str]) -> Places:
        single: set[str] = set()
        shapes: dict[str, dict[tuple[int, int], set[tuple[str, ...]]]] = {}
        for name in names:
            words = tuple(name.split())
            if len(words) == 1:
                single.add(words[0])
                continue
            at = anchor(words)
            shapes.setdefault(words[at], {}).setdefault((at, len(words)), set()).add(words)
        longer = {
            w: tuple((at, n, frozenset(v)) for (at, n), v in sorted(by.items(), key=lambda e: -e[0][1]))
            for w, by in shapes.items()
        }
        return cls(frozenset(single), longer, frozenset(longer))

    def knowing(self, known: frozenset[str]) -> Places:
        """Only the names of several words holding a word in `known` (a model's words), without the one-word
        names: what scoring must mask (see `TextModel._hits`). Masking any other name changes no n-gram the
        model holds, and a message seldom holds an anchor of what is left."""
        longer = {}
        for word, shapes in self.longer.items():
            kept = tuple(
                (at, size, kept_names)
                for at, size, found in shapes
                if (kept_names := frozenset(n for n in found if not known.isdisjoint(n)))
            )
            if kept:
                longer[word] = kept
        return Places(frozenset(), longer, frozenset(longer))

    def mask(self, words: list[str], singles: bool = True) -> list[str]:
        """`words` with every place name in it replaced by gaps, one gap per word; with `singles` false, only the
        names of several words (see `masked`). Longer names first: "new south wales" before "wales"."""
        out = [GAP if w in self.single else w for w in words] if singles else words
        if self.anchors.isdisjoint(words):  # most messages: no word that may start a longer name
            return out
        n = len(words)
        for word in self.anchors.intersection(words):
            if out is words:
                out = list(words)
            i = words.index(word)
            while True:
                for at, size, found in self.longer[word]:
                    start = i - at
                    if start >= 0 and start + size <= n and tuple(words[start : start + size]) in found:
                        out[start : start + size] = [GAP] * size
                        break
                try:
                    i = words.index(word, i + 1)
                except ValueError:
                    break
        return out


@lru_cache(maxsize=1)
def places() -> Places:
    doc = _data("places.yaml")
    kinds = doc.get("kinds")
    if not isinstance(kinds, dict) or not kinds:
        raise ValueError("counterpitch/data/places.yaml: no `kinds` of place names")
    for kind, block in kinds.items():
        if not isinstance(block, str):
            raise ValueError(f"counterpitch/data/places.yaml: kind {kind!r} is not a block of lines")
    names = [line.strip() for block in kinds.values() for line in block.splitlines() if line.strip()]
    text = "\n".join(names)
    # Written as the model's tokens: lower case, runs of two or more word characters, one space between. One
    # pass over the whole list (a tokenisation per name cost a tenth of a second at every start).
    bad = _NOT_TOKENS.search(text) or (text != text.lower() and next(n for n in names if n != n.lower()))
    if bad:
        where = bad if isinstance(bad, str) else text[max(0, bad.start() - 20) : bad.end() + 20]
        raise ValueError(f"counterpitch/data/places.yaml: not written as model tokens near {where!r}")
    return Places.of(names)


#: What a list of names written as model tokens never holds: a non-word character other than one space between
#: words, or a word of one character.
_NOT_TOKENS = re.compile(r"[^\w \n]|  |^ | $|(?<!\w)\w(?!\w)", re.MULTILINE)


@dataclass(frozen=True)
class NameCues:
    greeting: re.Pattern[str]
    sign_off: re.Pattern[str]
    titles: frozenset[str]
    not_names: frozenset[str]
    #: words of a profile's name that are not masked: titles and words that are never names
    skip: frozenset[str]
    #: words that make a profile's name an organisation's, none of whose words is masked
    organisation_words: frozenset[str]
    #: the first words of the greetings and of the sign-offs, lower-cased: a line starting otherwise is skipped
    #: without trying the regex (most lines of a message)
    greeting_starts: frozenset[str]
    sign_off_starts: frozenset[str]


#: Up to four words, titles included; whether they are capitalised is checked after the match (`re` has no
#: class for capitals).
_NAME = r"([^\W\d_][\w'\u2019-]*\.?(?:[ \t]+[^\W\d_][\w'\u2019-]*\.?){0,3})"


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def cues() -> NameCues:
    doc = _data("names.yaml")
    try:
        keys = ("greetings", "sign_offs", "titles", "not_names", "organisation_words")
        lists = {k: [str(x).lower() for x in doc[k]] for k in keys}
    except (KeyError, TypeError) as exc:
        raise ValueError(f"counterpitch/data/names.yaml: {exc!r}") from exc
    # Both are tried with `match` where a greeting or sign-off may start (see `person_names`), never searched.
    greeting = re.compile(rf"\s*(?i:{_alternatives(lists['greetings'])})[ \t,]+{_NAME}")
    closing = _alternatives(lists["sign_offs"])
    sign_off = re.compile(rf"[ \t]*(?i:{closing})[ \t]*[,.!\u2013\u2014-]*[ \t]*\n?[ \t]*{_NAME}[ \t]*(?:$|\n|,)")
    titles, not_names = frozenset(lists["titles"]), frozenset(lists["not_names"])
    starts = {k: frozenset(w.split()[0] for w in lists[k]) for k in ("greetings", "sign_offs")}
    organisation = frozenset(lists["organisation_words"])
    skip = titles | not_names
    return NameCues(greeting, sign_off, titles, not_names, skip, organisation, starts["greetings"], starts["sign_offs"])


def _leading_name(capture: str, c: NameCues) -> list[str]:
    """The capitalised words at the front of a greeting's or sign-off's capture, titles skipped; a word ending
    in a full stop ends the name ("Hi Tom. How are you" names Tom). None of an organisation's name."""
    out: list[str] = []
    for piece in capture.split():
        bare = piece.rstrip(".")
        low = bare.lower()
        if low in c.titles or len(bare) < 2:
            continue  # a title, or an initial or "I" ("Thanks, I will call"), which the model never reads
        if not bare[:1].isupper() or low in c.not_names:
            break
        out += [bare] if bare.isalpha() else (w for w in words_as_written(bare) if w[:1].isupper())
        if piece.endswith("."):
            break
    if any(w.lower() in c.organisation_words for w in out):
        return []  # "Kind regards, Career Services": an organisation signs, its words are not a name
    return out


def person_names(approach: Approach) -> frozenset[str]:
    """The names of the people in an approach, as written: from the sender's and recipient's profiles, and
    from the greeting and the sign-off of the message and of the sender's earlier turns (a subject has
    neither). Matched case-sensitively, so a name that is also a word ("Will", "Rose") is masked only where it
    is written as a name."""
    c = cues()
    found = _profile_name(approach.sender, c) | _profile_name(approach.recipient, c)
    more: list[str] = []
    for text in (approach.text, *(t.text for t in approach.thread if t.from_ == "sender")):
        if _first_word(text) in c.greeting_starts and (m := c.greeting.match(text, 0, OPENING)):
            more += _leading_name(m.group(1), c)
        if m := _sign_off(text, c):
            more += _leading_name(m.group(1), c)
    return found.union(more) if more else found


def _first_word(text: str) -> str:
    head = text[:40].split(None, 1)
    return head[0].rstrip(",.!:;\u2013\u2014-").lower() if head else ""


def _sign_off(text: str, c: NameCues) -> re.Match[str] | None:
    """The sign-off among the last three lines (a cue, then the name on its line or the next), or in the last
    sentence of the last line ("... opening hours? Thank you, Maria"); the regex runs only where a line or
    that sentence starts with a cue's first word."""
    lines = text[-CLOSING:].rstrip().replace("\r", "").rsplit("\n", 3)[-3:]
    starts = c.sign_off_starts
    last = lines[-1]
    cut = max(last.rfind(". "), last.rfind("! "), last.rfind("? "))
    if cut > 0 and _first_word(last[cut + 2 :]) in starts and (m := c.sign_off.match(last, cut + 2)):
        return m
    for i in range(len(lines) - 1, -1, -1):
        if _first_word(lines[i]) in starts and (m := c.sign_off.match("\n".join(lines[i : i + 2]))):
            return m
    return None


def _profile_name(person: PersonProfile | None, c: NameCues) -> frozenset[str]:
    if person is None or not person.name:
        return frozenset()
    return _name_forms(person.name, c.skip, c.organisation_words)


@lru_cache(maxsize=4096)
def _name_forms(name: str, skip: frozenset[str], organisation: frozenset[str]) -> frozenset[str]:
    """A profile's name as its words may be written: as given, capitalised, in capitals; titles, words that are
    never names and words with digits left out, and nothing of an organisation's name ("Defence Careers
    Team"), whose words are what it writes about (memoised: the same people send and receive many approaches)."""
    words = [w for w in words_as_written(name) if w.isalpha()]
    if any(w.lower() in organisation for w in words):
        return frozenset()
    return frozenset(f for w in words if w.lower() not in skip for f in (w, w.capitalize(), w.upper()))


def masked(text: str, names: frozenset[str] = frozenset(), singles: bool = True) -> list[str]:
    """The model's tokens of `text` (lower-cased) with place names and the given people's names as gaps.

    With `singles` false the one-word place names stay: a model that holds no n-gram with such a word
    (`TextModel` drops them when it is made) scores the same either way, and the set lookup per token is
    saved. Names of several words ("New York": "new" is also an ordinary word) and people's names ("Will")
    are always masked.
    """
    where = places()
    present = [n for n in names if n in text] if names else None
    words = tokens_with_gaps(text, present, GAP) if present else tokens(text)
    return where.mask(words, singles)
