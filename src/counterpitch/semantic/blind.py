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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from counterpitch.model import Approach, PersonProfile
from counterpitch.semantic.tokens import tokens, words_as_written
from counterpitch.text import message_fields

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
    return max(range(len(words)), key=lambda i: (len(words[i]), -i))


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

    def mask(self, words: list[str], out: list[str] | None = None) -> list[str]:
        """`words` with every place name in it replaced by gaps, one gap per word (into `out`, a copy of `words`
        with other gaps already in, when given). Longer names first: "new south wales" before "wales"."""
        if out is None:
            single = self.single
            out = [GAP if w in single else w for w in words]
        n = len(words)
        for word in self.anchors.intersection(words):
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
    bad = [n for n in names if " ".join(tokens(n)) != n]
    if bad:
        raise ValueError(f"counterpitch/data/places.yaml: not written as model tokens: {bad[:5]}")
    return Places.of(names)


@dataclass(frozen=True)
class NameCues:
    greeting: re.Pattern[str]
    sign_off: re.Pattern[str]
    titles: frozenset[str]
    not_names: frozenset[str]


#: Up to four words, titles included; whether they are capitalised is checked after the match (`re` has no
#: class for capitals).
_NAME = r"([^\W\d_][\w'\u2019-]*\.?(?:[ \t]+[^\W\d_][\w'\u2019-]*\.?){0,3})"


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def cues() -> NameCues:
    doc = _data("names.yaml")
    try:
        lists = {k: [str(x).lower() for x in doc[k]] for k in ("greetings", "sign_offs", "titles", "not_names")}
    except (KeyError, TypeError) as exc:
        raise ValueError(f"counterpitch/data/names.yaml: {exc!r}") from exc
    # Both are tried with `match` where a greeting or sign-off may start (see `person_names`), never searched.
    greeting = re.compile(rf"\s*(?i:{_alternatives(lists['greetings'])})[ \t,]+{_NAME}")
    closing = _alternatives(lists["sign_offs"])
    sign_off = re.compile(rf"[ \t]*(?i:{closing})[ \t]*[,.!\u2013\u2014-]*[ \t]*\n?[ \t]*{_NAME}[ \t]*(?:$|\n|,)")
    return NameCues(greeting, sign_off, frozenset(lists["titles"]), frozenset(lists["not_names"]))


def _leading_name(capture: str, c: NameCues) -> Iterator[str]:
    """The capitalised words at the front of a greeting's or sign-off's capture, titles skipped; a word ending
    in a full stop ends the name ("Hi Tom. How are you" names Tom)."""
    for piece in capture.split():
        bare = piece.rstrip(".")
        if bare.lower() in c.titles:
            continue
        if not bare[:1].isupper() or bare.lower() in c.not_names:
            return
        yield from (w for w in words_as_written(bare) if w[:1].isupper())
        if piece.endswith("."):
            return


def person_names(approach: Approach) -> frozenset[str]:
    """The names of the people in an approach, as written: from the sender's and recipient's profiles, and
    from the greeting and the sign-off of each part the sender wrote. Matched case-sensitively, so a name that
    is also a word ("Will", "Rose") is masked only where it is written as a name."""
    c = cues()
    found = set(_profile_name(approach.sender, c) | _profile_name(approach.recipient, c))
    for _, text in message_fields(approach):
        for m in (c.greeting.match(text, 0, OPENING), *map(c.sign_off.match, _closings(text))):
            if m:
                found.update(_leading_name(m.group(1), c))
    return frozenset(found)


def _closings(text: str) -> list[str]:
    """Where a sign-off may start: each of the last lines (with the line after it), and the last sentence."""
    lines = text[-CLOSING:].splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return []
    out = ["\n".join(lines[i : i + 2]) for i in range(max(0, len(lines) - 3), len(lines))]
    last = _SENTENCE_END.split(lines[-1])
    if len(last) > 1:
        out.append(last[-1])
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _profile_name(person: PersonProfile | None, c: NameCues) -> frozenset[str]:
    return _name_forms(person.name, c.titles | c.not_names) if person is not None and person.name else frozenset()


@lru_cache(maxsize=4096)
def _name_forms(name: str, skip: frozenset[str]) -> frozenset[str]:
    """A profile's name as its words may be written: as given, capitalised, in capitals; titles and words that
    are never names left out (memoised: the same people send and receive many approaches)."""
    return frozenset(f for w in words_as_written(name) if w.lower() not in skip for f in (w, w.capitalize(), w.upper()))


def masked(text: str, names: frozenset[str] = frozenset()) -> list[str]:
    """The model's tokens of `text` (lower-cased) with place names and the given people's names as gaps."""
    where = places()
    if not names or not any(n in text for n in names):
        return where.mask(tokens(text))
    as_written = words_as_written(text)
    if text.isascii():
        # Lower-casing ASCII changes no length and no character's class: the same tokens, in one C pass.
        words = " ".join(as_written).lower().split()
    else:
        words = tokens(text)
        if len(words) != len(as_written):  # lower-casing changed a token ("İ"): names matched in lower case
            lowered = {n.lower() for n in names}
            return where.mask(words, [GAP if w in lowered or w in where.single else w for w in words])
    single = where.single
    out = [GAP if w in names or low in single else low for w, low in zip(as_written, words, strict=True)]
    return where.mask(words, out)
