"""exposure.clearance: a security clearance the profile states, as SCHEME:LEVEL.

Most of the work is telling a disclosure from its look-alikes: negated and hypothetical mentions ("eligible for
SC", "SC required"), acronyms with everyday senses (SC = South Carolina, PV = photovoltaic), words used as
adjectives ("secret sauce"), and levels that exist in several schemes (the qualifier or the location decides).
A clearance held in the past ("previously held BPSS", "DV (lapsed 2021)") is stated all the same, as
clearances.md counts it: it still tells a stranger what the person had access to.

People write clearances loosely (issue 13, decision 0044): a misspelt clearance word is read as the word
("Top Secrit", "polygragh"); a level with no context word of its own still counts where nothing else can explain
it, standing alone at the end of a clause or list in a profile with a defence or government employer ("Software
engineer at Leidos UK. DV"), or beside a clearance the profile states firmly ("Held DV on tours 2006-2014; SC
today").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from operator import itemgetter

from rapidfuzz.distance import DamerauLevenshtein

from counterpitch.detectors.base import DetectorMeta, Span
from counterpitch.detectors.context import Context
from counterpitch.detectors.exposure.common import _ASIO, _MAX_MENTIONS, _NPSA, Scan, _ExposureDetector, _Hits
from counterpitch.detectors.exposure.lists import CLEARANCES, ROLES, _ClearanceLexicon, _Form, _Group
from counterpitch.detectors.exposure.text import (
    _ALL,
    _CLAUSE_BREAK,
    _PROSE,
    _REACH,
    _ROLE_KINDS,
    _SCOPE_END,
    _SEGMENT_BREAK,
    _WORD,
    _break_spans,
    _Field,
    _last,
    _View,
    _view,
)
from counterpitch.detectors.spelling import Speller
from counterpitch.model import Profile

_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_][\w'&]*)")
#: Words after a mention that any rule reads: the after-cue looks at four, context at most six (`window`).
_AFTER_WORDS = 6
Candidate = tuple[int, int, _Form]
#: What the judge says of a level with no context of its own: not yet a disclosure, but one if the profile around
#: it settles it (see `_scan_clearances`).
UNSURE = 0.0
#: The strength of a level the profile around it settled.
SETTLED = 0.8


class _ClearanceSpeller(Speller):
    """The phrase rules' typo reading (decision 0040) over the closed list of clearance words only. Unlike the
    phrase rules' reading, a known word plus an ending is still a slip when it is one edit from a clearance word:
    "cleard" is "cleared", not "clear" + "d"; real words ("clears", "secrets") are never changed."""

    def _extended(self, token: str) -> bool:
        return False

    def correct(self, token: str) -> str | None:
        """One edit only, but for the longest words: two edits would read a word the rules know in its own right
        as another ("clearable", a hypothetical cue, is two edits from "clearance")."""
        fix = super().correct(token)
        if fix is None or len(token) >= _TWO_EDITS_FROM:
            return fix
        return fix if DamerauLevenshtein.distance(token, fix, score_cutoff=1) <= 1 else None


#: From this length a clearance word may be misspelt twice ("counterintellgence").
_TWO_EDITS_FROM = 12
_SPELLER = _ClearanceSpeller(CLEARANCES.spelling, (), CLEARANCES.spelling)


class _Marks:
    """One field with the clearance names found in it (sorted, not overlapping), for questions about a
    mention's neighbours and the clause or segment it stands in.

    A name's `tail` is where it ends together with a date or period written right after it ("SC since 2015",
    "DV (2019-present)"): the date belongs to the name, so dated names still make one list ("held SC since
    2015 and DV from 2019").
    """

    def __init__(self, text: str, cands: list[Candidate]) -> None:
        self.text = text
        self.cands = cands
        self.tails = [_tail(text, e) for _, e, _ in cands]
        self._order = [c[0] for c in cands]
        self.starts = set(self._order)
        self._breaks: dict[int, list[tuple[int, int]]] = {}  # by the pattern's id: hashing a pattern hashes its code

    @cached_property
    def ends(self) -> set[int]:
        """Where the names end, with and without their dates (asked only where a cue may reach across them)."""
        return {c[1] for c in self.cands} | set(self.tails)

    def bounds(self, breaks: re.Pattern[str], start: int, end: int) -> tuple[int, int]:
        """Like _bounds, from break positions found once per field (a field may hold many mentions)."""
        spans = self._breaks.get(id(breaks))
        if spans is None:
            spans = self._breaks[id(breaks)] = _break_spans(breaks, self.text)
        # Breaks do not overlap, so their spans are in order of both start and end.
        i = bisect_right(spans, start, key=_END)
        j = bisect_left(spans, end, key=_START)
        lo = spans[i - 1][1] if i else 0
        hi = spans[j][0] if j < len(spans) else len(self.text)
        return max(lo, start - _REACH), min(hi, end + _REACH)

    def list_span(self, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
        """The run of clearance names around text[start:end] joined only by list words ("SC and DV",
        "SC/DV", "SC, DV or eDV", "SC since 2015 and DV from 2019"), within [lo, hi]: context for one name is
        context for the list. Returns where the first name starts and the last one's tail ends."""
        i = bisect_left(self._order, start)
        j = i
        while i > 0 and self.cands[i - 1][0] >= lo and _LIST_FILLER.fullmatch(self.text, self.tails[i - 1], start):
            i -= 1
            start = self.cands[i][0]
        while (
            j + 1 < len(self.cands)
            and self.tails[j + 1] <= hi
            and _LIST_FILLER.fullmatch(self.text, self.tails[j], self.cands[j + 1][0])
        ):
            j += 1
        return start, max(end, self.tails[j])

    def dated_list(self, start: int, end: int, lo: int, hi: int) -> bool:
        """Whether the name stands in a list of two or more names, each with its date: a history told as a list
        ("Reliability Status 2010, Secret 2014, Top Secret 2021")."""
        first, last = self.list_span(start, end, lo, hi)
        i = j = self.index(first)
        while j + 1 < len(self.cands) and self.cands[j + 1][0] < last:
            j += 1
        return j > i and all(self.tails[k] > self.cands[k][1] for k in range(i, j + 1))

    def index(self, start: int) -> int:
        """The index of the name starting at `start`."""
        return bisect_left(self._order, start)

    def names_between(self, lo: int, hi: int) -> bool:
        """Whether a clearance name starts in text[lo:hi]."""
        i = bisect_left(self._order, lo)
        return i < len(self._order) and self._order[i] < hi

    def blank(self, text: str, lo: int, hi: int) -> str:
        """text[lo:hi] with the clearance names in it (and their dates) blanked out."""
        out, pos = [], lo
        for i in range(bisect_left(self._order, lo), len(self.cands)):
            s, e = self.cands[i][0], self.tails[i]
            if s >= hi:
                break
            if e <= hi:
                out.append(text[pos:s])
                pos = e
        out.append(text[pos:hi])
        return " ".join(out)


_START, _END = itemgetter(0), itemgetter(1)
_LIST_FILLER = re.compile(r"[\s,&/]*(?:(?:and|or|nor)\b[\s,&/]*)*", re.IGNORECASE)
_CONTRAST = re.compile(r"\b(?:but|however|although|though|whereas)\b", re.IGNORECASE)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_YEAR = r"(?:19|20)\d\d(?![^\W_])"
_WHEN = rf"(?:(?:{_MONTH}\s+|\d\d?/)?{_YEAR})"
_PERIOD = (
    rf"(?:(?:since|from|until|till|to|in|by|circa|c\.|between)\s+)?{_WHEN}"
    rf"(?:\s*(?:-|–|—|to|until|till|and)\s*(?:{_WHEN}|present|now|date|today))?"
)
#: A clause opening with a date or period and a comma ("Since 2020, "), before a level (see `_dated_lead`).
_DATED_LEAD = re.compile(rf"\s*(?:and\s+|then\s+)?{_PERIOD}\s*,\s*", re.IGNORECASE)
#: A date or period written right after a clearance name (see _Marks).
_TIME_TAIL = re.compile(rf"\s*\(\s*{_PERIOD}\s*\)|\s+{_PERIOD}", re.IGNORECASE)


def _tail(text: str, end: int) -> int:
    """Where a date or period written right after text[:end] ends (a space or bracket must lead one)."""
    after = text[end : end + 1]
    if not (after.isspace() or after == "("):
        return end
    m = _TIME_TAIL.match(text, end)
    return m.end() if m else end


def _in_scope(text: str, cue_end: int, target: int, marks: _Marks, *, backwards: bool) -> bool:
    """Whether a cue between `cue_end` and `target` still governs the clearance name at the other end.

    A contrast word always ends its reach; a comma does unless it only separates clearance names
    ("eligible for SC, DV or eDV"; but "willing to undergo SC, currently BPSS").
    """
    lo, hi = min(cue_end, target), max(cue_end, target)
    if backwards and _opens_statement(text, lo, hi, marks):
        return False
    if not backwards and _ACRONYM_IN_BRACKET.search(text, lo, hi):
        # "TS (SCI eligible)": a cue inside a bracket about another acronym is about that one, not the level.
        return False
    seg = lo
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
            # Only a comma that ends a name (or its date) lists: "BPSS cleared, SC in progress" says BPSS is held.
            between = _TIME_TAIL.sub("", marks.blank(text, seg, m.start()))
            listed = k in marks.starts and _NAME_ONLY.fullmatch(between) is not None
        if not listed:
            return False
        seg = m.end()
    return True


#: A bracket opened after a level, still open where a cue stands, holding an acronym ("(SCI eligible").
_ACRONYM_IN_BRACKET = re.compile(r"\([^()]*?(?<![^\W_])[A-Z]{2,}\d*(?![^\W_])[^()]*$")
#: What may stand between a name (its date read away) and a comma that goes on to list the next name.
_NAME_ONLY = re.compile(r"[\s)\]]*")


def _opens_statement(text: str, lo: int, hi: int, marks: _Marks) -> bool:
    """Whether a bracket opened in text[lo:hi] and still open at `hi` starts a statement of its own: "No active
    clearance (previously held BPSS)". Not when it only holds a list of names ("no clearance (SC or DV)") or
    closes before the name ("not (yet) SC cleared")."""
    at = text.rfind("(", lo, hi)
    if at < 0 or ")" in text[at:hi]:
        return False
    return _LIST_FILLER.fullmatch(marks.blank(text, at + 1, hi)) is None


def _candidates(fields: Sequence[_Field], groups: Sequence[_Group]) -> list[tuple[_Field, list[Candidate]]]:
    """The fields holding clearance names, each with its names; where two overlap, the one starting first (then
    the longer) wins. A group's regex runs only on the fields holding its anchor."""
    out = []
    for f in fields:
        text, low = f.text, f.low
        found = [c for g in groups if g.anchor in (text if g.cased else low) for c in g.find(text, low)]
        if not found:
            continue
        if len(found) > 1:
            found.sort(key=_first_then_longest)
        kept: list[Candidate] = []
        for c in found:
            if not kept or c[0] >= kept[-1][1]:
                kept.append(_raised(text, c))
        out.append((f, kept))
    return out


def _first_then_longest(c: Candidate) -> tuple[int, int]:
    return c[0], c[0] - c[1]


def _raised(text: str, cand: Candidate) -> Candidate:
    """The mention with what follows it when that names a higher level ("TS clearance with SCI access" is one
    TS/SCI mention; clearances.yaml, `raises`); else as found."""
    start, end, form = cand
    for rule in CLEARANCES.raises.get(form.text, ()):
        m = rule.after.match(text, end)
        if m is not None:
            return start, m.end(), rule.form
    return cand


#: A letter+digit level's letters and digit ("NV1": "nv", "1"); dots between the letters are read away.
_CODE = re.compile(r"([^\W\d_]{2,5})\.?\s?(\d+)")
#: What joins the two ends of a range of codes ("NV1 to NV6", "n.v.1-n.v.6").
_RANGE = re.compile(r"\s*(?:to|through|thru|-|–|—|…|\.\.)\s*((?:[^\W\d_]\.?){2,5}\s?\d+)(?![^\W_])", re.I)
#: Every letter+digit level as written without dots, lower case ("nv1", "nppv3").
_LEVEL_CODES = frozenset(
    f.text.lower().replace(".", "").replace(" ", "")
    for f in CLEARANCES.forms
    if _CODE.fullmatch(f.text.replace(".", ""))
)


#: A number right after a level's letters ("SC-1", "DV-50"): a part or product number unless a level is so named.
_NUMBERED = re.compile(r"[\-‐]?(\d{1,3})(?![\d\w])")
#: After a mention wished for, what leads on to the next: "vetting and later ", "or ", ", then ".
_JOINED_WISH = re.compile(r"\s*(?:[^\W\d_]+\s+){0,2}(?:and|or|then|,)\s*(?:[^\W\d_]+\s+)?", re.I)


def _numbered_code(form: _Form, number: str) -> str:
    return form.text.lower().replace(".", "").rstrip("0123456789") + number


def _series(text: str, end: int, form: _Form) -> bool:
    """Whether a letter+digit level opens a range of codes with the same letters that ends in a code no level
    has ("NV1 to NV6", "n.v.1 - n.v.9"): a catalogue or lab series, not a clearance."""
    if not form.text[-1:].isdigit():
        return False
    m = _RANGE.match(text, end)
    if m is None:
        return False
    code = m.group(1).lower().replace(".", "").replace(" ", "")
    return code not in _LEVEL_CODES and code.rstrip("0123456789") == form.text.lower().replace(".", "")[:-1]


#: A clause leading to a level with "with" ("Analyst at DND with Secret"), and the word before "with".
_WITH_LEVEL = re.compile(r"([^\W\d_][\w'-]*)\s+with$")
#: The words before "with" that make the level what the person works with, not holds: "working with DV",
#: "deals with DV cases", "helping with SC applications".
_ACTIVITY = re.compile(
    r"(?i:\w+ing|deal|deals|dealt|work|works|worked|help|helps|helped|cope|copes|coped|assist|assists|assisted|"
    r"support|supports|supported|familiar|experience|experienced|engage|engages|engaged|liaise|liaises|liaised)"
)

#: Words right before an acronym level that make it the person's own: "My SC came with the Army", "I'm DV".
_OWNER = frozenset({"my", "i'm", "i’m", "am"})
_ARTICLES = frozenset({"a", "an"})
#: A dotted abbreviation ending where the text does ("U.K.", "U.S.A.").
_DOTTED_TAIL = re.compile(r"(?<![^\W_])(?:[^\W\d_]\.)+$")
#: Holding words that make a lower-case acronym right after them a level held ("hold dv"; see `_in_context`).
_HOLDS = frozenset({"hold", "holds", "held", "holding", "possess", "possesses", "possessed"})
#: An acronym level made a verb: "SC'd since 2015", "DV'd" (cleared to it).
_VERBED = re.compile(r"['’]d(?![^\W_])")

#: How many locations' schemes a lexicon remembers.
_PLACES = 20_000


class _ClearanceJudge:
    """Decides, for one profile, whether a clearance name is a disclosure and which SCHEME:LEVEL it is."""

    def __init__(self, view: _View, lex: _ClearanceLexicon) -> None:
        self.view = view
        self.profile = view.profile
        self.lex = lex
        self._country_known = False
        self._country: str | None = None
        self._senses: dict[_Form, bool] = {}
        #: Employer names with the comma after them that a mention stood by (see `_after_employer`).
        self._exempt: list[str] = []
        #: The words that decided the last mention judged a disclosure (for the finding's explanation).
        self.cue = ""
        #: The field and end of the last mention read as wished for, not held (see `_joins_wish`).
        self._wished: tuple[str, int] = ("", -1)

    @property
    def country(self) -> str | None:
        if not self._country_known:
            self._country, self._country_known = self._country_of(self.profile.location), True
        return self._country

    def _country_of(self, location: str | None) -> str | None:
        """The scheme of the country named last in the location ("Victoria, British Columbia, Canada" is CA).

        Remembered by location (at most _PLACES of them): an organisation's people share a few places."""
        places = self.lex.places
        if location in places:
            return places[location]
        country = self._country_in(location)
        if len(places) < _PLACES:
            places[location] = country
        return country

    def _country_in(self, location: str | None) -> str | None:
        for part in reversed((location or "").split(",")):
            named = self.lex.countried.present(part)
            found = [
                (m.end(), m.end() - m.start(), name)
                for name, rx in self.lex.countries.items()
                if name in named
                for m in rx.finditer(part)
            ]
            if found:
                return max(found)[2]
        return None

    def profile_text(self) -> str:
        return self.view.joined(_ALL)

    def __call__(self, f: _Field, start: int, end: int, form: _Form, marks: _Marks) -> float | None:
        """How firmly this is a disclosure (None: it is not one)."""
        text = f.text
        lo, hi = marks.bounds(_CLAUSE_BREAK, start, end)
        if (
            form.not_before
            and form.not_before.search(text[lo:start])
            and not self._after_employer(text, lo, start)
            and marks.list_span(start, end, lo, hi) == (start, marks.tails[marks.index(start)])
        ) or (form.not_after and form.not_after.search(text[end:hi])):
            # Not when the name opens a list of clearance names ("BAE Systems, SC and NPPV3"): no place is that.
            return None
        if text[hi : hi + 1] == "?":  # a question states nothing: "Do you hold SC?"
            return None
        if f.kind == "headline" and self.lex.recruiting.search(text):
            return None
        # A field naming a vetting role ("Security Vetting Officer | SC | DV"): a level in it counts only with a
        # context word of its own ("Vetting officer, DV cleared"); the others are the cases the person handles.
        vetting_role = "vett" in f.low or "adjudicat" in f.low or "investigator" in f.low or "fso" in f.low
        vetting_role = vetting_role and self.lex.vetting_roles.search(text) is not None
        event = self._event(text, lo, start, end, form)
        # Each test so far and the next rejects outright, so their order is free: the cheap ones go first.
        if (
            form.ambiguous
            and not event
            and (self._spelled_out(text, start, end) or self._adjective(text, end, hi, form, marks))
        ):
            return None
        # The clause's words before the list of names this one stands in, and its first words after it.
        first, last = marks.list_span(start, end, lo, hi)
        before = list(_WORD.finditer(text, lo, first))
        after = list(islice(_WORD.finditer(text, last, hi), _AFTER_WORDS))
        if self._product(text, last, before, after, form):
            return None
        if self._hypothetical(text, start, end, lo, hi, last, before, after, marks) or self._joins_wish(f, start):
            self._wished = (f.path, end)
            return None
        if event and not self._other_sense(form):
            self.cue = f"“{event}”, told as an event"
            return 1.0
        if form.text.isupper() and _VERBED.match(text, end):
            self.cue = f"“{text[start : end + 2]}”"
            return 1.0
        if not form.ambiguous and not (vetting_role and "clear" not in f.low[start:end]):
            self.cue = "the clearance's own name"
            return 1.0
        word = self._in_context(before, after, form) or self._named_beside(text, start, end, lo, hi, form)
        if word:
            self.cue = f"“{word}”"
            return 1.0
        if vetting_role:
            return None
        if form.bare and self._bare(f, start, end, form, marks):
            self.cue = "alone in a headline segment or list item"
            return SETTLED
        return UNSURE if text[start].isupper() else None

    def _hypothetical(
        self,
        text: str,
        start: int,
        end: int,
        lo: int,
        hi: int,
        last: int,
        before: list[re.Match[str]],
        after: list[re.Match[str]],
        marks: _Marks,
    ) -> bool:
        """Negated, hypothetical or a requirement: "eligible for SC, DV or eDV", "SC or DV required".

        A cue reaches across a list of clearance names, however long and dated ("must have held SC since 2015
        and DV from 2019"), but not past a comma ending anything else, nor past "but", nor into a bracket that
        says something else: "Not a recruiter, DV cleared", "not SC but DV" and "no clearance (previously held
        DV)" are disclosures of DV. The cue before is looked for in the last six words before the list, the
        one after in the first four words after it.
        """
        window_start = before[-6].start() if len(before) >= 6 else lo
        cue = _last(self.lex.before, text, window_start, start)
        if (
            cue is not None
            and _in_scope(text, cue.end(), start, marks, backwards=True)
            and not self._held_apart(text, lo, start, marks, cue.end(), start)
        ):
            return True
        cue = self.lex.after.search(text[last : after[3].end() if len(after) >= 4 else hi])
        if cue is None or not _in_scope(text, end, last + cue.start(), marks, backwards=False):
            return False
        return not self._held_apart(text, lo, start, marks, end, last + cue.start())

    def _event(self, text: str, lo: int, start: int, end: int, form: _Form) -> str:
        """The words telling a level the person calls theirs as an event, if any: "my Secret came through", "got
        my SC back", "my TS was granted" (clearances.yaml, context.events). A word level must be capitalised,
        or the profile bear vetting ("my secret came through" of a Pentagon analyst; not a baker's secret)."""
        head = text[lo:start].rstrip()
        cut = max(head.rfind(" "), head.rfind("\t"))
        if head[cut + 1 :].lower() not in _OWNER:
            return ""
        if not (form.text.isupper() or text[start].isupper() or self.vetting_bearing):
            return ""
        m = self.lex.events.match(text, end)
        if m is not None:
            return f"{head[cut + 1 :]} {text[start:end]}{m.group()}"
        m = self.lex.events_before.search(head)
        return f"{m.group()} {text[start:end]}" if m else ""

    def _joins_wish(self, f: _Field, start: int) -> bool:
        """Whether the mention goes on from one wished for in its clause, by "and" or "or" and a word or two:
        "happy to go through SC vetting and later DV" wishes for DV too."""
        path, end = self._wished
        return path == f.path and 0 <= start - end <= 40 and _JOINED_WISH.fullmatch(f.text, end, start) is not None

    def _product(
        self, text: str, last: int, before: list[re.Match[str]], after: list[re.Match[str]], form: _Form
    ) -> bool:
        """Whether a lab or product word follows the list of names ("NV1 reagent kit", "NV1 and NV2 primer
        sets", "TS buffer"): a catalogue code sharing the level's letters, unless a strong context word stands
        near it ("NV1 cleared")."""
        if self.lex.products.match(text, last) is None and not _series(text, last, form):
            numbered = _NUMBERED.match(text, last)
            if numbered is None or _numbered_code(form, numbered.group(1)) in _LEVEL_CODES:
                return False
        near = form.near.fullmatch
        return not any(near(m.group()) for m in before[-form.window :] + after[: form.window])

    def _held_apart(self, text: str, lo: int, start: int, marks: _Marks, a: int, b: int) -> bool:
        """Whether a cue at text[a:b]'s far end reaches this name only across another one, while this name has
        its own holding word right before it: then the cue is about the other name ("Previously held BPSS, SC
        pending", "eligible for SC and currently hold DV")."""
        if not marks.names_between(a, b):
            return False
        words = _WORD.findall(text[lo:start])
        return bool(words) and self.lex.weak.fullmatch(words[-1]) is not None

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

    def _after_employer(self, text: str, lo: int, start: int) -> bool:
        """Whether text[lo:start] ends with one of the person's employers as their experience names it and a
        comma: "Avionics engineer at Leonardo Helicopters, SC" is no place, whatever a capitalised word before a
        comma looks like ("Greenville, SC"). The mention is then no evidence of the token's other sense."""
        head = text[lo:start].rstrip()
        if not head.endswith(","):
            return False
        head = head[:-1].rstrip().lower()
        for pos in self.profile.experience:
            company = (pos.company or "").strip().lower()
            if len(company) >= 3 and head.endswith(company):
                self._exempt.append(text[start - (len(text[lo:start]) - len(head)) - len(company) : start])
                return True
        return False

    @staticmethod
    def _known_word(word: str, form: _Form) -> bool:
        return form.known.fullmatch(word) is not None

    def _adjective(self, text: str, end: int, hi: int, form: _Form, marks: _Marks) -> bool:
        """'secret sauce', 'PV systems', 'SC Department of Health': a token qualifying another noun."""
        m = _NEXT_WORD.match(text, end, hi)
        if not m or m.start(1) in marks.starts:
            return False
        return not self._known_word(m.group(1), form)

    def _in_context(self, before: list[re.Match[str]], after: list[re.Match[str]], form: _Form) -> str | None:
        """The context word that makes the form a clearance here, if any."""
        near = form.near.fullmatch
        for m in before[-form.window :] + after[: form.window]:
            if near(m.group()):
                return m.group()
        if len(before) >= 2 and before[-1].group().lower() == "to" and near(before[-2].group()):
            # "Cleared to TS", "vetted to NZ Secret", "upgraded to PV": the context word leads to the level.
            return before[-2].group()
        adjacent = [m.group() for m in before[-1:] + after[:1]]
        if before and len(before[-1].group()) == 1:
            # A dotted qualifier right before the level ("a current U.K. SC"): its letters are words of their own.
            dotted = _DOTTED_TAIL.search(before[-1].string, 0, before[-1].end() + 1)
            if dotted is not None:
                adjacent.append(dotted.group())
        if len(before) >= 2 and before[-1].group().lower() in _ARTICLES and not self._other_sense(form):
            # "Formerly held a PV", "holds an NV1": a holding word with an article between.
            adjacent.insert(0, before[-2].group())
        if before and form.text.isupper() and before[-1].group().lower() in _OWNER and not self._other_sense(form):
            # "My SC came with the Army", "I'm SC": an acronym the person calls theirs or says they are (not "my
            # Baseline", "my secret").
            return before[-1].group()
        if (
            not form.weak
            and before
            and form.text.islower()
            and before[-1].group().lower() in _HOLDS
            and all(self._known_word(m.group(), form) for m in after if not m.group().isdigit())
            and not self._other_sense(form)
        ):
            # A lower-case acronym the person says they hold, closing its clause ("hold dv.", "held sc until
            # 2019"): lower case alone is no other sense. Not "hold sc and ts shares": a noun follows the list.
            return before[-1].group()
        if form.weak:
            for w in adjacent:
                if self.lex.weak.fullmatch(w):
                    return w
        return next((w for w in adjacent if form.qualified.fullmatch(w)), None)

    def _named_beside(self, text: str, start: int, end: int, lo: int, hi: int, form: _Form) -> str | None:
        """A form whose own context words are other clearance names ("FSP" beside "TS/SCI") finds them inside
        a list too ("TS/SCI/FSP"), where the list's outer context would not."""
        if form.context is None:
            return None
        near = _WORD.findall(text[lo:start])[-form.window :] + _WORD.findall(text[end:hi])[: form.window]
        return next((w for w in near if form.context.fullmatch(w)), None)

    def _bare(self, f: _Field, start: int, end: int, form: _Form, marks: _Marks) -> bool:
        """Alone in a headline segment, list item or skill ("| DV |", "SC & NPPV2"), in a fitting country."""
        lo, hi = marks.bounds(_SEGMENT_BREAK, start, end)
        if not all(self._known_word(w, form) for w in _WORD.findall(marks.blank(f.text, lo, hi))):
            return False
        if self.country is not None and self.country not in form.schemes:
            return False
        return not self._other_sense(form)

    @cached_property
    def vetting_bearing(self) -> str:
        """The words showing a defence or government employer or a cleared trade ("" if none). Never read from
        a location: a place alone ("Naval Base Kitsap") says nothing of what the person does."""
        text = self.view.joined(_ROLE_KINDS)
        m = self.lex.vetting_bearing.search(text) or ROLES.defence.search(text)
        return m.group() if m else ""

    def settled(self, f: _Field, start: int, end: int, form: _Form, marks: _Marks, held: set[str]) -> bool:
        """Whether a level with no context of its own (UNSURE) is a disclosure all the same: the profile states
        another level of one of its schemes firmly (`held`), or it closes a clause or list ("Leidos UK. DV",
        "engineer, Secret") in a profile with a defence or government employer. Never where the profile shows
        the token's other sense, nor in a scheme the profile's country does not use."""
        if self.country is not None and self.country not in form.schemes:
            return False
        beside = next((v for v in sorted(held) if v.split(":", 1)[0] in form.schemes), None)
        lo, hi = marks.bounds(_CLAUSE_BREAK, start, end)
        if beside is not None and marks.list_span(start, end, lo, hi) != (start, marks.tails[marks.index(start)]):
            # In one list with a level stated firmly ("BAE Systems, SC and NPPV3"): no other sense lists so.
            self.cue = f"listed with {beside}, stated on the profile"
            return True
        if self._other_sense(form):
            return False
        if beside is not None:
            self.cue = f"beside {beside}, stated on the profile"
            return True
        if self._dated_lead(f.text, start, end, lo, hi, form, marks):
            self.cue = "a level told with its date (“since 2020, …”)"
            return True
        if self.vetting_bearing and marks.dated_list(start, end, lo, hi):
            self.cue = f"a dated list of levels in a profile naming “{self.vetting_bearing}”"
            return True
        # Alone in its sentence is not enough here ("Video editor. DV." is the tape format): the employer decides.
        if self.vetting_bearing and self._closes(f.text, start, end, form, marks):
            self.cue = f"ends a clause in a profile naming “{self.vetting_bearing}”"
            return True
        return False

    def _dated_lead(self, text: str, start: int, end: int, lo: int, hi: int, form: _Form, marks: _Marks) -> bool:
        """Whether the clause is a date or period, a comma and the level closing it: "Since 2020, DV.", "From
        2015 to 2019, Secret": a history told with its dates, which no everyday sense of the letters is."""
        first, _ = marks.list_span(start, end, lo, hi)
        if _DATED_LEAD.fullmatch(text, lo, first) is None:
            return False
        return self._closes(text, start, end, form, marks) == "after a comma"

    def _closes(self, text: str, start: int, end: int, form: _Form, marks: _Marks) -> str:
        """Whether the list of names holding text[start:end] ends its clause, with only known words (context,
        connectors, dates, qualifiers) after it: "alone" if it also opens the clause, "after a comma" if a
        comma leads to it, else ""."""
        lo, hi = marks.bounds(_CLAUSE_BREAK, start, end)
        first, last = marks.list_span(start, end, lo, hi)
        head = text[lo:first].strip()
        if head.endswith("(") and text[last:hi].lstrip().startswith(")"):
            # Alone in brackets after a title: "Network engineer (SC)".
            return "in brackets"
        with_ = _WITH_LEVEL.search(head)
        if with_ is not None and not _ACTIVITY.fullmatch(with_.group(1)):
            # "Civil servant at the Cabinet Office with SC": what a person is, with a level; not what they do
            # ("working with DV", "deals with DV").
            head = ""
        if head and not head.endswith(","):
            return ""
        if not all(self._known_word(w, form) for w in _WORD.findall(text, last, hi) if not w.isdigit()):
            return ""
        return "after a comma" if head else "alone"

    def _other_sense(self, form: _Form) -> bool:
        """Whether the profile shows the token's other sense (once per form: the answer cannot change)."""
        if form.other_senses is None:
            return False
        if form not in self._senses:
            text = self.profile_text()
            for head in self._exempt:
                text = text.replace(head, " ")
            self._senses[form] = form.other_senses.any(text)
        return self._senses[form]

    def value(self, form: _Form, f: _Field, start: int, end: int, marks: _Marks) -> str:
        """SCHEME:LEVEL: a qualifier nearest in the clause ("NZ Top Secret"), else the profile's country."""
        if len(form.values) == 1:
            return form.values[0]
        lo, hi = marks.bounds(_CLAUSE_BREAK, start, end)
        best, distance = None, len(f.text) + 1
        near = self.lex.qualified.present(f.text[lo:hi])
        for value, scheme in zip(form.values, form.schemes, strict=True):
            if scheme not in near:
                continue
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
    """Clearances the profile states, by SCHEME:LEVEL (worked out once per profile: read-only)."""
    view = _view(p)
    return view.made(scan_clearances, lambda: _scan_clearances(view))


#: Per mended field: its text as written, and where each character of the reading came from.
_Back = dict[str, tuple[str, tuple[int, ...]]]


def _scan_clearances(view: _View) -> Scan:
    """The profile as written; then, where the speller finds a misspelt clearance word, as read with them mended
    ("Top Secrit"). A profile stating a clearance firmly keeps what it states and gains only the levels the
    reading adds ("Hold SC, Developd Vetting in 2019"): decision 0044, fifth round (the reading used to be
    skipped for such profiles, to save a quarter of the scan)."""
    fields = view.fields(_PROSE)
    prose = view.joined(_PROSE)
    hits = _scan_fields(view, fields, prose, None)
    if _SPELLER.read(prose)[1] is None and _CONFUSABLE.search(view.joined(_PROSE, low=True)) is None:
        return hits
    mended, back = _mended(fields)
    again = _scan_fields(view, mended, "\n".join([f.text for f in mended]), back)
    if not any(h.strength == 1.0 for h in hits.values()):
        return again
    # A firm statement and a slip beside it ("Hold SC, Developd Vetting in 2019"): the slip adds its level.
    for value, h in again.items():
        hits.setdefault(value, h)
    return hits


def _scan_fields(view: _View, fields: Sequence[_Field], prose: str, back: _Back | None) -> Scan:
    groups = [CLEARANCES.groups[i] for i in CLEARANCES.anchors.present(prose)]
    hits: Scan = {}
    if not groups:
        return hits
    judge = _ClearanceJudge(view, CLEARANCES)
    unsure = []
    for f, cands in _candidates(fields, groups):
        marks = _Marks(f.text, cands)
        for start, end, form in cands[:_MAX_MENTIONS]:
            strength = judge(f, start, end, form, marks)
            if strength == UNSURE:
                unsure.append((f, start, end, form, marks))
            elif strength is not None:
                _add(hits, judge.value(form, f, start, end, marks), f, start, end, strength, back, judge.cue)
    # A level settled here may settle another beside it ("Since 2020, DV. Before that SC"): a second round.
    for _ in range(2):
        held, left = set(hits), []
        for f, start, end, form, marks in unsure:
            if judge.settled(f, start, end, form, marks, held):
                _add(hits, judge.value(form, f, start, end, marks), f, start, end, SETTLED, back, judge.cue)
            else:
                left.append((f, start, end, form, marks))
        if len(left) == len(unsure):
            break
        unsure = left
    return hits


#: A real word one edit from a confusable clearance word ("secrete"), as a whole word in lower-case text.
_CONFUSABLE = re.compile(r"\b(?:" + "|".join(sorted(CLEARANCES.confusables, key=len, reverse=True)) + r")\b")


def _confusables(text: str) -> tuple[str, tuple[int, ...] | None]:
    """The text with each real word one edit from a confusable clearance word read as that word where a word
    of clearance context stands directly beside it ("Top Secrete", "Secrete clearance", "SC cleaned"), and
    where each character came from; None when nothing changed. Elsewhere the real word keeps its own sense
    ("cells secrete insulin")."""
    low = text.lower()
    parts: list[str] = []
    back: list[int] = []
    done = 0
    for m in _CONFUSABLE.finditer(low):
        words = _WORD.findall(text, max(0, m.start() - 40), m.start())[-1:]
        words += _WORD.findall(text, m.end(), m.end() + 40)[:1]
        if not any(CLEARANCES.beside.fullmatch(w) for w in words):
            continue
        token = text[m.start() : m.end()]
        word = CLEARANCES.confusables[m.group()]
        word = word.upper() if token.isupper() else word[:1].upper() + word[1:] if token[0].isupper() else word
        parts.append(text[done : m.start()])
        back.extend(range(done, m.start()))
        parts.append(word)
        back.extend(min(m.start() + i, m.end() - 1) for i in range(len(word)))
        done = m.end()
    if not parts:
        return text, None
    parts.append(text[done:])
    back.extend(range(done, len(text) + 1))
    return "".join(parts), tuple(back)


def _read(text: str) -> tuple[str, tuple[int, ...] | None]:
    """The speller's reading of the text, then its confusable real words (see `_confusables`), with where each
    character of the reading came from in `text`."""
    spelt, where = _SPELLER.read(text)
    read, again = _confusables(spelt)
    if again is None:
        return spelt, where
    return read, again if where is None else tuple(where[i] for i in again)


def _mended(fields: Sequence[_Field]) -> tuple[tuple[_Field, ...], _Back]:
    """The fields with misspelt clearance words read as the words, and for each mended field its original text
    and where each character came from (evidence quotes the profile as written)."""
    out, back = [], {}
    for f in fields:
        text, where = _read(f.text)
        if where is None:
            out.append(f)
        else:
            out.append(_Field(f.path, f.kind, text, text.lower()))
            back[f.path] = (f.text, where)
    return tuple(out), back


def _add(
    hits: Scan, value: str, f: _Field, start: int, end: int, strength: float, back: _Back | None, cue: str
) -> None:
    text = f.text
    if back and f.path in back:
        read = f.text[start:end]
        text, where = back[f.path]
        start, end = where[start], where[end]
        if text[start:end] != read:
            cue = f"{cue}; “{text[start:end]}” read as “{read}”"
    hits.setdefault(value, _Hits()).add(Span(f.path, start, end, text), strength, cue)


# --- the detector ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClearanceExposure(_ExposureDetector):
    def scan(self, profile: Profile, ctx: Context) -> Scan:
        return scan_clearances(profile)

    def describe(self, value: str) -> str:
        return f"Your profile states a security clearance ({value})."


CLEARANCE = ClearanceExposure(
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
)
