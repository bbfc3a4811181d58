"""The profile as text, shared by every exposure rule: its fields cleaned with offsets kept, the breaks that
end a clause or segment, and the anchor sets that say cheaply which patterns can match at all.

Speed: every pattern carries an anchor, a piece of text each of its matches contains. One RE2 set pass per
profile says which anchors occur; a pattern then runs only on fields holding its anchor. Work per mention is
bounded (_REACH characters of context here, _MAX_MENTIONS per pattern and field in `common`), so hostile input
stays linear.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar

import re2  # google-re2: linear-time sets of patterns, one pass for many anchors

from counterpitch.model import Profile
from counterpitch.text import clean

# --- the profile as text --------------------------------------------------------------------------------------


class _Field(NamedTuple):
    path: str
    kind: str
    text: str
    low: str


T = TypeVar("T")


class _View:
    """What has been worked out about one profile: its cleaned fields, joined texts and scans.

    Four detectors, and the corroboration of project names, read the same profile one after another; each
    used to rebuild its cleaned fields and rescan clearances and roles (a fifth of the time). A scan fetches
    the view once (`_view`) and reads the rest from it as plain attributes.
    """

    __slots__ = ("_all", "_memo", "profile")

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._all: tuple[_Field, ...] | None = None
        #: fields by kinds, joined texts by (kinds, low), and whatever `made` was asked for
        self._memo: dict[object, Any] = {}

    def fields(self, kinds: frozenset[str]) -> tuple[_Field, ...]:
        """The profile's free-text fields of the given kinds, cleaned one-to-one so offsets stay valid."""
        found: tuple[_Field, ...] | None = self._memo.get(kinds)
        if found is None:
            if self._all is None:
                self._all = _all_fields(self.profile)
            found = self._all if kinds == _ALL else tuple([f for f in self._all if f.kind in kinds])
            self._memo[kinds] = found
        return found

    def joined(self, kinds: frozenset[str], low: bool = False) -> str:
        """The fields of the given kinds as one text, a line each (lower-cased with `low`)."""
        key = (kinds, low)
        text: str | None = self._memo.get(key)
        if text is None:
            text = self._memo[key] = "\n".join([f.low if low else f.text for f in self.fields(kinds)])
        return text

    def made(self, key: object, make: Callable[[], T]) -> T:
        """`make()` once per key (the caller must treat the result as read-only; keys other than frozensets and
        (frozenset, bool) pairs, which name fields and joined texts)."""
        try:
            value: T = self._memo[key]
        except KeyError:
            value = self._memo[key] = make()
        return value


class _LastView(threading.local):
    """The view of the profile last scanned, per thread: keyed by the profile's identity (profiles are frozen),
    so results cannot differ, and memory stays one profile's worth."""

    def __init__(self) -> None:
        self.view: _View | None = None


_LAST = _LastView()


def _view(p: Profile) -> _View:
    last = _LAST
    view = last.view
    if view is None or view.profile is not p:
        view = last.view = _View(p)
    return view


def _per_profile(p: Profile, key: object, make: Callable[[], T]) -> T:
    """`make()` once per profile and key (the caller must treat the result as read-only)."""
    return _view(p).made(key, make)


def _fields(p: Profile, kinds: frozenset[str]) -> tuple[_Field, ...]:
    """The profile's free-text fields of the given kinds, cleaned one-to-one so offsets stay valid."""
    return _view(p).fields(kinds)


def _joined(p: Profile, kinds: frozenset[str], *, low: bool = False) -> str:
    """The fields of the given kinds as one text, a line each (lower-cased with `low`)."""
    return _view(p).joined(kinds, low)


def _paths(i: int, *names: str) -> tuple[str, ...]:
    return tuple(name.format(i) for name in names)


#: Field paths for the first entries of each list, made once (a profile's fields are built for every scan).
_KNOWN = 64
_EXPERIENCE_NAMES = (
    "experience[{}].title",
    "experience[{}].company",
    "experience[{}].location",
    "experience[{}].description",
)
_EXPERIENCE = tuple(_paths(i, *_EXPERIENCE_NAMES) for i in range(_KNOWN))
_SKILLS = tuple(f"skills[{i}]" for i in range(_KNOWN))
_CERTIFICATIONS = tuple(f"certifications[{i}]" for i in range(_KNOWN))
_PROJECTS = tuple(_paths(i, "projects[{}].title", "projects[{}].description") for i in range(_KNOWN))


_new = tuple.__new__


def _all_fields(p: Profile) -> tuple[_Field, ...]:
    raw: list[tuple[str, str, str | None]] = [
        ("name", "name", p.name),
        ("headline", "headline", p.headline),
        ("location", "location", p.location),
        ("about", "about", p.about),
    ]
    for i, pos in enumerate(p.experience):
        title, company, location, description = _EXPERIENCE[i] if i < _KNOWN else _paths(i, *_EXPERIENCE_NAMES)
        raw += (
            (title, "title", pos.title),
            (company, "company", pos.company),
            (location, "location", pos.location),
            (description, "description", pos.description),
        )
    raw += [(_SKILLS[i] if i < _KNOWN else f"skills[{i}]", "skill", v) for i, v in enumerate(p.skills)]
    raw += [
        (_CERTIFICATIONS[i] if i < _KNOWN else f"certifications[{i}]", "certification", v)
        for i, v in enumerate(p.certifications)
    ]
    for i, proj in enumerate(p.projects):
        title, description = _PROJECTS[i] if i < _KNOWN else _paths(i, "projects[{}].title", "projects[{}].description")
        raw += ((title, "project", proj.title), (description, "project", proj.description))
    # tuple.__new__ rather than _Field(...): the named tuple's own __new__ is a Python function, a call per field.
    return tuple(
        [
            _new(_Field, (path, kind, text, text.lower()))
            for path, kind, value in raw
            if value
            for text in (value if value.isascii() else clean(value),)
        ]
    )


_PROSE = frozenset({"name", "headline", "about", "title", "description", "skill", "certification", "project"})
_ALL = _PROSE | {"company", "location"}
_ROLE_KINDS = _PROSE | {"company"}

# A clause ends at a sentence stop, a list or headline separator, or a spaced dash; a segment is a headline or
# list item (commas do not end one: "Greenville, SC" is one segment).
#: A full stop ends a clause, but not the last one of a dotted abbreviation ("U.K. SC", "U.S. Secret").
_CLAUSE_BREAK = re.compile(r"(?<![.][^\W\d_])\.(?=\s|$)|[!?;|•·\n]| - ")
_SEGMENT_BREAK = re.compile(r"[|•·\n;]| - ")
_SENTENCE_BREAK = re.compile(r"[.!?](?=\s)|\n")
_WORD = re.compile(r"[^\W\d_][\w'&]*|\d+")
#: The same breaks as _CLAUSE_BREAK and _SEGMENT_BREAK, written so the regex engine can skip to a possible first
#: character (a class first): a spaced dash is found by its dash. See `_break_spans`.
_FAST_BREAKS = {  # by identity: hashing a compiled pattern hashes its code
    id(_CLAUSE_BREAK): re.compile(r"[.!?;|•·\n-](?:(?<=\.)(?<![.][^\W\d_]\.)(?=\s|$)|(?<=[!?;|•·\n])|(?<= -)(?= ))"),
    id(_SEGMENT_BREAK): re.compile(r"[|•·\n;-](?:(?<=[|•·\n;])|(?<= -)(?= ))"),
}


def _break_spans(breaks: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """`[m.span() for m in breaks.finditer(text)]`, several times faster for the clause and segment breaks.

    A spaced dash found by its dash is widened to the spaces around it, and dropped if its first space ended
    the break before ("a - - b" holds one break, as the regex reads it left to right).
    """
    fast = _FAST_BREAKS.get(id(breaks))
    if fast is None:
        return [m.span() for m in breaks.finditer(text)]
    spans: list[tuple[int, int]] = []
    last = 0
    for m in fast.finditer(text):
        start, end = m.span()
        if text[start] == "-":
            start, end = start - 1, end + 1
            if start < last:
                continue
        spans.append((start, end))
        last = end
    return spans


#: Where a negation's reach ends: a comma or a contrast word.
_SCOPE_END = re.compile(r",|\b(?:but|however|although|though|whereas)\b", re.IGNORECASE)
#: Between a letter and a digit: "NV1" and "Type26" split into words the way "NV 1" and "Type 26" do.
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def _last(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text, lo, hi):  # noqa: B007 - the last match is the one wanted
        pass
    return found


#: How far either side of a mention its clause or segment may reach: bounds the work one mention costs.
_REACH = 300


def _bounds(breaks: re.Pattern[str], text: str, start: int, end: int) -> tuple[int, int]:
    """The span around text[start:end] between the nearest breaks on either side (at most _REACH away)."""
    lo, hi = max(0, start - _REACH), min(len(text), end + _REACH)
    before = _last(breaks, text, lo, start)
    after = breaks.search(text, end, hi)
    return (before.end() if before else lo), (after.start() if after else hi)


def _last_words(text: str, n: int) -> str:
    """The end of `text` holding its last `n` words (raw, so "n't" and "n/a" survive)."""
    words = list(_WORD.finditer(text))
    return text[words[-n].start() :] if len(words) >= n else text


# --- anchors: which patterns can match at all ---------------------------------------------------------------

_RE2 = re2.Options()


def _search_set(patterns: Sequence[str]) -> Any:
    """An RE2 set that tells which of `patterns` occur anywhere in a text, in one linear pass."""
    found = re2.Set.SearchSet(_RE2)
    for pattern in patterns:
        found.Add(pattern)
    found.Compile()
    return found


class _Anchors:
    """Which of many literal anchors (each cased or not) a text holds, in one linear pass (an RE2 set)."""

    def __init__(self, anchors: Sequence[tuple[str, bool]]) -> None:
        self._set = _search_set([("" if cased else "(?i)") + re.escape(text) for text, cased in anchors])

    def present(self, text: str) -> list[int]:
        """Indexes (in the order given) of the anchors found in `text`."""
        return sorted(self._set.Match(text) or ())


class _Prefilter:
    """Which of several RE2 regexes occur in a text, in one linear pass (an RE2 set).

    Mostly a pre-filter: built from a Python regex's body without its look-arounds, it finds a superset of
    where the full regex matches, so the full regex need only run where the set says it may (a regex without a
    literal prefix costs a test at every position, and most texts hold none of these).
    """

    def __init__(self, names: Sequence[str], bodies: Sequence[str]) -> None:
        self._names = tuple(names)
        self._set = _search_set(bodies)

    def present(self, text: str) -> frozenset[str]:
        """The names of the regexes that match in `text`."""
        return frozenset(self._names[i] for i in self._set.Match(_dotted_i(text)) or ())

    def any(self, text: str) -> bool:
        return self._set.Match(_dotted_i(text)) is not None


def _dotted_i(text: str) -> str:
    """Python's case-insensitive "i" also matches "İ" and "ı"; RE2's does not (Unicode case folding leaves them to
    Turkish). They are the only such letters (checked over the Basic Multilingual Plane), so with them read as
    "i" a case-insensitive RE2 pattern matches wherever the Python one does."""
    if text.isascii():
        return text
    return text.replace("İ", "i").replace("ı", "i")
