"""Whether a phrase rule's match is asserted, or negated, imagined or reported (NegEx and ConText, as data).

A rule that finds "fee" near "your views" cannot tell "we pay a fee for your views" from "we are unable to
offer a fee for your views", "if we could pay a fee we would, but the budget does not allow it" or "MI5 says
headhunters offer fees for your views". The cues that tell them apart are in data/assertion.yaml, with their
sources; this module compiles them and reads them around one match at a time:

- negation before the match (five words, no terminator between: "no fee, but we pay travel" negates the fee
  only), after it ("travel is not covered", "we pay no fee"), unless a pseudo-negation ("no catch") is nearer;
- irrealis: a counterfactual that denies the offer ("we wish we could pay") or a conditional followed by a
  decline ("we'd love to offer a fee, but our budget does not allow it");
- reported speech: a warning, an authority's report or a description of what fraudsters do, before the match
  in its sentence, heading the list it stands in, or after it in its clause ("... is a classic lure").

An approach told in the reporter's own words (the Approach's `account`) is read with `Assertion.told()`: only
genuine advisories frame a match, the reporter's own refusal ("I declined") negates nothing, and the rules' words
for the recipient and the sender also read the account's persons ("you" reads "me", "her", "our researcher":
`narrated`), from the `told` section of the same file (docs/decisions/0043).

Only matches a rule has already found are tested, each on a few hundred bytes around it, on RE2 (linear time).
Windows are bytes of UTF-8; reaches are counted in characters, as the words of a sentence are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal, NamedTuple

import re2
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

#: How far back (characters) a negation cue is looked for: five words and then some.
NEGATION_REACH = 60
#: How far after a match (characters) a post-negation or a "... is a classic lure" is looked for.
AFTER_REACH = 100
#: How far back (characters) in its sentence a warning or counterfactual is looked for.
FRAME_REACH = 300
#: How far back (bytes) the head of a list ("Warning signs include:") is looked for.
LIST_REACH = 800
#: How far after a conditional offer (characters, into the next sentence) its decline is looked for.
DECLINE_REACH = 240
#: Lines of one sentence wrapped at a fixed width that are read as one (a bound on the work per match).
_WRAPPED_LINES = 8

_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False
_UNANCHORED = re2._re2.RE2.Anchor.UNANCHORED
_ANCHOR_START = re2._re2.RE2.Anchor.ANCHOR_START


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _CueList(_Spec):
    name: str = Field(min_length=1)
    source: str = Field(min_length=1)
    patterns: list[str] = Field(min_length=1)
    examples: list[str] = Field(min_length=1)
    #: Wrap each pattern in word boundaries (off for punctuation and quotation marks).
    boundaries: bool = True
    #: Only as the very next word after the match (see `negation.after`).
    immediate: bool = False


Cues = list[_CueList]


class _Negation(_Spec):
    before: Cues
    after: Cues
    pseudo: Cues
    self_negating: Cues


class _Terminators(_Spec):
    contrast: Cues
    clause: Cues


class _Irrealis(_Spec):
    denied: Cues
    conditional: Cues
    decline: Cues


class _Reported(_Spec):
    before: Cues
    after: Cues
    continuation: Cues
    frame_denied: Cues
    own_voice: Cues


class _Shift(_Spec):
    word: str = Field(pattern=r"^[a-z]+(?: [a-z]+)*$")
    source: str = Field(min_length=1)
    reads: list[str] = Field(min_length=1)
    examples: list[str] = Field(min_length=1)


class _Told(_Spec):
    """How an account in the reporter's words is read: English only (another language's file has none, and an
    account in it is read as written)."""

    advisories: list[str] = []
    refusal: Cues = []
    shifts: list[_Shift] = []


class _File(_Spec):
    version: Literal[1]
    negation: _Negation
    terminators: _Terminators
    irrealis: _Irrealis
    reported: _Reported
    told: _Told = _Told()


def _alternation(cues: Sequence[_CueList], where: str, immediate: bool | None = None) -> str:
    """One non-capturing alternation of the lists' patterns, each list's examples checked against it."""
    parts: list[str] = []
    for cue in cues:
        if immediate is not None and cue.immediate != immediate:
            continue
        at = f"{where} ({cue.name})"
        own = []
        for p in cue.patterns:
            try:
                groups = re2.compile(p, _OPTIONS).groups
            except re2.error as exc:
                raise ValueError(f"{at}: bad pattern {p!r}: {exc}") from exc
            if groups:
                raise ValueError(f"{at}: pattern {p!r} has a capturing group; write (?:...)")
            own.append(rf"\b(?:{p})\b" if cue.boundaries else f"(?:{p})")
        joined = "|".join(own)
        rx = re2.compile(joined, _OPTIONS)
        for ex in cue.examples:
            if not rx.search(ex):
                raise ValueError(f"{at}: example {ex!r} holds no match of the list's patterns")
        parts.append(joined)
    return "|".join(parts) or r"[^\x00-\x{10FFFF}]"  # an empty list matches nothing


def _compile(pattern: str, where: str) -> Any:
    try:
        return re2.compile(pattern, _OPTIONS)._regexp
    except re2.error as exc:  # pragma: no cover - the parts compiled alone; this guards their assembly
        raise ValueError(f"{where}: cannot assemble the cue patterns: {exc}") from exc


#: The tail of a pre-negation: at most five words, then the match's first word (read with the window, so that a
#: terminator such as ", and we" sees the subject that starts the match: "no contract, and we pay").
_FIVE_WORDS = r"\W*(?:\w+\W*){0,6}$"
#: Words a post cue may stand after the match.
_AFTER_WORDS = 8


@dataclass(frozen=True)
class Assertion:
    """The compiled cues of data/assertion.yaml and the tests that read them around a match."""

    #: The last pseudo-negation, terminator or negation within five words: group 3 means "negated".
    negated_before: Any
    #: The same test without groups (fast): most matches have no negation near them and stop here.
    negation_hint: Any
    #: A word (the first of a match, read with the window before it).
    word: Any
    #: After the match: pseudo (1), immediate negation (2), terminator (3), post-negation (4), report (5).
    after: Any
    after_hint: Any
    #: The last terminator or counterfactual: denied (2) or conditional (3).
    irrealis_before: Any
    decline: Any
    #: The last own offer or warning frame (2).
    frame_before: Any
    #: The last warning frame (2), own offers aside (for a match inside quotation marks).
    frame_quoting: Any
    #: A frame or counterfactual anywhere in a window (no groups, the fast test).
    frame_hint: Any
    #: The writer's own offer or approach: a frame before the sentence does not reach past it.
    own_voice: Any
    frame_denied: Any
    list_frame: Any
    #: A sentence that starts by going on about the same third party ("They may also ask ...").
    continuation: Any
    self_negating: Any
    #: A negation cue anywhere (whole-field pre-check: a field without one has no negated match).
    negation_anywhere: Any = None
    #: Told (an account): the last refusal by the reporter, whose negation cue says nothing of the sender's ask.
    refusal: Any = None
    #: Told: each of the rules' words for the recipient and the sender (and "do not"), and what it also reads
    #: in an account (see `narrated`).
    shifts: tuple[tuple[str, str], ...] = ()

    @classmethod
    def told(cls, text: str | None = None, where: str = "counterpitch/data/assertion.yaml") -> Assertion:
        """The cues as an account in the reporter's own words is read (data/assertion.yaml, `told`)."""
        return cls.load(text, where, told=True)

    @classmethod
    def load(
        cls, text: str | None = None, where: str = "counterpitch/data/assertion.yaml", told: bool = False
    ) -> Assertion:
        """The cues as a message is read, or (`told`) as an account of one: only genuine advisories frame a
        match, the reporter's refusal negates nothing, and the rules' persons are shifted (see `narrated`)."""
        if text is None:
            text = (resources.files("counterpitch") / "data" / "assertion.yaml").read_text("utf-8")
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError(f"{where}: not valid YAML: {exc}") from exc
        return cls.from_doc(doc, where, told)

    @classmethod
    def from_doc(cls, doc: object, where: str, told: bool = False) -> Assertion:
        """The cues of one parsed file (data/assertion.yaml, or the `assertion` section of a language's file), as
        a message is read or (`told`) as an account of one."""
        try:
            spec = _File.model_validate(doc)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors())
            raise ValueError(f"{where}: {problems}") from exc
        neg, term, irr, rep = spec.negation, spec.terminators, spec.irrealis, spec.reported
        shifts = tuple((s.word, _shifted(s, f"{where}: told.shifts ({s.word})")) for s in spec.told.shifts)
        if told:  # "if they could pay a fee they would, but ...": the sender's offer imagined, in the third person
            irr = _Irrealis(
                **{
                    k: [_narrated_cues(c, shifts) for c in getattr(irr, k)]
                    for k in ("denied", "conditional", "decline")
                }
            )
        before = _alternation(neg.before, f"{where}: negation.before")
        pseudo = _alternation(neg.pseudo, f"{where}: negation.pseudo")
        stop = _alternation(term.contrast, f"{where}: terminators.contrast")
        stop += "|" + _alternation(term.clause, f"{where}: terminators.clause")
        post = _alternation(neg.after, f"{where}: negation.after", immediate=False)
        next_word = _alternation(neg.after, f"{where}: negation.after", immediate=True)
        unknown = [a for a in spec.told.advisories if a not in {c.name for c in rep.before}]
        if unknown:  # checked however the file is read, so a broken `told` section fails at start-up
            raise ValueError(f"{where}: told.advisories: no reported.before list named {unknown[0]!r}")
        frames = [c for c in rep.before if c.name in spec.told.advisories] if told else rep.before
        said = _alternation(frames, f"{where}: reported.before")
        said_after = _alternation([] if told else rep.after, f"{where}: reported.after")
        refusal = _alternation(spec.told.refusal, f"{where}: told.refusal")
        own = _alternation(rep.own_voice, f"{where}: reported.own_voice")
        denied = _alternation(irr.denied, f"{where}: irrealis.denied")
        conditional = _alternation(irr.conditional, f"{where}: irrealis.conditional")
        words = rf"\W*(?:\w+\W+){{0,{_AFTER_WORDS}}}?"
        return cls(
            negated_before=_compile(rf"(?s)^.*(?:({pseudo})|({stop})|({before})){_FIVE_WORDS}", where),
            negation_hint=_compile(rf"(?:{before}){_FIVE_WORDS}", where),
            negation_anywhere=_compile(rf"(?:{before})", where),
            word=_compile(r"\W*\w+", where),
            after=_compile(
                rf"(?s)^(?:\W*(?:\w+\W+){{0,2}}?(?:{pseudo})()|\s+(?:{next_word})()"
                rf"|{words}(?:({stop})|({post})|({said_after})))",
                where,
            ),
            after_hint=_compile(rf"{pseudo}|{post}|{said_after}|^\s+(?:{next_word})", where),
            irrealis_before=_compile(rf"(?s)^.*(?:({stop})|({denied})|({conditional}))", where),
            decline=_compile(_alternation(irr.decline, f"{where}: irrealis.decline"), where),
            frame_before=_compile(rf"(?s)^.*(?:({own})|({said}))", where),
            frame_quoting=_compile(rf"(?s)^.*()({said})", where),
            frame_hint=_compile(rf"{said}|{denied}|{conditional}", where),
            own_voice=_compile(own, where),
            frame_denied=_compile(
                rf"(?:{_alternation(rep.frame_denied, f'{where}: reported.frame_denied')})(?:\W+\w+)?\W*$", where
            ),
            list_frame=_compile(rf"({said})[^\n]*:[ \t]*\r?\n(?:[ \t]*\S[^\n]*\n){{0,12}}[^\n]*$", where),
            continuation=_compile(
                rf"\W*(?:{_alternation(rep.continuation, f'{where}: reported.continuation')})", where
            ),
            self_negating=_compile(_alternation(neg.self_negating, f"{where}: negation.self_negating"), where),
            refusal=_compile(rf"(?s)^.*({refusal})", where) if told else None,
            shifts=shifts if told else (),
        )

    def warns(self, sentence: str) -> bool:
        """Whether a sentence reports or warns about what others do ("MI5 has warned that headhunters offer
        fees", "be wary of recruiters who ...") rather than speaking for its writer ("we will pay")."""
        return self.has_frame(sentence) and not _hit(self.own_voice, sentence.encode("utf-8"))

    def has_frame(self, text: str) -> bool:
        """Whether `text` holds a warning or reporting frame anywhere (a pre-check before `warns` per sentence)."""
        return _hit(self.frame_quoting, text.encode("utf-8"))

    def narrated(self, pattern: str) -> str:
        """A rule's pattern as an account is read: each of its words for the recipient and the sender ("you",
        "your", "we", "me", "us"), standing whole, also reads the account's person ("me", "her", "our
        researcher"; "they", "him"). The pattern as it is without `told` cues, or where none of the words stands."""
        return _narrate(pattern, self.shifts)

    def _hints(self, buf: bytes) -> tuple[bool, bool]:
        """Two whole-field pre-checks, remembered per field: is there a negation cue anywhere, and a warning frame
        or counterfactual? Most fields hold neither, and then no match in them needs those tests."""
        memo: dict[bytes, tuple[bool, bool]] = self._memo  # type: ignore[attr-defined]
        found = memo.get(buf)
        if found is None:
            if len(memo) >= 4096:
                memo.clear()
            found = memo[buf] = (_hit(self.negation_anywhere, buf), _hit(self.frame_hint, buf))
        return found

    def __post_init__(self) -> None:
        object.__setattr__(self, "_memo", {})

    # --- the tests, on the bytes around one match --------------------------------------------------------------

    def holds(self, text: Sentences, i: int, start: int, end: int, negate: bool, quote: bool) -> bool:
        """Whether text.buf[start:end], in sentence i, is asserted: not negated or declined (when `negate`) and
        not inside a warning or report (when `quote`)."""
        buf, ascii, starts, ends = text
        negations, frames = self._hints(buf)
        first, last = text.first(i), text.last(i)
        lo, hi = starts[first], ends[last]
        following = ends[min(last + 1, len(ends) - 1)]
        if (
            negate
            and negations
            and not self._self_negating(buf, start, end)
            and self._negated_before(_before(buf, ascii, lo, start, NEGATION_REACH) + self._first_word(buf, start, end))
        ):
            return False
        after = _after(buf, ascii, end, hi, AFTER_REACH)
        found = _groups(self.after, after) if _hit(self.after_hint, after) else None
        if found is not None and ((negate and (found[2] >= 0 or found[4] >= 0)) or (quote and found[5] >= 0)):
            return False
        if not frames:
            return True  # no warning frame or counterfactual anywhere in the field
        wide = _before(buf, ascii, lo, start, FRAME_REACH)
        if _hit(self.frame_hint, wide):
            if negate and self._imagined(wide, buf, ascii, end, following):
                return False
            if quote and self._framed(wide + buf[start:end], _quoted(wide)):  # the match may be the writer's own offer
                return False
        if not quote or not (self._listed_under_frame(buf, lo, start) or self._continues_report(text, i)):
            return True
        # Under a warning, the writer's own offer or approach is no report, unless it stands in quotation marks.
        return not _quoted(wide) and _hit(self.own_voice, wide + buf[start:end])

    def _first_word(self, buf: bytes, start: int, end: int) -> bytes:
        found = self.word.Match(_ANCHOR_START, buf, start, end)[0]
        return buf[start : found[1]] if found[0] >= 0 else b""

    def _self_negating(self, buf: bytes, start: int, end: int) -> bool:
        return bool(self.self_negating.Match(_ANCHOR_START, buf, start, end)[0][0] >= 0)

    def _negated_before(self, window: bytes) -> bool:
        if not _hit(self.negation_hint, window):
            return False
        found = _groups(self.negated_before, window)
        if found is None or found[3] < 0:
            return False
        return not (self.refusal is not None and self._refused(window, found[3]))

    def _refused(self, window: bytes, cue: int) -> bool:
        """In an account: the negation cue at `cue` is part of the reporter's own refusal ("I declined", "I did
        not install"), which leaves the sender's offer or ask standing."""
        spans = self.refusal.Match(_UNANCHORED, window, 0, len(window))
        start, end = spans[1] if spans[0][0] >= 0 else (-1, -1)
        return start >= 0 and start <= cue < end

    def _imagined(self, wide: bytes, buf: bytes, ascii: bool, end: int, following: int) -> bool:
        """A counterfactual before the match that denies it, or a conditional that a decline follows."""
        found = _groups(self.irrealis_before, wide)
        if found is None or found[1] >= 0:
            return False
        if found[2] >= 0:
            return True
        return _hit(self.decline, _after(buf, ascii, end, following, DECLINE_REACH))

    def _framed(self, wide: bytes, quoted: bool = False) -> bool:
        """A warning frame before the match in its sentence, not denied, and not followed by the writer's own
        offer, unless the match is quoted (a lure quoted in a warning is the quoted sender's voice)."""
        found = _groups(self.frame_quoting if quoted else self.frame_before, wide)
        return found is not None and found[2] >= 0 and not _hit(self.frame_denied, wide[: found[2]])

    def _listed_under_frame(self, buf: bytes, lo: int, start: int) -> bool:
        """The match stands in a list (consecutive non-blank lines) headed by a warning that ends in a colon."""
        top = max(0, lo - LIST_REACH)
        if buf.rfind(b":", top, lo) < 0:
            return False
        window = buf[top:start]
        found = _groups(self.list_frame, window)
        return found is not None and not _hit(self.frame_denied, window[: found[1]])

    def _continues_report(self, text: Sentences, i: int) -> bool:
        """Sentence i, and any before it that go on the same way, follow a sentence with a warning frame."""
        buf, ascii, starts, ends = text
        k = text.first(i)
        for _ in range(3):
            if k == 0 or self.continuation.Match(_ANCHOR_START, buf, starts[k], ends[k])[0][0] < 0:
                return False
            k = text.first(k - 1)
            if self._framed(_before(buf, ascii, starts[k], ends[text.last(k)], FRAME_REACH)):
                return True
        return False


class Sentences(NamedTuple):
    """A field as phrase rules hold it (detectors/phrases.py): UTF-8 bytes and the sentences' byte offsets."""

    buf: bytes
    ascii: bool  # bytes and characters coincide
    starts: list[int]
    ends: list[int]

    def first(self, i: int) -> int:
        """The first raw sentence of the one sentence i is part of: text wrapped at a fixed width (plain-text
        e-mail) breaks sentences at every line end, and a warning's scope should not end there."""
        k = i
        while k > 0 and i - k < _WRAPPED_LINES and self._wrapped(k - 1):
            k -= 1
        return k

    def last(self, i: int) -> int:
        """The last raw sentence of the one sentence i is part of (see `first`)."""
        k, n = i, len(self.ends)
        while k + 1 < n and k - i < _WRAPPED_LINES and self._wrapped(k):
            k += 1
        return k

    def _wrapped(self, k: int) -> bool:
        """Raw sentence k runs on into k + 1: one line break, no sentence end before it, no list item after."""
        buf, end, nxt = self.buf, self.ends[k], self.starts[k + 1]
        return buf[end - 1] not in _SENTENCE_END and buf.count(b"\n", end, nxt) == 1 and buf[nxt] not in _LIST_ITEM


#: Bytes that end a sentence or clause at a line end, and that start a list item ("-", "*", and the lead byte
#: of "•" and the dashes).
_SENTENCE_END = frozenset(b".!?:;")
_LIST_ITEM = frozenset(b"-*\xe2")


def _narrate(pattern: str, shifts: Sequence[tuple[str, str]]) -> str:
    """`pattern` with each of the `shifts` words that stands whole in it widened to what it also reads."""
    if not shifts:
        return pattern
    table = dict(shifts)
    return _words_in(tuple(table)).sub(lambda m: f"(?:{m.group(1)}|{table[m.group(1)]})", pattern)


@lru_cache(maxsize=8)
def _words_in(words: tuple[str, ...]) -> re.Pattern[str]:
    """The words as they stand whole in a pattern's source: after a non-word character, a `\\b` or an escape such
    as `\\s`; before a non-word character and unquantified (`yours?` is left as it is). Longest first."""
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:(?<=\\[bBsSwWdD])|(?<![\w\\]))({alternation})(?![\w?*+{{])")


def _narrated_cues(cues: _CueList, shifts: Sequence[tuple[str, str]]) -> _CueList:
    return cues.model_copy(update={"patterns": [_narrate(p, shifts) for p in cues.patterns]})


def _shifted(shift: _Shift, where: str) -> str:
    """What one of the rules' person words also reads, checked against its examples."""
    for p in shift.reads:
        try:
            if re2.compile(p, _OPTIONS).groups:
                raise ValueError(f"{where}: pattern {p!r} has a capturing group; write (?:...)")
        except re2.error as exc:
            raise ValueError(f"{where}: bad pattern {p!r}: {exc}") from exc
    joined = "|".join(shift.reads)
    rx = re2.compile(rf"\b(?:{joined})\b", _OPTIONS)
    for ex in shift.examples:
        if not rx.search(ex):
            raise ValueError(f"{where}: example {ex!r} holds no match of the patterns")
    return joined


def _quoted(before: bytes) -> bool:
    """Whether a double quotation mark opened before the match is still open (straight or curly)."""
    return before.count(b'"') % 2 == 1 or before.count("\u201c".encode()) > before.count("\u201d".encode())


def _hit(regexp: Any, window: bytes) -> bool:
    return bool(regexp.Match(_UNANCHORED, window, 0, len(window))[0][0] >= 0)


def _groups(regexp: Any, window: bytes) -> list[int] | None:
    """The start of the match and of each group (-1 where a group took no part), or None without a match."""
    spans = regexp.Match(_UNANCHORED, window, 0, len(window))
    return None if spans[0][0] < 0 else [s for s, _ in spans]


def _before(buf: bytes, ascii: bool, lo: int, start: int, reach: int) -> bytes:
    """The last `reach` characters before `start` and not before `lo`, as UTF-8."""
    if ascii:
        return buf[max(lo, start - reach) : start]
    # Bytes that surely hold `reach` characters, and a cut character before them (dropped on decoding).
    text = buf[max(lo, start - 4 * reach - 3) : start].decode("utf-8", "ignore")
    return text[-reach:].encode()


def _after(buf: bytes, ascii: bool, end: int, hi: int, reach: int) -> bytes:
    """The first `reach` characters from `end` and not beyond `hi`, as UTF-8."""
    if ascii:
        return buf[end : min(hi, end + reach)]
    return buf[end : min(hi, end + 4 * reach)].decode("utf-8", "ignore")[:reach].encode()


#: The cues of data/assertion.yaml, compiled once on import (a broken file fails at start-up, naming the list).
ASSERTION = Assertion.load()


@cache
def told_cues() -> Assertion:
    """The same cues as an approach told in the reporter's own words is read (the Approach's `account`): compiled
    when the first account comes (the `told` section itself is checked at start-up, by ASSERTION's load)."""
    return Assertion.told()


@cache
def assertion_for(language: str) -> Assertion:
    """The cues that read matches in `language`: English's in data/assertion.yaml, another language's in the
    `assertion` section of data/languages/<code>.yaml (the same lists, in that language's words)."""
    if language == "en":
        return ASSERTION
    where = f"counterpitch/data/languages/{language}.yaml"
    try:
        doc = yaml.safe_load(
            (resources.files("counterpitch") / "data" / "languages" / f"{language}.yaml").read_text("utf-8")
        )
    except FileNotFoundError as exc:
        raise ValueError(f"{where}: no such language file") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("assertion"), dict):
        raise ValueError(f"{where}: expected a mapping with an 'assertion' section")
    return Assertion.from_doc({"version": 1, **doc["assertion"]}, f"{where}: assertion")
