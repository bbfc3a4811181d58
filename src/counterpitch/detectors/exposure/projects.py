"""exposure.sensitive_project: a programme name from the user's own list of sensitive terms.

The terms come from the Context (each organisation has its own), not from a data file. A term of words only
("Osprey", "Kestrel Bay") may be a bird, a bay or a fund, so it counts only where the profile also shows defence
work or one of the term's own sense words; a term with a number ("Type 26") is a designation and counts on its
own. A one-word term written all in lower case is its everyday sense ("tempest warnings", "sentinel lymph node").

Naming a programme is not always working on it (issue 13, decision 0044): someone whose headline or title says
they write about programmes (a journalist, a researcher) discloses a programme only where the sentence naming it
says they work on it; anyone's mention after "I write about", "covering", "a paper on" is commentary.

A line of the terms file may give other names and sense words: `SHORT = Full Name = other alias | sense, words`.
Every name is looked for; findings report the short name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from counterpitch.detectors.base import DetectorMeta, Span
from counterpitch.detectors.context import Context
from counterpitch.detectors.exposure.clearance import scan_clearances
from counterpitch.detectors.exposure.common import _MAX_MENTIONS, _NPSA, Scan, _discounted, _ExposureDetector, _Hits
from counterpitch.detectors.exposure.lists import ROLES
from counterpitch.detectors.exposure.roles import scan_roles
from counterpitch.detectors.exposure.text import (
    _ALL,
    _LETTER_DIGIT,
    _ROLE_KINDS,
    _SENTENCE_BREAK,
    _Anchors,
    _bounds,
    _fields,
    _joined,
)
from counterpitch.model import Profile


@dataclass(frozen=True)
class _Term:
    #: The short name as listed: what a finding reports.
    name: str
    regex: re.Pattern[str]
    anchor: str
    #: Words only, no number ("Ajax", "Hunter class"): it may be an everyday phrase, a place or a famous other
    #: thing, so it counts only where the profile also shows defence work or a sense word. A number makes a
    #: designation ("Type 26", "LAND 400").
    common: bool
    #: One word with a capital as listed ("Sentinel"): written all in lower case it is the everyday word.
    cased: bool
    #: The term's sense words from the terms file, as one whole-word regex (None: none given).
    senses: re.Pattern[str] | None
    #: A class named by its first ship alone ("welding blocks for Hunter" for "Hunter class"): never inside a
    #: longer proper name ("Hunter Valley", "John Hunter").
    shortening: bool = False
    #: Written in the terms file as an acronym ("GCAP"): in capitals in a profile it is the programme's name.
    acronym: bool = False


_TERM_CHUNK = re.compile(r"[^\W_]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(frozen=True)
class _Terms:
    terms: tuple[_Term, ...]
    anchors: _Anchors


def parse_term(line: str) -> tuple[list[str], list[str]]:
    """One terms-file line -> its names (the short name first) and its sense words.

    `SHORT = Full Name = other alias | sense, words`; a plain line is one name with no sense words.
    """
    names, _, senses = line.partition("|")
    return (
        [n for n in (" ".join(part.split()) for part in names.split("=")) if n],
        [w for w in (" ".join(part.split()) for part in senses.split(",")) if w],
    )


@lru_cache(maxsize=16)
def compile_terms(terms: tuple[str, ...]) -> _Terms:
    """User terms -> patterns tolerant of case, spacing and hyphens ("Type-26", "type 26", "Hunter-class")."""
    out: list[_Term] = []
    seen: set[str] = set()
    for raw in terms:
        if raw.strip().startswith("#"):
            continue
        names, sense_words = parse_term(raw)
        if not names or names[0].lower() in seen:
            continue
        seen.add(names[0].lower())
        senses = (
            re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(w) for w in sense_words) + r")(?:s|es)?(?![^\W_])", re.I)
            if sense_words
            else None
        )
        for name in dict.fromkeys(names + _shortenings(names)):
            term = _compiled(names[0], name, senses)
            if term is not None:
                out.append(term)
    return _Terms(tuple(out), _Anchors([(t.anchor, False) for t in out]))


#: A ship class named after its first ship: "Hunter class", "Hunter-class frigate", "City-class frigate".
_CLASS_NAME = re.compile(r"([A-Z][a-z]+)[\s-]+class")


def _shortenings(names: list[str]) -> list[str]:
    """A class's first ship alone, as people shorten a class name ("3 yrs welding blocks for Hunter"), written
    with a leading "~" (see `_compiled`). From the short name only, the name the organisation itself uses: an
    alias may name a class after a kind of thing ("City-class frigate"), not a ship. Not where another name of
    the line is that word already."""
    m = _CLASS_NAME.fullmatch(names[0])
    if m is None or m.group(1).lower() in {n.lower() for n in names}:
        return []
    return ["~" + m.group(1)]


def _compiled(short: str, name: str, senses: re.Pattern[str] | None) -> _Term | None:
    shortening = name.startswith("~")
    name = name.lstrip("~")
    pieces = [
        piece
        for chunk in _TERM_CHUNK.findall(name)
        for part in _CAMEL.split(chunk)
        for piece in _LETTER_DIGIT.split(part)
        if piece
    ]
    if not pieces:
        return None
    body = r"[\s\-_.]{0,3}".join(re.escape(p) for p in pieces)
    # A variant letter may follow a number ("SKYNET 6A"); a number after a name makes another thing
    # ("Sentinel-2" is a satellite).
    tail = r"[^\W\d_]?(?![^\W_])" if pieces[-1].isdigit() else r"(?:'?s|es)?(?![^\W_])(?!-\d)"
    regex = re.compile(rf"(?<![^\W_])(?:{body}){tail}", re.IGNORECASE)
    common = not any(piece.isdigit() for piece in pieces)
    cased = len(pieces) == 1 and not name.islower()
    acronym = len(pieces) == 1 and len(name) >= 3 and name.isalpha() and name.isupper()
    return _Term(short, regex, max(pieces, key=len).lower(), common, cased, senses, shortening, acronym)


def _defence_work(p: Profile) -> bool:
    """Corroboration for a common-word term: defence context, a clearance or a sensitive role anywhere."""
    return bool(ROLES.defence.search(_joined(p, _ALL))) or bool(scan_clearances(p)) or bool(scan_roles(p))


#: Words after a word-only term that make it a firm's or a club's name ("Osprey Publishing", "Kestrel Bay Surf
#: School"): an organisation named after a bird, a place or a legend, not the programme (issue 13).
_ORGANISATION = re.compile(
    r"[\s-]+(?:Publishing|Publications|Publishers|Press|Books|Media|Ltd|Limited|Inc|LLC|Pty|Plc|PLC|GmbH|Group|"
    r"Holdings|Capital|Partners|Ventures|Studios?|Hotel|Caf[eé]|Brewery|Brewing|Wines?|Winery|Vineyards?|"
    r"Surf|School|Academy|Foundation|Trust|Bank|FC|Football|Club|Theatre|Gallery|Restaurant|Bar|Salon)\b"
)


#: Directly after a capitalised word-only term, the words that make it a programme's name ("on the Tempest
#: programme", "the Osprey program office").
_PROGRAMME_WORD = re.compile(r"(?:'s)?[\s-]+(?:programmes?|programs?|project office|program office)\b", re.IGNORECASE)


def _own_sense(term: _Term, text: str, m: re.Match[str]) -> str:
    """The words of this mention that show the programme sense without corroboration: an acronym the terms file
    writes in capitals, written so here ("GCAP"), or a capitalised name followed by "programme" ("the Tempest
    programme"). "" if none."""
    written = m.group()
    if term.acronym and written.isupper():
        return written
    after = _PROGRAMME_WORD.match(text, m.end())
    if after is not None and written[:1].isupper():
        return text[m.start() : after.end()]
    return ""


def _in_organisation_name(p: Profile, text: str, start: int, end: int) -> bool:
    """Whether the mention is part of an organisation's name: followed by a firm's word, or inside one of the
    person's employers as their experience names it that is longer than the mention ("Osprey Publishing")."""
    if _ORGANISATION.match(text, end):
        return True
    mention = text[start:end].lower()
    low = text.lower()
    for pos in p.experience:
        company = (pos.company or "").lower()
        if len(company) <= len(mention) or mention not in company:
            continue
        at = low.find(company, max(0, start - len(company)), end + len(company))
        if at != -1 and at <= start and end <= at + len(company):
            return True
    return False


_CAPITALISED_BEFORE = re.compile(r"(?<![^\W_])[A-Z][\w'-]*[ \t]+$")
_CAPITALISED_AFTER = re.compile(r"[ \t]+[A-Z]")


def _beside_capitalised(text: str, start: int, end: int) -> bool:
    """Whether a shortened class name stands in a longer proper name: "John Hunter", "Hunter Valley"."""
    before = _CAPITALISED_BEFORE.search(text, max(0, start - 40), start)
    return before is not None or _CAPITALISED_AFTER.match(text, end) is not None


def _writes_about_programmes(p: Profile) -> bool:
    """Whether the headline, a job title or an employer says the person writes about programmes (journalist,
    researcher, a policy institute's analyst)."""
    titles = [
        p.headline or "",
        *(pos.title or "" for pos in p.experience),
        *(pos.company or "" for pos in p.experience),
    ]
    return any(ROLES.commentary_roles.search(t) for t in titles if t)


def _involved(text: str, start: int, end: int) -> str:
    """The words of the sentence naming the programme that say the person works on it ("worked on", "team");
    "" if none."""
    lo, _ = _bounds(_SENTENCE_BREAK, text, start, start)
    _, hi = _bounds(_SENTENCE_BREAK, text, end, end)
    m = ROLES.involvement.search(text, lo, hi)
    return m.group() if m else ""


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
    writer: bool | None = None
    for k in index.anchors.present(_joined(p, _ROLE_KINDS)):
        term = index.terms[k]
        found = _Hits()
        #: The words of a mention that show the programme sense by themselves ("GCAP", "the Tempest programme").
        own_sense = ""
        for f in fields:
            if term.anchor not in f.low:
                continue
            for m in islice(term.regex.finditer(f.text), _MAX_MENTIONS):
                if term.cased and m.group().islower():
                    continue
                if _discounted(f.text, m.start()) and (
                    # "Now a defence journalist; before that I spent six years on the Skynet 6 team": the
                    # commentary is another clause's, and the mention's sentence says they worked on it.
                    _discounted(f.text, m.start(), clause_only=True) or not _involved(f.text, m.start(), m.end())
                ):
                    continue
                if term.common and _in_organisation_name(p, f.text, m.start(), m.end()):
                    continue
                if term.shortening and _beside_capitalised(f.text, m.start(), m.end()):
                    continue
                if writer is None:
                    writer = _writes_about_programmes(p)
                involved = _involved(f.text, m.start(), m.end())
                if writer and not involved:
                    continue
                cue = f"“{involved}”" if involved else ""
                if term.common and not own_sense:
                    own_sense = _own_sense(term, f.text, m)
                found.add(Span(f.path, m.start(), m.end(), f.text), 0.8 if term.common else 1.0, cue)
        if found.spans and term.common and corroborate:
            # Not from a location: a place alone says nothing of the person's work.
            sense = term.senses.search(_joined(p, _ROLE_KINDS)) if term.senses is not None else None
            if own_sense:
                found.cues.append(f"“{own_sense}”")
            elif sense is not None:
                found.cues.append(f"the programme's sense word “{sense.group()}”")
            else:
                if corroborated is None:
                    corroborated = _defence_work(p)
                if not corroborated:
                    continue
                found.cues.append("defence work on the profile")
        if found.spans:
            hit = hits.setdefault(term.name, _Hits())
            for span in found.spans:
                hit.add(span, found.strength)
            hit.cues += [c for c in found.cues if c not in hit.cues]
    return hits


# --- the detector ---------------------------------------------------------------------------------------------

#: Context option: set False to report word-only project terms ("Hunter class") without defence context.
CORROBORATE_OPTION = "exposure.corroborate_word_terms"


@dataclass(frozen=True)
class ProjectExposure(_ExposureDetector):
    def scan(self, profile: Profile, ctx: Context) -> Scan:
        return scan_projects(profile, ctx.sensitive_terms, bool(ctx.options.get(CORROBORATE_OPTION, True)))

    def describe(self, value: str) -> str:
        return f"Your profile names {value}, which your organisation lists as sensitive."


PROJECT = ProjectExposure(
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
)
