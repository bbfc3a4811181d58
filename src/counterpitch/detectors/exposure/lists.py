"""The two word lists, data/clearances.yaml and data/sensitive_roles.yaml: loaded, validated and compiled once,
on import. A broken entry fails at start-up with the file and the entry named, never mid-analysis.

Code elsewhere holds the rules; this module turns each list entry into the compiled patterns and anchors those
rules consult (CLEARANCES, ROLES).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal, NamedTuple

import re2
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from counterpitch.detectors.exposure.text import _LETTER_DIGIT, _RE2, _Anchors, _Prefilter

# --- reading and validating a data file -----------------------------------------------------------------------


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


# --- data/clearances.yaml -------------------------------------------------------------------------------------


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


class _RaiseSpec(_Spec):
    """Mentions of other levels' `forms` followed directly by `after` are mentions of this level."""

    forms: list[str] = Field(min_length=1)
    after: str = Field(min_length=1)


class _LevelSpec(_Spec):
    value: str | None = None
    values: list[str] | None = None
    source: str = Field(min_length=1)
    forms: list[_FormSpec] = Field(min_length=1)
    raises: _RaiseSpec | None = None

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
    vetting_bearing: str
    products: str
    events: str
    events_before: str


class _SpellingSpec(_Spec):
    source: str
    words: list[str] = Field(min_length=1)
    confusable: list[str] = Field(default_factory=list)
    beside: str = "(?!)"


class _HypotheticalSpec(_Spec):
    source: str
    before: str
    after: str
    recruiting: str
    vetting_roles: str


class _ClearanceFile(_Spec):
    version: Literal[1]
    schemes: dict[str, _SchemeSpec]
    context: _ClearanceContextSpec
    spelling: _SpellingSpec
    hypothetical: _HypotheticalSpec
    levels: list[_LevelSpec] = Field(min_length=1)


@dataclass(frozen=True, eq=False)
class _Form:
    """One way of writing one clearance level, compiled from clearances.yaml.

    Equal and hashed by identity (each form is made once, on loading): judges key what they learn about a
    profile by form, and a field-by-field hash, through its compiled patterns, cost 2 us.
    """

    text: str
    values: tuple[str, ...]
    ambiguous: bool
    window: int
    weak: bool
    bare: bool
    context: re.Pattern[str] | None
    not_before: re.Pattern[str] | None
    not_after: re.Pattern[str] | None
    #: An RE2 regex (linear time, searched over the whole profile): see clearances.yaml.
    other_senses: _Prefilter | None
    #: The schemes of `values`, in order.
    schemes: tuple[str, ...]
    #: Whole words that make context within `window` words: a strong context word or one of the form's own.
    near: re.Pattern[str]
    #: Whole words a bare mention may stand with (context and connecting words, any scheme's qualifier).
    known: re.Pattern[str]
    #: A qualifier of one of its schemes ("DoD", "NZ"), as a whole word.
    qualified: re.Pattern[str]


@dataclass(frozen=True)
class _Raise:
    """A mention followed by `after` ("TS" + " clearance with SCI") is one mention of `form`'s level."""

    after: re.Pattern[str]
    form: _Form


@dataclass(frozen=True)
class _Group:
    """Forms sharing an anchor, as one alternation in which the i-th alternative is `members[i]`.

    Each alternative ends in an empty group, so a match's `lastindex` names its form. Named groups around the
    alternatives would say the same, but they would keep the regex engine from skipping ahead to a possible
    first character: with the markers at the end, every alternative of `fast` starts with a literal, and the
    engine tests only positions holding one of those characters (two to five times faster on profiles).
    """

    anchor: str
    #: Whether to look for the anchor in the text as written (else in its lower-case copy).
    cased: bool
    members: tuple[_Form, ...]
    #: With the left word boundary as a look-behind: for any text.
    regex: re.Pattern[str]
    #: Without the look-behind (the boundary is checked by `left_bounded`), run on the text as written if the
    #: group is cased, else on its lower-case copy, with the case-insensitive words written in lower case. The
    #: two agree when the text is ASCII: then lower-casing maps one character to one, and letters match
    #: regardless of case exactly when their lower-case forms are equal. None when a form keeps the case of
    #: some word (it cannot be found in a lower-cased text) or is not ASCII.
    fast: re.Pattern[str] | None

    def find(self, text: str, low: str) -> list[tuple[int, int, _Form]]:
        """(start, end, form) of each match in `text` (`low` is its lower-case copy)."""
        fast = self.fast
        matches: Iterable[re.Match[str]]
        if fast is not None and (self.cased or text.isascii()):
            matches = left_bounded(fast, text if self.cased else low)
        else:
            matches = self.regex.finditer(text)
        members = self.members
        return [(m.start(), m.end(), members[(m.lastindex or 1) - 1]) for m in matches]


def left_bounded(regex: re.Pattern[str], text: str, limit: int | None = None) -> list[re.Match[str]]:
    """What `(?<![^\\W_])` + `regex` would find (the first `limit`): matches not preceded by a letter or digit
    (`[^\\W_]` is exactly `str.isalnum`, checked for every code point). Checked here rather than by a
    look-behind, which costs a test at every position and keeps the regex engine from skipping ahead to a
    possible first character (role patterns ran a third faster this way)."""
    found: list[re.Match[str]] = []
    pos = 0
    search = regex.search
    while (m := search(text, pos)) is not None and len(found) != limit:
        start = m.start()
        if start and text[start - 1].isalnum():
            pos = start + 1
            continue
        found.append(m)
        pos = max(m.end(), start + 1)
    return found


@dataclass(frozen=True)
class _ClearanceLexicon:
    forms: tuple[_Form, ...]
    groups: tuple[_Group, ...]
    #: The groups' anchors, in the groups' order.
    anchors: _Anchors
    qualifiers: dict[str, re.Pattern[str]]
    #: Which schemes' qualifiers may occur in a text (their regexes run only then).
    qualified: _Prefilter
    countries: dict[str, re.Pattern[str]]
    #: Which schemes' countries may be named in a text (their regexes run only then).
    countried: _Prefilter
    strong: re.Pattern[str]
    weak: re.Pattern[str]
    before: re.Pattern[str]
    after: re.Pattern[str]
    recruiting: re.Pattern[str]
    #: A headline naming a vetting role (see clearances.yaml): its bare levels are the cases the person handles.
    vetting_roles: re.Pattern[str]
    #: A defence or government employer or a cleared trade (with ROLES.defence): see clearances.yaml.
    vetting_bearing: re.Pattern[str]
    #: The clearance words whose misspellings are read as them (clearances.yaml, `spelling`).
    spelling: tuple[str, ...]
    #: Real words one edit from a confusable clearance word, read as it beside `beside` ("Top Secrete"): the
    #: word each is read as.
    confusables: dict[str, str]
    #: The words beside which a confusable real word is read as its clearance word (whole words, any case).
    beside: re.Pattern[str]
    #: Words right after a level that make it a lab or product code ("NV1 reagent kit", "TS buffer").
    products: re.Pattern[str]
    #: What follows a level the person calls theirs when a history tells it as an event ("my Secret came
    #: through", "got my SC back").
    events: re.Pattern[str]
    #: What ends the words before "my" + a level when a history tells it as an event ("got my Top Secret").
    events_before: re.Pattern[str]
    #: form text -> what raises a mention of it to another level
    raises: dict[str, tuple[_Raise, ...]]
    #: The scheme of each location read so far (filled by the clearance judge; the lists cannot change).
    places: dict[str | None, str | None] = field(default_factory=dict)


_FORM_WORD = re.compile(r"[^\s/\-()]+")
_FORM_SEP = r"[\s/\-()]{0,4}"
#: Words too common to serve as a form's anchor ("TS with SCI" is anchored on "SCI").
_FORM_FILLER = frozenset({"with", "and", "of", "the", "for", "to", "w"})


class _FormRegex(NamedTuple):
    body: str
    #: The body for lower-cased ASCII text (see _Group.fast), or None.
    low_body: str | None
    anchor: str
    cased: bool


def _dotted(word: str) -> str:
    """An abbreviation's letters, each optionally followed by a dot: "dv" also finds "d.v." and "d.v"."""
    return "".join(re.escape(c) + r"\.?" for c in word)


def _form_regex(text: str, exact: bool) -> _FormRegex:
    """A form as written -> its regex, and the anchor (its longest piece) with whether that is case-sensitive.

    Separators between its words are interchangeable. With `exact`, words keep their case, except
    all-lower-case words ("Q clearance" finds "Q Clearance").
    """
    words, low_words, pieces = [], [], []
    lowable = text.isascii()
    for word in _FORM_WORD.findall(text):
        parts = _LETTER_DIGIT.split(word)
        keep_case = exact and not word.islower()
        lowable = lowable and not keep_case
        pieces += [(p, keep_case) for p in parts]
        if not keep_case and word.isalpha() and 2 <= len(word) <= 3 and text != word:
            # An abbreviation in a form with its settling word may be dotted ("d.v. cleared", "s.c clearance").
            rx = _dotted(word)
            low = _dotted(word.lower())
        else:
            rx = r"[\s\-]{0,2}".join(re.escape(p) for p in parts)
            low = r"[\s\-]{0,2}".join(re.escape(p.lower()) for p in parts)
        rx = rx if keep_case else f"(?i:{rx})"
        if len(word) == 1 and word.isalpha():
            rx, low = f"['\"]?{rx}['\"]?", f"['\"]?{low}['\"]?"
        words.append(rx)
        low_words.append(low)
    telling = [p for p in pieces if p[0].lower() not in _FORM_FILLER] or pieces or [(text, exact)]
    anchor, cased = max(telling, key=lambda p: len(p[0]))
    return _FormRegex(
        _FORM_SEP.join(words),
        _FORM_SEP.join(low_words) if lowable else None,
        anchor if cased else anchor.lower(),
        cased,
    )


#: An abbreviation a dotted copy is made of ("NV1" -> "n.v.1"): two to five letters and an optional digit.
_ABBREVIATION = re.compile(r"([A-Za-z]{2,5})(\d?)")


def _dotted_form(text: str) -> _FormRegex | None:
    """The dotted copy of an abbreviation ("n.v.1", "N.V. 2", "e.d.v.", "n.p.p.v.3"), in any case: the dots
    mark it as an abbreviation as capitals would. A dot must follow each letter but the last, so the anchor is
    the first two letters with their dot ("n.v"), rare in other text; the undotted form's anchor ("nv") is not
    in a dotted text, so without this copy a dotted level never reached the judge."""
    m = _ABBREVIATION.fullmatch(text)
    if m is None:
        return None
    letters, digit = m.group(1).lower(), m.group(2)
    low = r"\.".join(re.escape(c) for c in letters) + r"\.?" + (rf"[\s\-]{{0,2}}{digit}" if digit else "")
    return _FormRegex(f"(?i:{low})", low, f"{letters[0]}.{letters[1]}", False)


def _lower_form(text: str) -> _FormRegex | None:
    """The lower-case copy of an ambiguous acronym written in capitals ("current ts clearance", "Clearance:
    dv"): it counts only with a strong context word (the loader makes it neither weak nor bare, and a
    lower-case level with no context is never settled). It matches lower case only, so the capitalised form
    keeps its own rules; the left boundary is in the regex, so the many words holding "ts" or "sc" are passed
    over by the regex engine, not one by one."""
    if not (text.isalpha() and text.isupper() and 2 <= len(text) <= 4):
        return None
    low = text.lower()
    body = rf"(?<![^\W_]){re.escape(low)}"
    return _FormRegex(body, None, low, True)


def _confusables(words: Sequence[str]) -> dict[str, str]:
    """Real words one edit from each of `words` (deletion, transposition, substitution or insertion), but for
    the word's plural: "secrete" -> "secret", "cleaned" -> "cleared". Found in the dictionary, so the list is
    what the spelling allows, not a list of typos."""
    from counterpitch.detectors.spelling import dictionary

    known = dictionary()
    letters = "abcdefghijklmnopqrstuvwxyz"
    out: dict[str, str] = {}
    for word in words:
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        edits = {a + b[1:] for a, b in splits if b}
        edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        edits |= {a + c + b[1:] for a, b in splits if b for c in letters}
        edits |= {a + c + b for a, b in splits for c in letters}
        for e in sorted(edits - {word, word + "s"}):
            if e.encode() in known:
                out.setdefault(e, word)
    return out


def _form(spec: _ClearanceFile, where: str, values: tuple[str, ...], context: str | None, **fields: Any) -> _Form:
    """A form with its word tests: each joins the context lists and qualifiers it consults into one regex, so a
    word is tested once rather than against each list in turn (a whole-word match of an alternation is a
    whole-word match of one of its parts)."""
    schemes = tuple(v.split(":", 1)[0] for v in values)
    c, q = spec.context, spec.schemes
    own = [f"(?:{context})"] if context else []
    return _Form(
        values=values,
        context=_rx(context and f"(?:{context})", where),
        schemes=schemes,
        near=_req("|".join([f"(?i:{c.strong})", *own]), where),
        known=_req(
            "|".join([f"(?i:{c.strong})", f"(?i:{c.weak})", f"(?i:{c.connectors})", *own])
            + "".join(f"|(?:{v.qualifiers})" for v in q.values()),
            where,
        ),
        qualified=_req("|".join(f"(?:{q[s].qualifiers})" for s in dict.fromkeys(schemes)), where),
        **fields,
    )


def _raises(spec: _ClearanceFile, forms: Sequence[_Form], where: str) -> dict[str, tuple[_Raise, ...]]:
    """Each level's `raises`, by the text of the form it raises; a form it names must exist."""
    known = {f.text for f in forms}
    out: dict[str, list[_Raise]] = {}
    for i, level in enumerate(spec.levels):
        if level.raises is None:
            continue
        at = f"{where}: levels[{i}] ({level.value or level.values}) raises"
        missing = [t for t in level.raises.forms if t not in known]
        if missing:
            raise ValueError(f"{at}: no form is written {missing[0]!r}")
        after = _req(level.raises.after, at)
        for text in level.raises.forms:
            raised = _form(
                spec,
                at,
                level.all_values(),
                None,
                text=f"{text} + {level.raises.after}",
                ambiguous=False,  # what follows the name settles its sense
                window=3,
                weak=True,
                bare=True,
                not_before=None,
                not_after=None,
                other_senses=None,
            )
            out.setdefault(text, []).append(_Raise(after, raised))
    return {k: tuple(v) for k, v in out.items()}


def _prefilter(bodies: dict[str, str], where: str) -> _Prefilter:
    """An RE2 set of `bodies`; a body RE2 cannot compile is named with its key."""
    for name, body in bodies.items():
        try:
            re2.compile(body, _RE2)
        except re2.error as exc:
            raise ValueError(
                f"{where} ({name}): RE2 cannot compile {body!r} (no look-arounds or back-references): {exc}"
            ) from exc
    return _Prefilter(list(bodies), list(bodies.values()))


def _covers(host: tuple[str, bool], key: tuple[str, bool]) -> bool:
    """Whether every text holding `key`'s anchor also holds `host`'s."""
    (h, h_cased), (k, k_cased) = host, key
    if h_cased:
        return k_cased and h in k
    return h in k.lower()


def _load_clearances() -> _ClearanceLexicon:
    where, doc = _data_file("clearances.yaml")
    spec: _ClearanceFile = _validated(_ClearanceFile, where, doc, "levels", ("value", "values"))
    # The context lists are checked here, before each form joins them into its word tests (a broken list is
    # named as itself, not as the first form that uses it).
    strong = _req(spec.context.strong, f"{where}: context.strong", re.I)
    weak = _req(spec.context.weak, f"{where}: context.weak", re.I)
    _req(spec.context.connectors, f"{where}: context.connectors", re.I)
    forms: list[_Form] = []
    grouped: dict[tuple[str, bool], list[tuple[int, _FormRegex]]] = {}
    for i, level in enumerate(spec.levels):
        name = level.value or str(level.values)
        for value in level.all_values():
            scheme, _, lvl = value.partition(":")
            if scheme not in spec.schemes or lvl not in spec.schemes[scheme].levels:
                raise ValueError(f"{where}: levels[{i}] ({name}): {value!r} is not a level of a declared scheme")
        #: The abbreviations of this level written dotted already (by a form of its own, or by a copy made here).
        spelt = {f.text.lower().replace(".", "") for f in level.forms if "." in f.text}
        for f in level.forms:
            at = f"{where}: levels[{i}] ({name}) form {f.text!r}"
            rx = _form_regex(f.text, f.case == "exact")
            variants = [(f.text, _form_regex(f.text, f.case == "exact"))]
            # Not "CI": it is a level only beside "Poly"/"FS", which its multi-word forms already find in any case,
            # and "ci" stands in too many words to be worth a search.
            lowered = _lower_form(f.text) if f.case == "exact" and f.ambiguous and f.text != "CI" else None
            strong_only = set()
            if lowered is not None:
                variants.append((f.text.lower(), lowered))
                strong_only.add(f.text.lower())
            dotted = _dotted_form(f.text)
            if dotted is not None and f.text.lower() not in spelt:
                # A level's own dotted form ("S.C.", with its own senses) stands instead of the copy.
                letters = f.text.rstrip("0123456789")
                variants.append((".".join(letters) + "." + f.text[len(letters) :], dotted))
                spelt.add(f.text.lower())
            for text, rx in variants:
                _req(rx.body, at)
                grouped.setdefault((rx.anchor, rx.cased), []).append((len(forms), rx))
                forms.append(
                    _form(
                        spec,
                        at,
                        level.all_values(),
                        f.context,
                        text=text,
                        ambiguous=f.ambiguous,
                        window=f.window,
                        weak=f.weak and text not in strong_only,
                        bare=f.bare and text not in strong_only,
                        not_before=_rx(f.not_before, at),
                        not_after=_rx(f.not_after, at),
                        other_senses=f.other_senses and _prefilter({"other senses": f.other_senses}, at),
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
        at = f"{where}: anchor {anchor!r}"
        alts = "|".join(f"{rx.body}()" for _, rx in members)
        fast = None
        if cased:
            fast = _req(rf"(?:{alts})(?![^\W_])", at)
        elif all(rx.low_body is not None for _, rx in members):
            fast = _req(rf"(?:{'|'.join(f'{rx.low_body}()' for _, rx in members)})(?![^\W_])", at)
        regex = _req(rf"(?<![^\W_])(?:{alts})(?![^\W_])", at)
        groups.append(_Group(anchor, cased, tuple(forms[k] for k, _ in members), regex, fast))
    s = spec.schemes
    return _ClearanceLexicon(
        raises=_raises(spec, forms, where),
        forms=tuple(forms),
        groups=tuple(groups),
        anchors=_Anchors([(g.anchor, g.cased) for g in groups]),
        qualifiers={k: _req(rf"(?<![^\W_])(?:{v.qualifiers})(?![^\W_])", f"{where}: {k}") for k, v in s.items()},
        qualified=_prefilter({k: v.qualifiers for k, v in s.items()}, f"{where}: qualifiers"),
        countries={
            k: _req(rf"(?<![^\W_])(?:{v.countries})(?![^\W_])", f"{where}: {k}", re.I)
            for k, v in s.items()
            if v.countries
        },
        countried=_prefilter({k: f"(?i:{v.countries})" for k, v in s.items() if v.countries}, f"{where}: countries"),
        strong=strong,
        weak=weak,
        before=_req(spec.hypothetical.before, f"{where}: hypothetical.before", re.I),
        after=_req(spec.hypothetical.after, f"{where}: hypothetical.after", re.I),
        recruiting=_req(spec.hypothetical.recruiting, f"{where}: hypothetical.recruiting", re.I),
        vetting_roles=_req(spec.hypothetical.vetting_roles, f"{where}: hypothetical.vetting_roles", re.I),
        vetting_bearing=_req(spec.context.vetting_bearing, f"{where}: context.vetting_bearing"),
        spelling=tuple(w.lower() for w in spec.spelling.words),
        confusables=_confusables([w.lower() for w in spec.spelling.confusable]),
        beside=_req(rf"(?i:{spec.spelling.beside})", f"{where}: spelling.beside"),
        products=_req(spec.context.products, f"{where}: context.products", re.I),
        events=_req(spec.context.events, f"{where}: context.events", re.I),
        events_before=_req(spec.context.events_before, f"{where}: context.events_before", re.I),
    )


# --- data/sensitive_roles.yaml --------------------------------------------------------------------------------


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
    commentary_roles: _PatternSpec
    involvement_cues: _PatternSpec
    defence_context: _ContextListSpec
    roles: list[_RoleSpec] = Field(min_length=1)


@dataclass(frozen=True)
class _RolePattern:
    category: str
    regex: re.Pattern[str]
    anchors: tuple[str, ...]
    ambiguous: bool
    #: `regex` without its left word boundary, for `left_bounded` (same matches, found faster).
    body: re.Pattern[str]


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
    #: A headline or job title of someone who writes about programmes (journalist, researcher).
    commentary_roles: re.Pattern[str]
    #: Words saying the person works on what their sentence names.
    involvement: re.Pattern[str]
    #: An RE2 pattern (linear time over a whole profile); ASCII word boundaries suffice for these words.
    defence: Any


def _re2(pattern: str, where: str) -> Any:
    try:
        return re2.compile(pattern, _RE2)
    except re2.error as exc:
        raise ValueError(f"{where}: bad pattern {pattern!r}: {exc}") from exc


def _load_roles() -> _RoleLexicon:
    where, doc = _data_file("sensitive_roles.yaml")
    spec: _RolesFile = _validated(_RolesFile, where, doc, "roles", ("category",))
    patterns = []
    for i, role in enumerate(spec.roles):
        for p in role.patterns:
            at = f"{where}: roles[{i}] ({role.category}) pattern {p.regex!r}"
            flags = 0 if p.case == "exact" else re.I
            rx = _req(rf"(?<![^\W_])(?:{p.regex})(?![^\W_])", at, flags)
            anchors = (p.anchor,) if isinstance(p.anchor, str) else tuple(p.anchor)
            for ex in p.examples:
                m = rx.search(ex)
                if not m or not any(a in m.group(0).lower() for a in anchors):
                    raise ValueError(f"{at}: example {ex!r} does not match, or its match lacks every anchor")
            body = _req(rf"(?:{p.regex})(?![^\W_])", at, flags)
            patterns.append(_RolePattern(role.category, rx, anchors, p.ambiguous, body))
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
        commentary_roles=_req(spec.commentary_roles.pattern, f"{where}: commentary_roles"),
        involvement=_req(spec.involvement_cues.pattern, f"{where}: involvement_cues"),
        defence=_re2(
            r"\b(?:" + "|".join(f"(?:{p})" for p in spec.defence_context.patterns) + r")\b", f"{where}: defence_context"
        ),
    )


# --- compiled once, on import ---------------------------------------------------------------------------------

CLEARANCES = _load_clearances()
ROLES = _load_roles()
