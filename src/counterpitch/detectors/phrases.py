"""Detectors declared as data: co-occurring patterns within one sentence, with vetoes, negation and reports.

Most message indicators are "this kind of thing near that kind of thing" (money near reports, a messenger
app near a request to move). Declaring them in YAML keeps word lists out of code, lets a user add their own
without writing Python, and keeps each rule auditable next to the source it rests on (presidio's
recognizers-as-data, in spirit).

Patterns run on RE2 (google-re2): time linear in the input whatever the pattern, so hostile text cannot make a
rule backtrack for minutes (ReDoS), and an order of magnitude faster than `re` on these long alternations.

Whether each match is asserted (not negated, declined or a warning about the tactic) is decided by
detectors/assertion.py from the cues in data/assertion.yaml. Rules read the text with invisible characters taken
out and misspelt key words mended (detectors/spelling.py); evidence is placed in the text as written.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, NamedTuple

import re2

from counterpitch.detectors.anchors import is_anchored, loosened
from counterpitch.detectors.assertion import (
    ASSERTION,
    NEGATION_REACH,
    Assertion,
    Sentences,
    assertion_for,
    told_cues,
)
from counterpitch.detectors.base import Detector, DetectorMeta, Span
from counterpitch.detectors.context import Context, SharedPhrases
from counterpitch.detectors.spelling import Speller, speller_for
from counterpitch.model import Approach, Finding, PersonProfile, Profile
from counterpitch.text import ACCOUNT, bounded_sentences, clean, message_fields, profile_fields, without_invisible

__all__ = ["NEGATION_REACH", "PhraseDetector", "PhraseIndex", "SearchSets", "from_spec", "match_args"]

Scope = Literal["message", "sender", "recipient", "account"]
Pattern = Any  # a compiled RE2 pattern (google-re2 ships no type stubs)

_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False


def _scope_fields(approach: Approach, scope: str) -> Iterator[tuple[str, str]]:
    if scope == "message":
        yield from message_fields(approach)
    elif scope == "sender" and approach.sender:
        yield from profile_fields(approach.sender, "sender")
    elif scope == "recipient" and approach.recipient:
        yield from profile_fields(approach.recipient, "recipient")
    elif scope == "account" and approach.account:  # what the reporter says of the sender, and only that
        yield ACCOUNT, approach.account


@lru_cache(maxsize=4096)
def reading(speller: Speller, original: str) -> tuple[str, tuple[int, ...] | None]:
    """The text the rules match: `original` without invisible characters ("pa\u200by" reads "pay") and with its
    misspelt key words mended ("whatsap" reads "whatsapp"); and where each of its characters (and its end) came
    from in `original`, None when nothing moved. Memoised: every rule reads the same few fields of a message."""
    text, back = (original, None) if original.isascii() else without_invisible(original)
    mended, moved = speller.read(text)
    if moved is None:
        return text, back
    return mended, moved if back is None else tuple(back[i] for i in moved)


@lru_cache(maxsize=4096)
def split(field: str, text: str) -> tuple[Span, ...]:
    """Sentence spans of a field, memoised: every phrase detector splits the same fields of the same message."""
    return tuple(bounded_sentences(field, text))


class _Field(NamedTuple):
    """One field made ready for matching, once per message however many rules read it.

    RE2 works on UTF-8 bytes, so rules match `buf` and place matches in sentences by byte offsets; `spans`
    keep the character offsets that evidence reports.
    """

    spans: tuple[Span, ...]
    buf: bytes
    starts: list[int]  # byte offset where each sentence starts
    ends: list[int]  # ... and ends
    ascii: bool  # bytes and characters coincide
    #: The same, as the assertion tests read it.
    view: Sentences


@lru_cache(maxsize=4096)
def _prepared(name: str, text: str) -> _Field:
    spans = split(name, text)
    buf = text.encode()
    starts: list[int]
    ends: list[int]
    if len(buf) == len(text):  # ASCII: byte and character offsets coincide
        starts, ends = [sp.start for sp in spans], [sp.end for sp in spans]
        return _Field(spans, buf, starts, ends, True, Sentences(buf, True, starts, ends))
    starts, ends = [], []
    done = at = 0  # characters and bytes walked so far: linear however many sentences
    for sp in spans:
        at += len(text[done : sp.start].encode())
        starts.append(at)
        at += len(text[sp.start : sp.end].encode())
        ends.append(at)
        done = sp.end
    return _Field(spans, buf, starts, ends, False, Sentences(buf, False, starts, ends))


_UNANCHORED = re2._re2.RE2.Anchor.UNANCHORED


def _matches(regexp: Any, buf: bytes, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """Byte spans of a pattern's successive matches in buf[lo:hi], stepping exactly as re2's `finditer` does.

    Calls the compiled RE2 object under google-re2's `finditer` directly: the wrapper re-encodes a str
    subject per call and builds a Match object per hit, which cost more than the matching itself in bulk.
    """
    pos = lo
    if pos > hi:
        return
    while True:
        start, end = regexp.Match(_UNANCHORED, buf, pos, hi)[0]
        if start < 0:
            return
        yield start, end
        if pos == hi:
            return
        # An empty match must not stall: step one UTF-8 character, as the wrapper does.
        pos = end if end != pos else pos + _UTF8_LENGTH[buf[pos] >> 4]


def _within_sentences(regexp: Any, f: _Field, region: set[int] | None) -> Iterator[tuple[int, int]]:
    """Byte spans of a pattern's matches, each sentence (of `region`, else all) matched as a text of its own, so
    that `^` and `$` mean the sentence's start and end."""
    for i in sorted(region) if region is not None else range(len(f.spans)):
        lo, piece = f.starts[i], f.buf[f.starts[i] : f.ends[i]]
        for start, end in _matches(regexp, piece, 0, len(piece)):
            yield lo + start, lo + end


#: Bytes in a UTF-8 character, by the high nibble of its lead byte.
_UTF8_LENGTH = (1,) * 12 + (2, 2, 3, 4)


class _Rx(NamedTuple):
    regexp: Pattern
    #: The pattern has `^` or `$`: it is matched within each sentence (detectors/anchors.py).
    per_sentence: bool


class SearchSets:
    """Which of many patterns occur anywhere in a text: RE2 sets of a few patterns each, one pass per set.

    The answer is that of one set holding all the patterns (a set reports each of its patterns apart), but far
    cheaper. One set's DFA tracks every pattern at once, so its states are combinations of all the patterns'
    positions: the rules' bounded gaps (`(?:\\w+\\W+){0,3}`, `(?:[\\w-]+ ){0,8}?`) multiply into more states than
    its cache holds, which it then empties and rebuilds all the time. No pattern is slow alone (the costliest,
    2 us per field); together the 129 English patterns cost 698 us per field in one set, 26 us in sets of eight
    (bench/prefilter.py, bench/results/prefilter.json; decision 0052).
    """

    #: Patterns per set: fewer states per set, but one more pass per text for each set (measured best at 6-8).
    SIZE = 8

    def __init__(self, patterns: Sequence[str], size: int = SIZE) -> None:
        self.patterns = tuple(patterns)
        options = re2.Options()
        options.case_sensitive = False
        options.max_mem = 16 << 20  # room for each set's DFA, so that matching stays on the fast path
        self._sets: list[tuple[int, Any]] = []
        for first in range(0, len(self.patterns), size):
            one = re2.Set.SearchSet(options)
            for p in self.patterns[first : first + size]:
                one.Add(p)
            one.Compile()
            # The compiled set under google-re2's wrapper, called directly: the wrapper would encode the text
            # again for every set.
            self._sets.append((first, one._set))

    def match(self, text: str | bytes) -> list[int]:
        """The indices (in `patterns`) of the patterns that match somewhere in `text`, in increasing order."""
        buf = text.encode() if isinstance(text, str) else text
        out: list[int] = []
        for first, one in self._sets:
            found = one.Match(buf)
            if found:
                out += sorted(first + i for i in found)
        return out


class _Compiled(NamedTuple):
    """A rule's patterns compiled for one way of reading: as written (a message) or as told (an account)."""

    groups: tuple[tuple[_Rx, ...], ...]
    vetoes: tuple[_Rx, ...]
    #: All groups' patterns in one pre-filter: one read of a field says whether every group occurs at all.
    prefilter: SearchSets
    owners: tuple[int, ...]


def _compiled(all_of: Sequence[Sequence[str]], none_of: Sequence[str], where: str, assertion: Assertion) -> _Compiled:
    """The groups, vetoes and pre-filter, each pattern as `assertion` reads rules (`narrated`: as told)."""
    groups = tuple(_compile([assertion.narrated(p) for p in g], f"{where}: all_of") for g in all_of)
    owners = [gi for gi, group in enumerate(all_of) for _ in group]
    prefilter = SearchSets([loosened(assertion.narrated(p)) for group in all_of for p in group])
    return _Compiled(
        groups, _compile([assertion.narrated(p) for p in none_of], f"{where}: none_of"), prefilter, tuple(owners)
    )


def _compile(patterns: Sequence[str], where: str) -> tuple[_Rx, ...]:
    out = []
    for p in patterns:
        try:
            out.append(_Rx(re2.compile(p, _OPTIONS)._regexp, is_anchored(p)))
        except re2.error as exc:
            raise ValueError(f"{where}: bad pattern {p!r}: {exc}") from exc
    return tuple(out)


@dataclass(frozen=True)
class PhraseDetector(Detector):
    """Every `all_of` group must match in the same sentence (or window); any `none_of` match vetoes it."""

    all_of: tuple[tuple[str, ...], ...] = ()
    none_of: tuple[str, ...] = ()
    scope: Scope = "message"
    #: Whether a negation or a declined offer cancels a match: one flag for all groups, or one per group (a group
    #: that only says the sentence is addressed to "you" should not be cancelled by "nothing links back to you").
    negatable: bool | tuple[bool, ...] = True
    #: Whether a match inside a warning or report about the tactic ("be wary of recruiters who offer paid
    #: trips", "MI5 says ...") is cancelled: true for indicators, false for safeguards (a stated position); one
    #: flag, or one per group as for `negatable`.
    quotable: bool | tuple[bool, ...] = True
    #: Sentences on either side that count as "the same place" (0 = the sentence itself).
    window: int = 0
    #: The language the patterns are written in: whose negation and warning cues read their matches. An account
    #: in the reporter's words is read as told by the English rules only; other languages read it as written.
    language: str = "en"
    #: Settings that veto the rule wherever they appear in the message (subject, text, quoted thread): what the
    #: whole message is, not one sentence ("a usability study of our app": its thank-you voucher is no lure).
    none_in_message: tuple[str, ...] = ()
    #: The patterns as a message is read; and as an account told in the reporter's words (built when first needed).
    _written: _Compiled | None = field(default=None, init=False, repr=False, compare=False)
    _told: _Compiled | None = field(default=None, init=False, repr=False, compare=False)
    #: Every pattern of the rule: with the built-in rules' own, the key words it reads when no index is given.
    _patterns: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)
    _assertion: Assertion | None = field(default=None, init=False, repr=False, compare=False)
    _setting: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        where = self.meta.id
        if not self.all_of or not all(self.all_of):
            raise ValueError(f"{where}: match.all_of must be a non-empty list of non-empty pattern lists")
        for name in ("negatable", "quotable"):
            flags = getattr(self, name)
            if not isinstance(flags, bool) and len(flags) != len(self.all_of):
                raise ValueError(f"{where}: match.{name} must be true, false or one flag per all_of group")
        cues = assertion_for(self.language)
        object.__setattr__(self, "_assertion", cues)
        object.__setattr__(self, "_written", _compiled(self.all_of, self.none_of, where, cues))
        object.__setattr__(self, "_patterns", frozenset(p for g in self.all_of for p in g) | set(self.none_of))
        if self.none_in_message:
            setting = _compile(["|".join(f"(?:{p})" for p in self.none_in_message)], f"{where}: none_in_message")
            object.__setattr__(self, "_setting", setting[0].regexp)

    def compiled(self, told: bool = False) -> _Compiled:
        """The rule's patterns as a message is read, or (`told`) as an account of one: the told form is compiled
        when an account is first read (two threads may both build it; either result is the same)."""
        if not told:
            assert self._written is not None
            return self._written
        if self._told is None:
            object.__setattr__(self, "_told", _compiled(self.all_of, self.none_of, self.meta.id, told_cues()))
        assert self._told is not None
        return self._told

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled RE2 objects do not pickle; the pattern strings do, and __post_init__ recompiles them.
        return (
            type(self),
            (
                self.meta,
                self.all_of,
                self.none_of,
                self.scope,
                self.negatable,
                self.quotable,
                self.window,
                self.language,
                self.none_in_message,
            ),
        )

    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        if not isinstance(subject, Approach):
            return
        hits: list[Span] = []
        index = ctx.phrases if ctx.phrases is not None and self.meta.id in ctx.phrases else None
        speller = index.speller if index is not None else speller_for(self._patterns)
        for name, raw in self.fields(subject):
            original = clean(raw)
            text, back = reading(speller, original)  # "pa\u200by" and "whatsap" as "pay" and "whatsapp"
            told = read_as_told(name, self.language)
            if not self._every_group_occurs(text, index, told):  # one pass; most fields stop here
                continue
            f = _prepared(name, text)
            for j in self._sentences_firing(f, told):
                sp = f.spans[j]
                hits.append(sp if back is None else Span(name, back[sp.start], back[sp.end], original))
        # The message's setting is read only where the rule would fire: most messages never get that far.
        if hits and not self.in_setting(subject):
            # Many matching sentences say the same thing more firmly, with diminishing returns.
            yield self.finding((h.evidence() for h in hits[:5]), strength=min(1.0, 0.75 + 0.25 * len(hits)))

    def in_setting(self, approach: Approach) -> bool:
        """Whether the message, in any of its fields, declares a setting that vetoes this rule (`none_in_message`)."""
        if self._setting is None:
            return False
        for _, raw in message_fields(approach):
            buf = clean(raw).encode()
            if self._setting.Match(_UNANCHORED, buf, 0, len(buf))[0][0] >= 0:
                return True
        return False

    def _sentences_firing(self, f: _Field, told: bool = False) -> list[int]:
        """The sentences to quote: each holds the first group's match, with every group and no veto nearby.

        Two steps: where the groups co-occur at all (plain matching), then, only there, whether their matches
        are asserted (not negated, declined or quoted in a warning: detectors/assertion.py). Most matches stand
        where the other groups do not, and never need the costlier second test; the answer is the same.
        """
        n = len(f.spans)
        rules = self.compiled(told)
        assertion = told_cues() if told else self._assertion
        assert assertion is not None  # set in __post_init__
        # The first group is searched over the field; the others only near the sentences that hold it.
        first = self._matches_by_sentence(rules.groups[0], f)
        if not first:
            return []
        candidates = sorted({k for i in first for k in self._near(i, n)})
        region = {j for k in candidates for j in self._near(k, n)}
        found = [first] + [self._matches_by_sentence(g, f, region) for g in rules.groups[1:]]
        vetoed = self._matches_by_sentence(rules.vetoes, f, region)
        asserted: list[dict[int, bool]] = [{} for _ in found]

        def holds(gi: int, j: int) -> bool:
            """Group gi has an asserted match in sentence j (remembered: windows overlap)."""
            known = asserted[gi].get(j)
            if known is None:
                negate, quote = self._negate(gi), self._quote(gi)
                known = not (negate or quote) or any(
                    assertion.holds(f.view, j, start, end, negate, quote) for start, end in found[gi].get(j, ())
                )
                asserted[gi][j] = known
            return known

        shown: list[int] = []
        if self.window == 0:  # most rules: one sentence, no window to search (same answer, less work)
            groups = range(len(found))
            for k in candidates:
                if k not in vetoed and all(k in m for m in found) and all(holds(gi, k) for gi in groups):
                    shown.append(k)
            return shown
        for k in candidates:
            near = self._near(k, n)
            if any(j in vetoed for j in near) or not all(any(j in m for j in near) for m in found):
                continue
            if all(any(j in found[gi] and holds(gi, j) for j in near) for gi in range(len(found))):
                # Quote the sentence that holds the first group's asserted match (the window may centre elsewhere).
                j = k if k in first and holds(0, k) else min(i for i in near if i in first and holds(0, i))
                if j not in shown:
                    shown.append(j)
        return shown

    def _every_group_occurs(self, text: str, index: SharedPhrases | None = None, told: bool = False) -> bool:
        if index is not None:
            return index.every_group_occurs(self.meta.id, text, told)
        rules = self.compiled(told)
        return len({rules.owners[i] for i in rules.prefilter.match(text)}) == len(rules.groups)

    def fields(self, approach: Approach) -> Iterator[tuple[str, str]]:
        """The fields this rule reads, by its scope."""
        return _scope_fields(approach, self.scope)

    def _negate(self, group: int) -> bool:
        return self.negatable if isinstance(self.negatable, bool) else self.negatable[group]

    def _quote(self, group: int) -> bool:
        return self.quotable if isinstance(self.quotable, bool) else self.quotable[group]

    def _matches_by_sentence(
        self, group: Sequence[_Rx], f: _Field, region: set[int] | None = None
    ) -> dict[int, list[tuple[int, int]]]:
        """Byte spans of the group's matches, by the sentence (within `region`, if given) that holds them whole."""
        out: dict[int, list[tuple[int, int]]] = {}
        if region is not None and not region:
            return out
        lo = f.starts[min(region)] if region else 0
        hi = f.ends[max(region)] if region else len(f.buf)
        for regexp, per_sentence in group:
            found = _matches(regexp, f.buf, lo, hi) if not per_sentence else _within_sentences(regexp, f, region)
            for start, end in found:
                i = bisect_right(f.starts, start) - 1
                if i < 0 or end > f.ends[i] or (region is not None and i not in region):
                    continue
                out.setdefault(i, []).append((start, end))
        return out

    def _near(self, i: int, n: int) -> range:
        return range(max(0, i - self.window), min(n, i + self.window + 1))


class PhraseIndex:
    """Every phrase detector's patterns in one pre-filter (`SearchSets`), so one read of a field pre-filters all.

    Built once per engine from its registry and shared read-only through the Context. The answer for the last
    few texts is remembered: all phrase detectors ask about the same fields of the message in hand.
    """

    def __init__(self, detectors: Sequence[PhraseDetector]) -> None:
        self.detectors = tuple(detectors)
        languages = {d.language for d in self.detectors}
        if len(languages) > 1:
            raise ValueError(f"one phrase index per language, not {sorted(languages)}")
        #: The language of its rules: whether an account is read as told (`read_as_told`), as the rules read it.
        self.language = languages.pop() if languages else "en"
        self._owner: list[tuple[str, int]] = []
        self._groups: dict[str, int] = {}
        for d in self.detectors:
            self._groups[d.meta.id] = len(d.all_of)
            for gi, group in enumerate(d.all_of):
                self._owner += [(d.meta.id, gi)] * len(group)
        self._set = self._search_set(ASSERTION)
        #: The same as an account in the reporter's words is read (built when the first account comes).
        self._told_set: SearchSets | None = None
        #: How all these rules read misspelt key words: the prefilter must see the text the rules match.
        self.speller = speller_for(frozenset(p for d in self.detectors for p in d._patterns))
        self._memo: OrderedDict[tuple[bool, str], frozenset[str]] = OrderedDict()
        self._people: OrderedDict[tuple[str, PersonProfile], set[str]] = OrderedDict()
        self._by_scope: dict[str, set[str]] = {}
        for d in self.detectors:
            self._by_scope.setdefault(d.scope, set()).add(d.meta.id)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.detectors,))

    def _search_set(self, assertion: Assertion) -> SearchSets:
        """All rules' patterns, as `assertion` reads rules, in `_owner`'s order."""
        return SearchSets([loosened(assertion.narrated(p)) for d in self.detectors for g in d.all_of for p in g])

    def __contains__(self, ident: object) -> bool:
        return ident in self._groups

    def candidates(self, approach: Approach) -> frozenset[str]:
        """Ids of the rules that could fire on this approach: every group occurs in one of its fields.

        One pre-filter pass per field, for all rules at once; the engine skips the other phrase rules without
        calling them (their answer would be "nothing").
        """
        out: set[str] = set()
        for scope, idents in self._by_scope.items():
            person = approach.sender if scope == "sender" else approach.recipient if scope == "recipient" else None
            if person is None:
                out |= self._in_fields(approach, scope, idents)
                continue
            # One persona writes to many: a profile's answer is remembered (its hash is cheaper than its fields).
            key = (scope, person)
            found = self._people.get(key)
            if found is None:
                found = self._people[key] = self._in_fields(approach, scope, idents)
                if len(self._people) > 4096:
                    self._people.popitem(last=False)
            out |= found
        return frozenset(out)

    def _in_fields(self, approach: Approach, scope: str, idents: set[str]) -> set[str]:
        out: set[str] = set()
        for name, raw in _scope_fields(approach, scope):
            out |= self._passing(reading(self.speller, clean(raw))[0], read_as_told(name, self.language)) & idents
        return out

    def _passing(self, text: str, told: bool = False) -> frozenset[str]:
        """The rules all of whose groups occur somewhere in `text`, read as written or (`told`) as an account
        (memoised for the last few thousand texts)."""
        passing = self._memo.get((told, text))
        if passing is None:
            prefilter = self._set
            if told:
                if self._told_set is None:
                    self._told_set = self._search_set(told_cues())
                prefilter = self._told_set
            found: dict[str, set[int]] = {}
            owner = self._owner
            for i in prefilter.match(text):
                ident, group = owner[i]
                found.setdefault(ident, set()).add(group)
            groups = self._groups
            passing = frozenset(ident for ident, g in found.items() if len(g) == groups[ident])
            self._memo[(told, text)] = passing
            if len(self._memo) > 4096:
                self._memo.popitem(last=False)
        return passing

    def every_group_occurs(self, ident: str, text: str, told: bool = False) -> bool:
        return ident in self._passing(text, told)


def read_as_told(field: str, language: str) -> bool:
    """Whether a field is read as told in the reporter's words (detectors/assertion.py, `told`): the account, by
    the English rules; the rules of other languages read it as written."""
    return field == ACCOUNT and language == "en"


def _flags(value: object, name: str) -> bool | tuple[bool, ...]:
    if isinstance(value, bool):
        return value
    if isinstance(value, list) and all(isinstance(v, bool) for v in value):
        return tuple(value)
    raise ValueError(f"{name} must be true, false or a list of booleans")


def from_spec(spec: Mapping[str, Any], where: str) -> PhraseDetector:
    """Build one detector from its YAML mapping; `where` names the file for error messages."""
    ident = spec.get("id", "?") if isinstance(spec, Mapping) else "?"
    try:
        meta = DetectorMeta(
            id=spec["id"],
            title=spec["title"],
            severity=spec["severity"],
            explanation=" ".join(spec["explanation"].split()),
            guidance=" ".join(spec["guidance"].split()),
            sources=tuple(spec["sources"]),
            attack=tuple(spec.get("attack", ())),
        )
        scope = spec.get("scope", "message")
        if scope not in ("message", "sender", "recipient", "account"):
            raise ValueError(f"{ident}: scope must be message, sender, recipient or account")
        return PhraseDetector(meta=meta, scope=scope, **match_args(spec["match"], ident))
    except KeyError as exc:
        raise ValueError(f"{where}: detector {ident}: missing field {exc.args[0]!r}") from exc
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{where}: {exc}") from exc


def _group(group: object, ident: str) -> tuple[str, ...]:
    """One `all_of` group: a list of patterns, or a mapping with its `source` and its `patterns`."""
    if isinstance(group, Mapping):
        if not str(group.get("source", "")).strip():
            raise ValueError(f"{ident}: a group written as a mapping needs a source")
        group = group.get("patterns")
    if not isinstance(group, list):
        raise ValueError(f"{ident}: match.all_of must be a list of pattern lists")
    return tuple(str(p) for p in group)


def match_args(match: Mapping[str, Any], ident: str) -> dict[str, Any]:
    """The PhraseDetector arguments of a rule's `match` mapping."""
    groups = match["all_of"]
    if not isinstance(groups, list):
        raise ValueError(f"{ident}: match.all_of must be a list of pattern lists")
    return {
        "all_of": tuple(_group(g, ident) for g in groups),
        "none_of": tuple(str(p) for p in match.get("none_of", [])),
        "negatable": _flags(match.get("negatable", True), "match.negatable"),
        "quotable": _flags(match.get("quotable", True), "match.quotable"),
        "window": int(match.get("window", 0)),
        "none_in_message": tuple(str(p) for p in match.get("none_in_message", [])),
    }
