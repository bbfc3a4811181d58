"""Exposure detectors (family `exposure`): what one person's own profile tells an outsider about their access.

ASIO counted about 2,500 Australian profiles stating a clearance in 2025, and over 100 people on one military
project naming it; NPSA's first advice is not to advertise either. These detectors read a Profile (the engine
also converts an approach's recipient into one) and report each distinct disclosure once, with the places it
was seen. Word lists live in data/clearances.yaml and data/sensitive_roles.yaml; this module holds the rules
that tell a disclosure from its look-alikes: negated and hypothetical mentions ("eligible for SC", "SC
required"), acronyms with everyday senses (SC = South Carolina, PV = photovoltaic), words used as adjectives
("secret sauce"), and programme names that are also ordinary words ("Sentinel" lymph nodes).

Speed: every pattern carries an anchor, a piece of text each of its matches contains. One RE2 set pass per
profile says which anchors occur; a pattern then runs only on fields holding its anchor. Work per mention is
bounded (_REACH characters of context, _MAX_MENTIONS per pattern and field), so hostile input stays linear.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import islice
from typing import Any, Literal, NamedTuple

import re2  # google-re2: linear-time sets of patterns, one pass for many anchors
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from counterpitch.detectors.base import Detector, DetectorMeta, Span, evidence_of
from counterpitch.detectors.context import Context
from counterpitch.model import Approach, Finding, Profile
from counterpitch.text import clean

# --- the profile as text --------------------------------------------------------------------------------------


class _Field(NamedTuple):
    path: str
    kind: str
    text: str
    low: str


def _fields(p: Profile, kinds: frozenset[str]) -> list[_Field]:
    """The profile's free-text fields of the given kinds, cleaned one-to-one so offsets stay valid."""
    raw: list[tuple[str, str, str | None]] = [
        ("name", "name", p.name),
        ("headline", "headline", p.headline),
        ("location", "location", p.location),
        ("about", "about", p.about),
    ]
    for i, pos in enumerate(p.experience):
        at = f"experience[{i}]."
        raw += (
            (at + "title", "title", pos.title),
            (at + "company", "company", pos.company),
            (at + "location", "location", pos.location),
            (at + "description", "description", pos.description),
        )
    raw += [(f"skills[{i}]", "skill", skill) for i, skill in enumerate(p.skills)]
    raw += [(f"certifications[{i}]", "certification", cert) for i, cert in enumerate(p.certifications)]
    for i, proj in enumerate(p.projects):
        raw += (
            (f"projects[{i}].title", "project", proj.title),
            (f"projects[{i}].description", "project", proj.description),
        )
    return [
        _Field(path, kind, text, text.lower())
        for path, kind, value in raw
        if value and kind in kinds
        for text in (value if value.isascii() else clean(value),)
    ]


_PROSE = frozenset({"name", "headline", "about", "title", "description", "skill", "certification", "project"})
_ALL = _PROSE | {"company", "location"}
_ROLE_KINDS = _PROSE | {"company"}

# A clause ends at a sentence stop, a list or headline separator, or a spaced dash; a segment is a headline or
# list item (commas do not end one: "Greenville, SC" is one segment).
_CLAUSE_BREAK = re.compile(r"\.(?=\s|$)|[!?;|•·\n]| - ")
_SEGMENT_BREAK = re.compile(r"[|•·\n;]| - ")
_SENTENCE_BREAK = re.compile(r"[.!?](?=\s)|\n")
_WORD = re.compile(r"[^\W\d_][\w'&]*|\d+")


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


def _first_words(text: str, n: int) -> str:
    words = list(_WORD.finditer(text))
    return text[: words[n - 1].end()] if len(words) >= n else text


# --- anchors: which patterns can match at all ---------------------------------------------------------------

_RE2 = re2.Options()


class _Anchors:
    """Which of many literal anchors (each cased or not) a text holds, in one linear pass (an RE2 set)."""

    def __init__(self, anchors: Sequence[tuple[str, bool]]) -> None:
        self._set: Any = re2.Set.SearchSet(_RE2)
        for text, cased in anchors:
            self._set.Add(("" if cased else "(?i)") + re.escape(text))
        self._set.Compile()

    def present(self, text: str) -> list[int]:
        """Indexes (in the order given) of the anchors found in `text`."""
        return sorted(self._set.Match(text) or ())


# --- data files: loaded and validated on import ---------------------------------------------------------------


def _data_file(name: str) -> tuple[str, dict[str, Any]]:
    where = f"counterpitch/data/{name}"
    try:
        doc = yaml.safe_load((resources.files("counterpitch") / "data" / name).read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{where}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise ValueError(f"{where}: expected a mapping at the top level")
    return where, doc


def _validated(
    model: type[BaseModel], where: str, doc: dict[str, Any], entry_key: str, name_keys: Sequence[str]
) -> Any:
    """Validate `doc`, naming the file and the entry (by its value/category) in any error."""
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = err["loc"]
            label = ".".join(str(x) for x in loc)
            if len(loc) > 1 and loc[0] == entry_key and isinstance(loc[1], int):
                entry = doc.get(entry_key, [])[loc[1]]
                name = next((entry.get(k) for k in name_keys if isinstance(entry, dict) and entry.get(k)), "?")
                label = f"{entry_key}[{loc[1]}] ({name}): " + ".".join(str(x) for x in loc[2:])
            problems.append(f"{label}: {err['msg']}")
        raise ValueError(f"{where}: " + "; ".join(problems)) from exc


def _rx(pattern: str | None, where: str, flags: int = 0) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise ValueError(f"{where}: bad pattern {pattern!r}: {exc}") from exc


def _req(pattern: str, where: str, flags: int = 0) -> re.Pattern[str]:
    compiled = _rx(pattern, where, flags)
    assert compiled is not None
    return compiled


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _FormSpec(_Spec):
    text: str = Field(min_length=1)
    case: Literal["any", "exact"] = "any"
    ambiguous: bool = False
    window: int = Field(default=3, ge=1, le=6)
    weak: bool = True
    bare: bool = True
    context: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    other_senses: str | None = None


class _LevelSpec(_Spec):
    value: str | None = None
    values: list[str] | None = None
    source: str = Field(min_length=1)
    forms: list[_FormSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_value_field(self) -> _LevelSpec:
        if (self.value is None) == (self.values is None):
            raise ValueError("give exactly one of 'value' and 'values'")
        return self

    def all_values(self) -> tuple[str, ...]:
        return (self.value,) if self.value else tuple(self.values or ())


class _SchemeSpec(_Spec):
    source: str = Field(min_length=1)
    levels: list[str] = Field(min_length=1)
    qualifiers: str
    countries: str | None = None


class _ClearanceContextSpec(_Spec):
    source: str
    strong: str
    weak: str
    connectors: str


class _HypotheticalSpec(_Spec):
    source: str
    before: str
    after: str


class _ClearanceFile(_Spec):
    version: Literal[1]
    schemes: dict[str, _SchemeSpec]
    context: _ClearanceContextSpec
    hypothetical: _HypotheticalSpec
    levels: list[_LevelSpec] = Field(min_length=1)


@dataclass(frozen=True)
class _Form:
    """One way of writing one clearance level, compiled from clearances.yaml."""

    text: str
    values: tuple[str, ...]
    ambiguous: bool
    window: int
    weak: bool
    bare: bool
    context: re.Pattern[str] | None
    not_before: re.Pattern[str] | None
    not_after: re.Pattern[str] | None
    other_senses: re.Pattern[str] | None

    @property
    def schemes(self) -> tuple[str, ...]:
        return tuple(v.split(":", 1)[0] for v in self.values)


@dataclass(frozen=True)
class _Group:
    """Forms sharing an anchor, as one alternation in which each form is the named group f<index>."""

    anchor: str
    #: Whether to look for the anchor in the text as written (else in its lower-case copy). A cased group's
    #: regex starts with a literal, which the regex engine finds fast; the left word boundary is then checked
    #: here rather than by a look-behind, which would cost a test at every position.
    cased: bool
    regex: re.Pattern[str]

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        if not self.cased:
            yield from self.regex.finditer(text)
            return
        pos = 0
        while (m := self.regex.search(text, pos)) is not None:
            start = m.start()
            if start and text[start - 1].isalnum():
                pos = start + 1
                continue
            yield m
            pos = max(m.end(), start + 1)


@dataclass(frozen=True)
class _ClearanceLexicon:
    forms: tuple[_Form, ...]
    groups: tuple[_Group, ...]
    #: The groups' anchors, in the groups' order.
    anchors: _Anchors
    qualifiers: dict[str, re.Pattern[str]]
    countries: dict[str, re.Pattern[str]]
    strong: re.Pattern[str]
    weak: re.Pattern[str]
    connectors: re.Pattern[str]
    before: re.Pattern[str]
    after: re.Pattern[str]


_FORM_WORD = re.compile(r"[^\s/\-()]+")
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_FORM_SEP = r"[\s/\-()]{0,4}"
#: Words too common to serve as a form's anchor ("TS with SCI" is anchored on "SCI").
_FORM_FILLER = frozenset({"with", "and", "of", "the", "for", "to", "w"})


def _form_regex(text: str, exact: bool) -> tuple[str, str, bool]:
    """A form as written -> (regex, anchor, whether the anchor is case-sensitive).

    Separators between its words are interchangeable. With `exact`, words keep their case, except
    all-lower-case words ("Q clearance" finds "Q Clearance"). The anchor is its longest piece.
    """
    words, pieces = [], []
    for word in _FORM_WORD.findall(text):
        parts = _LETTER_DIGIT.split(word)
        keep_case = exact and not word.islower()
        pieces += [(p, keep_case) for p in parts]
        rx = r"[\s\-]{0,2}".join(re.escape(p) for p in parts)
        rx = rx if keep_case else f"(?i:{rx})"
        words.append(f"['\"]?{rx}['\"]?" if len(word) == 1 and word.isalpha() else rx)
    telling = [p for p in pieces if p[0].lower() not in _FORM_FILLER] or pieces or [(text, exact)]
    anchor, cased = max(telling, key=lambda p: len(p[0]))
    return _FORM_SEP.join(words), (anchor if cased else anchor.lower()), cased


def _covers(host: tuple[str, bool], key: tuple[str, bool]) -> bool:
    """Whether every text holding `key`'s anchor also holds `host`'s."""
    (h, h_cased), (k, k_cased) = host, key
    if h_cased:
        return k_cased and h in k
    return h in k.lower()


def _load_clearances() -> _ClearanceLexicon:
    where, doc = _data_file("clearances.yaml")
    spec: _ClearanceFile = _validated(_ClearanceFile, where, doc, "levels", ("value", "values"))
    forms: list[_Form] = []
    grouped: dict[tuple[str, bool], list[tuple[int, str]]] = {}
    for i, level in enumerate(spec.levels):
        name = level.value or str(level.values)
        for value in level.all_values():
            scheme, _, lvl = value.partition(":")
            if scheme not in spec.schemes or lvl not in spec.schemes[scheme].levels:
                raise ValueError(f"{where}: levels[{i}] ({name}): {value!r} is not a level of a declared scheme")
        for f in level.forms:
            at = f"{where}: levels[{i}] ({name}) form {f.text!r}"
            body, anchor, cased = _form_regex(f.text, f.case == "exact")
            _req(body, at)
            grouped.setdefault((anchor, cased), []).append((len(forms), body))
            forms.append(
                _Form(
                    text=f.text,
                    values=level.all_values(),
                    ambiguous=f.ambiguous,
                    window=f.window,
                    weak=f.weak,
                    bare=f.bare,
                    context=_rx(f.context and f"(?:{f.context})", at),
                    not_before=_rx(f.not_before, at),
                    not_after=_rx(f.not_after, at),
                    other_senses=_rx(f.other_senses, at),
                )
            )
    # A group whose anchor contains another's is searched only where that one is present anyway ("polygraph"
    # holds "poly"), so it joins that group: fewer anchors to test on every profile.
    for key in sorted(grouped, key=lambda k: -len(k[0])):
        host = next((k for k in grouped if k != key and _covers(k, key)), None)
        if host is not None:
            grouped[host] += grouped.pop(key)
    groups = []
    for (anchor, cased), members in grouped.items():
        # Longer forms first, so that at one position "Top Secret/SCI" wins over "Top Secret".
        members.sort(key=lambda m: -len(forms[m[0]].text))
        alts = "|".join(f"(?P<f{k}>{body})" for k, body in members)
        rx = _req(("" if cased else r"(?<![^\W_])") + rf"(?:{alts})(?![^\W_])", f"{where}: anchor {anchor!r}")
        groups.append(_Group(anchor, cased, rx))
    s = spec.schemes
    return _ClearanceLexicon(
        forms=tuple(forms),
        groups=tuple(groups),
        anchors=_Anchors([(g.anchor, g.cased) for g in groups]),
        qualifiers={k: _req(rf"(?<![^\W_])(?:{v.qualifiers})(?![^\W_])", f"{where}: {k}") for k, v in s.items()},
        countries={
            k: _req(rf"(?<![^\W_])(?:{v.countries})(?![^\W_])", f"{where}: {k}", re.I)
            for k, v in s.items()
            if v.countries
        },
        strong=_req(spec.context.strong, f"{where}: context.strong", re.I),
        weak=_req(spec.context.weak, f"{where}: context.weak", re.I),
        connectors=_req(spec.context.connectors, f"{where}: context.connectors", re.I),
        before=_req(spec.hypothetical.before, f"{where}: hypothetical.before", re.I),
        after=_req(spec.hypothetical.after, f"{where}: hypothetical.after", re.I),
    )


class _RolePatternSpec(_Spec):
    regex: str
    case: Literal["any", "exact"] = "any"
    anchor: str | list[str]
    ambiguous: bool = False
    examples: list[str] = Field(min_length=1)


class _RoleSpec(_Spec):
    category: str = Field(min_length=1)
    source: str = Field(min_length=1)
    patterns: list[_RolePatternSpec] = Field(min_length=1)


class _CuesSpec(_Spec):
    source: str
    before: str
    after: str | None = None


class _PatternSpec(_Spec):
    source: str
    pattern: str


class _ContextListSpec(_Spec):
    source: str
    patterns: list[str] = Field(min_length=1)


class _RolesFile(_Spec):
    version: Literal[1]
    roles_source: str
    staff_cues: _CuesSpec
    negation: _CuesSpec
    commentary_cues: _PatternSpec
    defence_context: _ContextListSpec
    roles: list[_RoleSpec] = Field(min_length=1)


@dataclass(frozen=True)
class _RolePattern:
    category: str
    regex: re.Pattern[str]
    anchors: tuple[str, ...]
    ambiguous: bool


@dataclass(frozen=True)
class _RoleLexicon:
    patterns: tuple[_RolePattern, ...]
    #: anchor -> indexes into `patterns` of the patterns it admits
    by_anchor: dict[str, tuple[int, ...]]
    anchors: _Anchors
    anchor_names: tuple[str, ...]
    staff_before: re.Pattern[str]
    staff_after: re.Pattern[str]
    negation: re.Pattern[str]
    commentary: re.Pattern[str]
    #: An RE2 pattern (linear time over a whole profile); ASCII word boundaries suffice for these words.
    defence: Any


def _re2(pattern: str, where: str) -> Any:
    try:
        return re2.compile(pattern, _RE2)
    except re2.error as exc:
        raise ValueError(f"{where}: defence_context: bad pattern: {exc}") from exc


def _load_roles() -> _RoleLexicon:
    where, doc = _data_file("sensitive_roles.yaml")
    spec: _RolesFile = _validated(_RolesFile, where, doc, "roles", ("category",))
    patterns = []
    for i, role in enumerate(spec.roles):
        for p in role.patterns:
            at = f"{where}: roles[{i}] ({role.category}) pattern {p.regex!r}"
            rx = _req(rf"(?<![^\W_])(?:{p.regex})(?![^\W_])", at, 0 if p.case == "exact" else re.I)
            anchors = (p.anchor,) if isinstance(p.anchor, str) else tuple(p.anchor)
            for ex in p.examples:
                m = rx.search(ex)
                if not m or not any(a in m.group(0).lower() for a in anchors):
                    raise ValueError(f"{at}: example {ex!r} does not match, or its match lacks every anchor")
            patterns.append(_RolePattern(role.category, rx, anchors, p.ambiguous))
    if not spec.staff_cues.after:
        raise ValueError(f"{where}: staff_cues: missing field 'after'")
    by_anchor: dict[str, list[int]] = {}
    for k, pattern in enumerate(patterns):
        for a in pattern.anchors:
            by_anchor.setdefault(a, []).append(k)
    return _RoleLexicon(
        patterns=tuple(patterns),
        by_anchor={a: tuple(ks) for a, ks in by_anchor.items()},
        anchors=_Anchors([(a, False) for a in by_anchor]),
        anchor_names=tuple(by_anchor),
        staff_before=_req(spec.staff_cues.before, f"{where}: staff_cues.before"),
        staff_after=_req(spec.staff_cues.after, f"{where}: staff_cues.after"),
        negation=_req(spec.negation.before, f"{where}: negation.before"),
        commentary=_req(spec.commentary_cues.pattern, f"{where}: commentary_cues"),
        defence=_re2(r"\b(?:" + "|".join(f"(?:{p})" for p in spec.defence_context.patterns) + r")\b", where),
    )


CLEARANCES = _load_clearances()
ROLES = _load_roles()


# --- what a scan returns --------------------------------------------------------------------------------------


#: Places quoted per finding: enough to find and fix each, without copying a whole profile into a report.
_MAX_EVIDENCE = 5
#: Mentions judged per pattern and field. No real field names a clearance or a programme this often; the cap
#: keeps a hostile or garbled input (a field of "SC SC SC ...") from costing more than a real profile.
_MAX_MENTIONS = 50


@dataclass
class _Hits:
    """Every place one value was seen, and how firmly (a bare or corroborated sighting is weaker)."""

    spans: list[Span] = field(default_factory=list)
    strength: float = 0.0
    seen: set[tuple[str, int, int]] = field(default_factory=set)

    def add(self, span: Span, strength: float) -> None:
        key = (span.field, span.start, span.end)
        if key not in self.seen and len(self.spans) < _MAX_EVIDENCE:
            self.seen.add(key)
            self.spans.append(span)
        self.strength = max(self.strength, strength)


Scan = dict[str, _Hits]


def _discounted(text: str, start: int) -> bool:
    """Negated, aspirational or commentary: "never worked for GCHQ", "I write about the Type 26 deal"."""
    lo, _ = _bounds(_CLAUSE_BREAK, text, start, start)
    window = _last_words(text[lo:start], 5)
    cue = _last(ROLES.negation, window, 0, len(window))
    if cue is not None and not _SCOPE_END.search(window, cue.end()):
        return True
    sentence_start, _ = _bounds(_SENTENCE_BREAK, text, start, start)
    return bool(ROLES.commentary.search(text[sentence_start:start]))


# --- clearances -----------------------------------------------------------------------------------------------

_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_][\w'&]*)")
Candidate = tuple[int, int, _Form]


class _Marks:
    """One field with the clearance names found in it (sorted, not overlapping), for questions about a
    mention's neighbours and the clause or segment it stands in."""

    def __init__(self, text: str, cands: list[Candidate]) -> None:
        self.text = text
        self.cands = cands
        self.starts = {c[0] for c in cands}
        self.ends = {c[1] for c in cands}
        self._order = [c[0] for c in cands]
        self._breaks: dict[re.Pattern[str], tuple[list[int], list[int]]] = {}

    def bounds(self, breaks: re.Pattern[str], start: int, end: int) -> tuple[int, int]:
        """Like _bounds, from break positions found once per field (a field may hold many mentions)."""
        spans = self._breaks.get(breaks)
        if spans is None:
            found = [(m.start(), m.end()) for m in breaks.finditer(self.text)]
            spans = self._breaks[breaks] = ([b for b, _ in found], [e for _, e in found])
        starts, ends = spans
        i = bisect_right(ends, start)
        j = bisect_left(starts, end)
        lo = ends[i - 1] if i else 0
        hi = starts[j] if j < len(starts) else len(self.text)
        return max(lo, start - _REACH), min(hi, end + _REACH)

    def list_span(self, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
        """The run of clearance names around text[start:end] joined only by list words ("SC and DV",
        "SC/DV", "SC, DV or eDV"), within [lo, hi]: context for one name is context for the list."""
        i = bisect_left(self._order, start)
        j = i
        while i > 0 and self.cands[i - 1][0] >= lo and _LIST_FILLER.fullmatch(self.text, self.cands[i - 1][1], start):
            i -= 1
            start = self.cands[i][0]
        while (
            j + 1 < len(self.cands)
            and self.cands[j + 1][1] <= hi
            and _LIST_FILLER.fullmatch(self.text, end, self.cands[j + 1][0])
        ):
            j += 1
            end = self.cands[j][1]
        return start, end

    def blank(self, text: str, lo: int, hi: int) -> str:
        """text[lo:hi] with the clearance names in it blanked out."""
        out, pos = [], lo
        for i in range(bisect_left(self._order, lo), len(self.cands)):
            s, e, _ = self.cands[i]
            if s >= hi:
                break
            if e <= hi:
                out.append(text[pos:s])
                pos = e
        out.append(text[pos:hi])
        return " ".join(out)


_SCOPE_END = re.compile(r",|\b(?:but|however|although|though|whereas)\b", re.IGNORECASE)
_LIST_FILLER = re.compile(r"[\s,&/]*(?:(?:and|or|nor)\b[\s,&/]*)*", re.IGNORECASE)
_CONTRAST = re.compile(r"\b(?:but|however|although|though|whereas)\b", re.IGNORECASE)


def _in_scope(text: str, cue_end: int, target: int, marks: _Marks, *, backwards: bool) -> bool:
    """Whether a cue between `cue_end` and `target` still governs the clearance name at the other end.

    A contrast word always ends its reach; a comma does unless it only separates clearance names
    ("eligible for SC, DV or eDV"; but "willing to undergo SC, currently BPSS").
    """
    lo, hi = min(cue_end, target), max(cue_end, target)
    for m in _SCOPE_END.finditer(text, lo, hi):
        if _CONTRAST.fullmatch(m.group(0)):
            return False
        if backwards:
            j = m.start()
            while j > lo and text[j - 1].isspace():
                j -= 1
            listed = j in marks.ends and _LIST_FILLER.fullmatch(marks.blank(text, m.end(), hi)) is not None
        else:
            k = m.end()
            while k < hi and text[k].isspace():
                k += 1
            listed = k in marks.starts
        if not listed:
            return False
    return True


def _candidates(f: _Field, groups: Sequence[_Group]) -> list[Candidate]:
    """Clearance names in one field; where two overlap, the one starting first (then the longer) wins."""
    found: list[Candidate] = []
    text, low = f.text, f.low
    for g in groups:
        if g.anchor in (text if g.cased else low):
            for m in g.matches(text):
                found.append((m.start(), m.end(), CLEARANCES.forms[int((m.lastgroup or "f0")[1:])]))
    found.sort(key=lambda c: (c[0], c[0] - c[1]))
    kept: list[Candidate] = []
    for c in found:
        if not kept or c[0] >= kept[-1][1]:
            kept.append(c)
    return kept


class _ClearanceJudge:
    """Decides, for one profile, whether a clearance name is a disclosure and which SCHEME:LEVEL it is."""

    def __init__(self, profile: Profile, lex: _ClearanceLexicon) -> None:
        self.profile = profile
        self.lex = lex
        self._text: str | None = None
        self._country_known = False
        self._country: str | None = None
        self._senses: dict[_Form, bool] = {}

    @property
    def country(self) -> str | None:
        if not self._country_known:
            self._country, self._country_known = self._country_of(self.profile.location), True
        return self._country

    def _country_of(self, location: str | None) -> str | None:
        """The scheme of the country named last in the location ("Victoria, British Columbia, Canada" is CA)."""
        for part in reversed((location or "").split(",")):
            found = [
                (m.end(), m.end() - m.start(), name)
                for name, rx in self.lex.countries.items()
                for m in rx.finditer(part)
            ]
            if found:
                return max(found)[2]
        return None

    def profile_text(self) -> str:
        if self._text is None:
            self._text = "\n".join(f.text for f in _fields(self.profile, _ALL))
        return self._text

    def __call__(self, f: _Field, start: int, end: int, form: _Form, marks: _Marks) -> float | None:
        """How firmly this is a disclosure (None: it is not one)."""
        text = f.text
        lo, hi = marks.bounds(_CLAUSE_BREAK, start, end)
        before, after = text[lo:start], text[end:hi]
        if (form.not_before and form.not_before.search(before)) or (form.not_after and form.not_after.search(after)):
            return None
        if self._hypothetical(text, start, end, lo, hi, marks):
            return None
        if not form.ambiguous:
            return 1.0
        if self._spelled_out(text, start, end) or self._adjective(end, after, form, marks):
            return None
        first, last = marks.list_span(start, end, lo, hi)
        if self._in_context(text[lo:first], text[last:hi], form):
            return 1.0
        if form.bare and self._bare(f, start, end, form, marks):
            return 0.8
        return None

    def _hypothetical(self, text: str, start: int, end: int, lo: int, hi: int, marks: _Marks) -> bool:
        """Negated, hypothetical or a requirement: "eligible for SC, DV or eDV", "SC or DV required".

        A cue reaches across a list of clearance names but not past a comma ending anything else, nor past
        "but": "Not a recruiter, DV cleared" and "not SC but DV" are disclosures of DV.
        """
        window_start = start - len(_last_words(text[lo:start], 6))
        cue = _last(self.lex.before, text, window_start, start)
        if cue is not None and _in_scope(text, cue.end(), start, marks, backwards=True):
            return True
        window = _first_words(text[end:hi], 4)
        cue = self.lex.after.search(window)
        return cue is not None and _in_scope(text, end, end + cue.start(), marks, backwards=False)

    def _spelled_out(self, text: str, start: int, end: int) -> bool:
        """'steering committee (SC)': brackets after words whose initials spell the token define it as those
        words, unless those words are themselves about clearance ("Security Cleared (SC)")."""
        if start == 0 or text[start - 1] != "(" or text[end : end + 1] != ")":
            return False
        letters = [c.lower() for c in text[start:end] if c.isalpha()]
        words = _WORD.findall(text[max(0, start - 100) : start - 1])[-len(letters) :]
        if not letters or len(words) < len(letters):
            return False
        lex = self.lex
        if any(lex.strong.fullmatch(w) or lex.weak.fullmatch(w) for w in words):
            return False
        return all(w[0].lower() == c for w, c in zip(words, letters, strict=True))

    def _known_word(self, word: str, form: _Form) -> bool:
        lex = self.lex
        return bool(
            lex.strong.fullmatch(word)
            or lex.weak.fullmatch(word)
            or lex.connectors.fullmatch(word)
            or (form.context and form.context.fullmatch(word))
            or any(q.fullmatch(word) for q in lex.qualifiers.values())
        )

    def _adjective(self, end: int, after: str, form: _Form, marks: _Marks) -> bool:
        """'secret sauce', 'PV systems', 'SC Department of Health': a token qualifying another noun."""
        m = _NEXT_WORD.match(after)
        if not m or end + m.start(1) in marks.starts:
            return False
        return not self._known_word(m.group(1), form)

    def _in_context(self, before: str, after: str, form: _Form) -> bool:
        lex = self.lex
        wb, wa = _WORD.findall(before), _WORD.findall(after)
        near = wb[-form.window :] + wa[: form.window]
        if any(lex.strong.fullmatch(w) or (form.context and form.context.fullmatch(w)) for w in near):
            return True
        adjacent = wb[-1:] + wa[:1]
        if form.weak and any(lex.weak.fullmatch(w) for w in adjacent):
            return True
        return any(lex.qualifiers[s].fullmatch(w) for s in form.schemes for w in adjacent)

    def _bare(self, f: _Field, start: int, end: int, form: _Form, marks: _Marks) -> bool:
        """Alone in a headline segment, list item or skill ("| DV |", "SC & NPPV2"), in a fitting country."""
        lo, hi = marks.bounds(_SEGMENT_BREAK, start, end)
        if not all(self._known_word(w, form) for w in _WORD.findall(marks.blank(f.text, lo, hi))):
            return False
        if self.country is not None and self.country not in form.schemes:
            return False
        return not self._other_sense(form)

    def _other_sense(self, form: _Form) -> bool:
        """Whether the profile shows the token's other sense (once per form: the answer cannot change)."""
        if form.other_senses is None:
            return False
        if form not in self._senses:
            self._senses[form] = form.other_senses.search(self.profile_text()) is not None
        return self._senses[form]

    def value(self, form: _Form, f: _Field, start: int, end: int, marks: _Marks) -> str:
        """SCHEME:LEVEL: a qualifier nearest in the clause ("NZ Top Secret"), else the profile's country."""
        if len(form.values) == 1:
            return form.values[0]
        lo, hi = marks.bounds(_CLAUSE_BREAK, start, end)
        best, distance = None, len(f.text) + 1
        for value, scheme in zip(form.values, form.schemes, strict=True):
            for m in self.lex.qualifiers[scheme].finditer(f.text, lo, hi):
                d = start - m.end() if m.end() <= start else m.start() - end
                if 0 <= d < distance:
                    best, distance = value, d
        if best:
            return best
        for value, scheme in zip(form.values, form.schemes, strict=True):
            if scheme == self.country:
                return value
        return form.values[0]


def scan_clearances(p: Profile) -> Scan:
    """Clearances the profile states, by SCHEME:LEVEL."""
    fields = _fields(p, _PROSE)
    text = "\n".join(f.text for f in fields)
    groups = [CLEARANCES.groups[i] for i in CLEARANCES.anchors.present(text)]
    hits: Scan = {}
    if not groups:
        return hits
    judge = _ClearanceJudge(p, CLEARANCES)
    for f in fields:
        cands = _candidates(f, groups)
        if not cands:
            continue
        marks = _Marks(f.text, cands)
        for start, end, form in cands[:_MAX_MENTIONS]:
            strength = judge(f, start, end, form, marks)
            if strength is not None:
                value = judge.value(form, f, start, end, marks)
                hits.setdefault(value, _Hits()).add(Span(f.path, start, end, f.text), strength)
    return hits


# --- sensitive projects ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    name: str
    regex: re.Pattern[str]
    anchor: str
    #: Words only, no number ("Ajax", "Hunter class"): it may be an everyday phrase, a place or a famous other
    #: thing, so it counts only where the profile also shows defence work. A number makes a designation
    #: ("Type 26", "LAND 400").
    common: bool


_TERM_CHUNK = re.compile(r"[^\W_]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(frozen=True)
class _Terms:
    terms: tuple[_Term, ...]
    anchors: _Anchors


@lru_cache(maxsize=16)
def compile_terms(terms: tuple[str, ...]) -> _Terms:
    """User terms -> patterns tolerant of case, spacing and hyphens ("Type-26", "type 26", "Hunter-class")."""
    out: list[_Term] = []
    seen: set[str] = set()
    for raw in terms:
        name = " ".join(raw.split())
        if not name or name.startswith("#") or name.lower() in seen:
            continue
        pieces = [
            piece
            for chunk in _TERM_CHUNK.findall(name)
            for part in _CAMEL.split(chunk)
            for piece in _LETTER_DIGIT.split(part)
            if piece
        ]
        if not pieces:
            continue
        seen.add(name.lower())
        body = r"[\s\-_.]{0,3}".join(re.escape(p) for p in pieces)
        # A variant letter may follow a number ("SKYNET 6A"); a number after a name makes another thing
        # ("Sentinel-2" is a satellite).
        tail = r"[^\W\d_]?(?![^\W_])" if pieces[-1].isdigit() else r"(?:'?s|es)?(?![^\W_])(?!-\d)"
        regex = re.compile(rf"(?<![^\W_])(?:{body}){tail}", re.IGNORECASE)
        common = not any(piece.isdigit() for piece in pieces)
        out.append(_Term(name, regex, max(pieces, key=len).lower(), common))
    return _Terms(tuple(out), _Anchors([(t.anchor, False) for t in out]))


def _defence_work(p: Profile) -> bool:
    """Corroboration for a common-word term: defence context, a clearance or a sensitive role anywhere."""
    text = "\n".join(f.text for f in _fields(p, _ALL))
    return bool(ROLES.defence.search(text)) or bool(scan_clearances(p)) or bool(scan_roles(p))


def scan_projects(p: Profile, terms: Sequence[str], corroborate: bool = True) -> Scan:
    """Sensitive project names from the user's list, by the name as listed.

    `corroborate=False` trusts word-only terms without defence context (for organisations outside defence).
    """
    hits: Scan = {}
    if not terms:
        return hits
    index = compile_terms(tuple(terms))
    fields = _fields(p, _ROLE_KINDS)
    corroborated: bool | None = None
    for k in index.anchors.present("\n".join(f.text for f in fields)):
        term = index.terms[k]
        found = _Hits()
        for f in fields:
            if term.anchor in f.low:
                for m in islice(term.regex.finditer(f.text), _MAX_MENTIONS):
                    if not _discounted(f.text, m.start()):
                        found.add(Span(f.path, m.start(), m.end(), f.text), 0.8 if term.common else 1.0)
        if found.spans and term.common and corroborate:
            if corroborated is None:
                corroborated = _defence_work(p)
            if not corroborated:
                continue
        if found.spans:
            hits[term.name] = found
    return hits


# --- sensitive roles ------------------------------------------------------------------------------------------

_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


def _staff(f: _Field, start: int, end: int) -> bool:
    """An ambiguous agency acronym counts as the whole employer, after 'ex-'/'former', or before a staff word."""
    if f.kind == "company" and _LEADING_THE.sub("", f.text.strip()).lower() == f.low[start:end]:
        return True
    return bool(
        ROLES.staff_before.search(f.text[max(0, start - 20) : start])
        or ROLES.staff_after.search(f.text[end : end + 60])
    )


def scan_roles(p: Profile) -> Scan:
    """Sensitive roles the profile shows, by category."""
    fields = _fields(p, _ROLE_KINDS)
    everything = "\n".join(f.low for f in fields)
    anchors = [ROLES.anchor_names[i] for i in ROLES.anchors.present(everything)]
    hits: Scan = {}
    for f in fields:
        ks = {k for a in anchors if a in f.low for k in ROLES.by_anchor[a]}
        for r in (ROLES.patterns[k] for k in sorted(ks)):
            for m in islice(r.regex.finditer(f.text), _MAX_MENTIONS):
                if (r.ambiguous and not _staff(f, m.start(), m.end())) or _discounted(f.text, m.start()):
                    continue
                hits.setdefault(r.category, _Hits()).add(
                    Span(f.path, m.start(), m.end(), f.text), 0.8 if r.ambiguous else 1.0
                )
    return hits


# --- personal contacts ----------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,4}"
    r"[A-Za-z]{2,24})(?![\w-])"
)
_EMAIL_HIDDEN = re.compile(
    r"(?i)(?<![\w.+-])([a-z0-9][a-z0-9._%+-]{0,63}) ?(?:\[at\]|\(at\)|\{at\}|<at>) ?([a-z0-9-]{1,63}) ?"
    r"(?:\[dot\]|\(dot\)|\{dot\}|<dot>| dot |\.) ?([a-z]{2,24})\b"
)
#: "jane at gmail dot com": spelled out, only believed for a personal mail service ("work at Google dot com").
_EMAIL_SPELLED = re.compile(r"(?i)(?<![\w.+-])([a-z0-9][a-z0-9._%+-]{0,63}) at ([a-z0-9-]{1,63}) dot ([a-z]{2,24})\b")
_EMAIL_HIDDEN_ANCHORS = ("[at]", "(at)", "{at}", "<at>")
#: Mailboxes of an organisation, not a person.
_ROLE_MAILBOX = re.compile(
    r"(?i)info|contact|hello|enquir\w*|inquir\w*|press|media|sales|support|admin|office|team|careers|jobs|hr|"
    r"recruit\w*|no-?reply|webmaster|marketing|mail"
)
#: Free personal mail services: an address there is the person's own channel, off every employer's record.
_WEBMAIL = re.compile(
    r"(?i)(?:^|\.)(?:gmail|googlemail|outlook|hotmail|live|msn|yahoo|ymail|icloud|me|mac|aol|proton|protonmail|pm|"
    r"gmx|mail|yandex|qq|163|126|sina|tutanota|tuta|fastmail|zoho|btinternet|bigpond|optusnet|xtra|virginmedia|"
    r"sky|talktalk|comcast|verizon)\.[a-z.]+$"
)
_PHONE = re.compile(r"(?<![\w+/.-])(?:\+|00|\()?\d[\d \t().\-]{6,20}\d(?![\w/])")
_DIGIT_RUN = re.compile(r"\d[\d \t().\-]{7,}")
_PHONE_BAD = re.compile(r"[ \t.\-]{2,}|(?:19|20)\d\d\s*-\s*(?:19|20)\d\d")
_PHONE_US = re.compile(r"\(?\d{3}\)?[ .\-]\d{3}[ .\-]\d{4}")
_PHONE_CUE = re.compile(
    r"(?i)(?:phone|mobile|mob|tel|cell|call|ring|text|whats\s?app|signal|telegram|viber|contact|reach|sms)\b\W{0,12}"
    r"(?:\w+\W+){0,3}$"
)
_NOT_PHONE = re.compile(
    r"(?i)(?:isbn|issn|doi|grant|ref|reference|abn|acn|ein|vat|reg(?:istration|istered)?|company|charity|licen[cs]e|"
    r"patent|account|invoice|order|serial)\W{0,3}(?:no\b|number|num|#)?\W{0,4}$"
)

_APP = (
    r"(?:(?i:whats\s?app|telegram|we\s?chat|weixin|discord|viber|threema|wickr|skype|kakao\s?talk)"
    r"|\u5fae\u4fe1|Signal|LINE|QQ)"
)
_HANDLE = (
    r"(?:@[A-Za-z0-9_.]{3,32}|\+?\d[\d \-()]{5,18}\d|[A-Za-z0-9_.\-]{0,32}[\d_][A-Za-z0-9_.\-]{0,32}"
    r"|[\w.]{2,32}#\d{4}|[A-Za-z0-9_\-]{1,32}\.[A-Za-z0-9_.\-]{1,32})"
)
_GAP, _SPACE = r"\s{0,3}", r"\s{1,3}"  # bounded, so a run of blanks cannot make a pattern backtrack for long
_MESSENGER = re.compile(
    "|".join(
        (
            rf"{_APP}{_GAP}(?i:id|handle|user\s?name|number|no\.?)?{_GAP}[:=]{_GAP}{_HANDLE}",
            rf"{_APP}{_GAP}(?i:id|handle|user\s?name){_GAP}[:=]?{_GAP}[A-Za-z0-9_.\-]{{3,32}}",
            rf"{_APP}{_SPACE}(?i:me|us)\b",
            rf"(?i:(?:message|contact|reach|find|add|ping|text|call|dm|hit){_SPACE}(?:me|us)(?:{_SPACE}up)?"
            rf"{_SPACE}(?:on|via|at|through|over)){_SPACE}{_APP}",
            rf"{_APP}{_GAP}(?i:(?:at|on|is){_SPACE})?(?:@[A-Za-z0-9_.]{{3,32}}|\+\d[\d \-()]{{6,18}}\d)",
            r"(?i:wa\.me/\+?\d+|t\.me/[A-Za-z0-9_]{3,}|signal\.me/|u\.wechat\.com/|discord(?:app)?\.com/users/\d+)",
        )
    )
)
#: Text every messenger pattern contains (cased where the word is common otherwise: "online", "signal").
_MESSENGER_ANCHORS = (
    ("whats", False), ("telegram", False), ("wechat", False), ("we chat", False), ("weixin", False),
    ("discord", False), ("viber", False), ("threema", False), ("wickr", False), ("skype", False),
    ("kakao", False), ("Signal", True), ("LINE", True), ("QQ", True), ("\u5fae\u4fe1", False),
    ("wa.me", False), ("t.me", False), ("signal.me", False),
)  # fmt: skip
_MESSENGER_INDEX = _Anchors(_MESSENGER_ANCHORS)


def _phone_ok(text: str, m: re.Match[str]) -> bool:
    raw = m.group(0)
    digits = sum(c.isdigit() for c in raw)
    if not 9 <= digits <= 15 or _PHONE_BAD.search(raw):
        return False
    before = text[max(0, m.start() - 40) : m.start()]
    if _NOT_PHONE.search(before):
        return False
    if raw.startswith(("+", "00")) or (raw.startswith(("0", "(")) and digits >= 10) or _PHONE_US.fullmatch(raw):
        return True
    return bool(_PHONE_CUE.search(before))


def scan_contacts(p: Profile) -> Scan:
    """Personal contact channels published on the profile: phone, e-mail, messenger."""
    hits: Scan = {}
    fields = _fields(p, _PROSE)
    everything = "\n".join(f.text for f in fields)
    low = everything.lower()
    emails = [
        rx
        for rx, present in (
            (_EMAIL, "@" in everything),
            (_EMAIL_HIDDEN, any(h in low for h in _EMAIL_HIDDEN_ANCHORS)),
            (_EMAIL_SPELLED, " dot " in low),
        )
        if present
    ]
    messengers = bool(_MESSENGER_INDEX.present(everything))
    phones = _DIGIT_RUN.search(everything) is not None
    if not (emails or messengers or phones):
        return hits
    for f in fields:
        for rx in emails:
            for m in islice(rx.finditer(f.text), _MAX_MENTIONS):
                local, domain = m.group(1), m.group(2)
                webmail = bool(_WEBMAIL.search(domain if rx is _EMAIL else f"{domain}.{m.group(3)}"))
                if _ROLE_MAILBOX.fullmatch(local) or (rx is _EMAIL_SPELLED and not webmail):
                    continue
                strength = 1.0 if webmail or rx is _EMAIL_HIDDEN else 0.7
                hits.setdefault("email", _Hits()).add(Span(f.path, m.start(), m.end(), f.text), strength)
        if messengers and _MESSENGER_INDEX.present(f.text):
            for m in islice(_MESSENGER.finditer(f.text), _MAX_MENTIONS):
                hits.setdefault("messenger", _Hits()).add(Span(f.path, m.start(), m.end(), f.text), 1.0)
        if phones:
            for m in islice(_PHONE.finditer(f.text), _MAX_MENTIONS):
                if _phone_ok(f.text, m):
                    hits.setdefault("phone", _Hits()).add(Span(f.path, m.start(), m.end(), f.text), 0.9)
    return hits


# --- the detectors --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ExposureDetector(Detector):
    """One finding per distinct value the scan saw, with the first places it was seen (in field order)."""

    @abstractmethod
    def scan(self, profile: Profile, ctx: Context) -> Scan: ...

    @abstractmethod
    def describe(self, value: str) -> str: ...

    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        if not isinstance(subject, Profile):
            return
        for value, hits in self.scan(subject, ctx).items():
            yield self.finding(
                evidence_of(hits.spans),
                value=value,
                strength=hits.strength,
                explanation=f"{self.describe(value)} {self.meta.explanation}",
            )


@dataclass(frozen=True)
class ClearanceExposure(_ExposureDetector):
    def scan(self, profile: Profile, ctx: Context) -> Scan:
        return scan_clearances(profile)

    def describe(self, value: str) -> str:
        return f"Your profile states a security clearance ({value})."


#: Context option: set False to report word-only project terms ("Hunter class") without defence context.
CORROBORATE_OPTION = "exposure.corroborate_word_terms"


@dataclass(frozen=True)
class ProjectExposure(_ExposureDetector):
    def scan(self, profile: Profile, ctx: Context) -> Scan:
        return scan_projects(profile, ctx.sensitive_terms, bool(ctx.options.get(CORROBORATE_OPTION, True)))

    def describe(self, value: str) -> str:
        return f"Your profile names {value}, which your organisation lists as sensitive."


@dataclass(frozen=True)
class RoleExposure(_ExposureDetector):
    def scan(self, profile: Profile, ctx: Context) -> Scan:
        return scan_roles(profile)

    def describe(self, value: str) -> str:
        return f"Your profile shows a sensitive role ({value})."


@dataclass(frozen=True)
class ContactExposure(_ExposureDetector):
    def scan(self, profile: Profile, ctx: Context) -> Scan:
        return scan_contacts(profile)

    def describe(self, value: str) -> str:
        channel = {"phone": "a phone number", "email": "a personal e-mail address"}.get(value, "a messenger handle")
        return f"Your profile publishes {channel}."


_ASIO = (
    "ASIO, July 2025: over 35,000 Australian profiles imply access to sensitive information; "
    "about 2,500 state a clearance"
)
_NPSA = (
    "NPSA Think Before You Link: don't advertise a clearance or sensitive role online; keep profile detail to a minimum"
)

DETECTORS: list[Detector] = [
    ClearanceExposure(
        DetectorMeta(
            id="exposure.clearance",
            title="Your profile states a security clearance",
            severity="high",
            explanation="A stated clearance tells a hostile service you have access worth paying for; cleared "
            "people are the ones fake recruiters and consultancies look for.",
            guidance="Remove the clearance from your headline, summary and job entries; share it only with a "
            "verified employer through official channels.",
            sources=(
                _ASIO,
                _NPSA,
                "Dickson Yeo (US, convicted 2020): fake job ads drew 400+ CVs, 90% from clearance holders",
                "clearances.md: security clearance names by scheme",
            ),
            attack=("T1593.001", "T1589", "T1591.004"),
            target="profile",
        )
    ),
    ProjectExposure(
        DetectorMeta(
            id="exposure.sensitive_project",
            title="Your profile names a sensitive project",
            severity="high",
            explanation="Naming the programme you work on tells a hostile service exactly whom to cultivate for it.",
            guidance='Describe your work in general terms ("naval systems integration") without programme names.',
            sources=(
                "ASIO, July 2025: a foreign service cultivated people on an Australian military project; over 100 "
                "of them named the project on their profiles",
                _NPSA,
            ),
            attack=("T1593.001", "T1591"),
            target="profile",
        )
    ),
    RoleExposure(
        DetectorMeta(
            id="exposure.sensitive_role",
            title="Your profile shows a sensitive role",
            severity="medium",
            explanation="Hostile services choose targets for their access and their networks; a role like this "
            "marks you as one, even after you have left it.",
            guidance='Describe the role generically ("civil servant", "engineer") and leave out the agency, '
            "office or programme.",
            sources=(
                "MI5 espionage alert, 18 Nov 2025: targets chosen for their access and their networks to politicians",
                "tradecraft.md, Targeting: the profile shows a clearance, government, Parliament, defence or "
                "think-tank role",
                _NPSA,
            ),
            attack=("T1593.001", "T1591.004"),
            target="profile",
        )
    ),
    ContactExposure(
        DetectorMeta(
            id="exposure.personal_contact",
            title="Your profile publishes a personal contact channel",
            severity="low",
            explanation="Recruiters working for hostile services move people off the platform early, to WhatsApp, "
            "WeChat, Telegram, personal e-mail or phone, where no one else sees the conversation.",
            guidance="Remove personal numbers, addresses and messenger handles; let contacts reach you through "
            "the platform or your work address.",
            sources=(
                "tradecraft.md, Message: an early move to WeChat, WhatsApp, Telegram, personal e-mail or phone",
                "Operation Dream Job (Lazarus, ATT&CK C0022): fake recruiters move targets to WhatsApp",
                "Kevin Mallory (US, convicted 2018): a covert phone",
            ),
            attack=("T1593.001", "T1589.002"),
            target="profile",
        )
    ),
]
