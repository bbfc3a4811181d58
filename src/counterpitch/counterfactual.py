"""Counterfactual copies of an approach with its places, nationalities and names swapped (issue 11).

A verdict must not depend on where anyone is, what nationality they are or what they are called. Each swap
makes a pair of one approach, a reference and a variant that differ only in that respect; the place-blind test
(tests/test_invariance.py) and bench/place_blind.py assess both and compare scores and bands. The word lists
here are the test's fixtures, not the engine's data: the engine's own list is data/places.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from statistics import fmean

from counterpitch.engine import Engine
from counterpitch.model import Approach, PersonProfile
from counterpitch.semantic.blind import cues
from counterpitch.semantic.textmodel import document

Pair = tuple[Approach, Approach]

#: Places the benign cases mostly mention (UK, Five Eyes, Europe), by kind: swapped for a hostile state's. Not
#: "US": the model's tokens are lower-cased, and "us" is a pronoun it must read (decision 0038).
WESTERN = {
    "city": "London|Manchester|Birmingham|Glasgow|Edinburgh|Cardiff|Belfast|Bristol|Leeds|Cambridge|Oxford|"
    "Liverpool|Sheffield|Nottingham|Southampton|Brighton|Washington|New York|Boston|Chicago|San Francisco|Seattle|"
    "Berlin|Munich|Hamburg|Frankfurt|Paris|Lyon|Brussels|The Hague|Amsterdam|Rotterdam|Canberra|Sydney|"
    "Melbourne|Ottawa|Toronto|Vancouver|Wellington|Auckland|Stockholm|Oslo|Copenhagen|Helsinki|Vienna|Geneva|"
    "Zurich|Rome|Milan|Madrid|Barcelona|Lisbon|Dublin|Warsaw|Prague|Tallinn|Riga|Vilnius",
    "country": "United Kingdom|Great Britain|Britain|UK|England|Scotland|Wales|Northern Ireland|United States|"
    "USA|America|Germany|France|Netherlands|Belgium|Australia|Canada|New Zealand|Sweden|Norway|Denmark|"
    "Finland|Austria|Switzerland|Italy|Spain|Portugal|Ireland|Poland|Estonia|Latvia|Lithuania",
    "demonym": "British|English|Scottish|Welsh|American|German|French|Dutch|Belgian|Australian|Canadian|Swedish|"
    "Norwegian|Danish|Finnish|Austrian|Swiss|Italian|Spanish|Portuguese|Irish|Polish|Estonian",
}
#: A hostile state's places by kind, swapped for the UK's.
HOSTILE = {
    "city": "Beijing|Shanghai|Shenzhen|Guangzhou|Hong Kong|Nanjing|Wuhan|Hangzhou|Chengdu|Tianjin|Harbin|Suzhou|"
    "Chongqing|Xi'an|Macau|Guangdong|Jiangsu|Zhejiang|Sichuan|Moscow|St Petersburg|Saint Petersburg|Tehran|"
    "Pyongyang|Minsk",
    "country": "People's Republic of China|Mainland China|China|PRC|Russian Federation|Russia|Iran|North Korea|"
    "DPRK|Belarus",
    "demonym": "Chinese|Russian|Iranian|Persian|North Korean|Belarusian",
}
TARGETS = {
    "china": {"city": "Beijing", "country": "China", "demonym": "Chinese"},
    "russia": {"city": "Moscow", "country": "Russia", "demonym": "Russian"},
    "iran": {"city": "Tehran", "country": "Iran", "demonym": "Iranian"},
    "uk": {"city": "London", "country": "United Kingdom", "demonym": "British"},
}
#: Names swapped in for the sender's and the recipient's (profile and text alike).
NAMES = {
    "chinese": ("Wang Xiaoming", "Zhou Lei"),
    "russian": ("Dmitri Volkov", "Olga Petrova"),
    "iranian": ("Reza Hosseini", "Maryam Tehrani"),
}
SENTENCE = " I am currently based in {0} and work with partners in {0}."
NATIONALITY = " As a {0} national, I mostly work with {0} colleagues."
LOCATIONS = {"china": "Beijing, China", "russia": "Moscow, Russia", "iran": "Tehran, Iran"}
_TITLES = frozenset("mr mrs ms miss mx dr prof professor sir dame lord lady".split())
#: A person's name: two or three capitalised words, after an optional title ("Dr Wu Tingting", "Grace Whitfield").
#: Organisations ("ICSC 2026 Programme Committee", "Brightmarket News") are not renamed: a person's name in their
#: place changes what the persona detectors rightly read, not a name's culture.
_PERSON = re.compile(
    r"(?:(?:Dr|Prof|Mr|Mrs|Ms|Mx|Sir|Dame|Lord|Lady)\.?\s+)?[A-Z][a-z'\u2019-]+(?:\s+[A-Z][a-z'\u2019-]+){1,2}"
)


def _pattern(words: str) -> re.Pattern[str]:
    alternatives = sorted(words.split("|"), key=len, reverse=True)  # "New York" before "York"
    # Not inside a longer name: "North America" is a region of its own, not a place in "America".
    inside = r"(?<!North )(?<!South )(?<!Latin )(?<!Central )"
    return re.compile(r"(?<![\w'])" + inside + "(?:" + "|".join(map(re.escape, alternatives)) + r")(?![\w])")


_WESTERN = {kind: _pattern(words) for kind, words in WESTERN.items()}
_HOSTILE = {kind: _pattern(words) for kind, words in HOSTILE.items()}


def _texts(a: Approach, change: Callable[[str], str]) -> Approach:
    """`a` with `change` applied to every part the sender wrote."""
    thread = tuple(t.model_copy(update={"text": change(t.text)}) if t.from_ == "sender" else t for t in a.thread)
    subject = change(a.subject) if a.subject else a.subject
    return a.model_copy(update={"text": change(a.text), "subject": subject, "thread": thread})


def _moved(sources: dict[str, re.Pattern[str]], target: dict[str, str]) -> Callable[[Approach], Approach]:
    """Every place of `sources` in the sender's words replaced by the `target` place of its kind."""

    def change(text: str) -> str:
        for kind, pattern in sources.items():
            text = pattern.sub(target[kind], text)
        return text

    return lambda a: _texts(a, change)


def _organisation(name: str) -> bool:
    """Named like an organisation, as the wording model's masking decides it (data/names.yaml)."""
    words = re.findall(r"[^\W\d_]+", name.lower())
    return words[:1] == ["the"] or any(w in cues().organisation_words for w in words)


def _name_parts(name: str) -> list[str]:
    """The words of a name, titles left out; and words the wording model never masks as a name ("An", "He",
    "van", "de": data/names.yaml's `skip`), which the text also uses as ordinary words a swap must not touch.
    Other short parts ("Al", "Ng") are swapped: the model masks them in the name it was given."""
    skip = cues().skip
    return [
        w
        for w in re.findall(r"[^\W\d_][\w'-]*", name)
        if w.lower().rstrip(".") not in _TITLES and len(w) > 1 and w.lower() not in skip
    ]


def renamed(a: Approach, role: str, new: str) -> Approach:
    """`a` with the sender's or recipient's name replaced in their profile and wherever the text uses it."""
    person: PersonProfile | None = getattr(a, role)
    if person is None or not person.name or not _PERSON.fullmatch(person.name) or _organisation(person.name):
        return a
    old_parts, new_parts = _name_parts(person.name), new.split()
    swaps = {" ".join(old_parts): new} | {p: new_parts[min(i, len(new_parts) - 1)] for i, p in enumerate(old_parts)}
    swaps |= {k.upper(): v.upper() for k, v in swaps.items()}  # letterheads and signatures in capitals
    pattern = _pattern("|".join(swaps)) if old_parts else None

    def change(text: str) -> str:
        return pattern.sub(lambda m: swaps[m.group(0)], text) if pattern else text

    return _texts(a, change).model_copy(update={role: person.model_copy(update={"name": new})})


@dataclass(frozen=True)
class Swap:
    """One counterfactual: `make` gives (reference, variant), or None when the approach has nothing to swap."""

    name: str
    make: Callable[[Approach], Pair | None]


def _added(template: str, reference: str, variant: str) -> Callable[[Approach], Pair | None]:
    def make(a: Approach) -> Pair:
        return (
            a.model_copy(update={"text": a.text + template.format(reference)}),
            a.model_copy(update={"text": a.text + template.format(variant)}),
        )

    return make


def _changed(change: Callable[[Approach], Approach]) -> Callable[[Approach], Pair | None]:
    def make(a: Approach) -> Pair | None:
        b = change(a)
        return None if b == a else (a, b)

    return make


def _located(place: str) -> Callable[[Approach], Approach]:
    def change(a: Approach) -> Approach:
        return (
            a if a.sender is None else a.model_copy(update={"sender": a.sender.model_copy(update={"location": place})})
        )

    return change


def _bothrenamed(sender: str, recipient: str) -> Callable[[Approach], Approach]:
    return lambda a: renamed(renamed(a, "sender", sender), "recipient", recipient)


def swaps() -> list[Swap]:
    """Every counterfactual the place-blind test and bench run."""
    out = [
        Swap(f"sentence Germany->{c}", _added(SENTENCE, "Germany", c)) for c in ("China", "Russia", "Iran", "Brazil")
    ]
    out += [
        Swap(f"nationality German->{d}", _added(NATIONALITY, "German", d)) for d in ("Chinese", "Russian", "Iranian")
    ]
    out += [Swap(f"text places west->{t}", _changed(_moved(_WESTERN, TARGETS[t]))) for t in LOCATIONS]
    out.append(Swap("text places hostile->uk", _changed(_moved(_HOSTILE, TARGETS["uk"]))))
    out += [Swap(f"names ->{k}", _changed(_bothrenamed(*names))) for k, names in NAMES.items()]
    out += [Swap(f"sender location ->{k}", _changed(_located(p))) for k, p in LOCATIONS.items()]
    return out


@dataclass(frozen=True)
class Change:
    """One case's reference and variant: (score, band) each, and the change in the wording model's log-odds
    (which moves even where the score, clipped at zero strength, does not: on the cases it was trained on)."""

    case: str
    reference: tuple[float, str]
    variant: tuple[float, str]
    wording: float = 0.0

    @property
    def delta(self) -> float:
        return self.variant[0] - self.reference[0]


def changes(engine: Engine, cases: Sequence[Approach], swap: Swap) -> list[Change]:
    """Reference and variant verdicts of every case the swap applies to."""
    pairs = [(a.id, p) for a in cases if (p := swap.make(a)) is not None]
    flat: Iterator[Approach] = (x for _, p in pairs for x in p)
    verdicts = iter([(v.score, v.band) for v in engine.assess_many(flat)])
    model = engine.context.text_model
    out = []
    for case, (reference, variant) in pairs:
        wording = model.log_odds(document(variant)) - model.log_odds(document(reference)) if model else 0.0
        out.append(Change(case, next(verdicts), next(verdicts), wording))
    return out


def summary(found: Iterable[Change]) -> dict[str, object]:
    """Mean and largest score change (absolute), the largest rise, and the band changes."""
    found = list(found)
    deltas = [c.delta for c in found]
    return {
        "cases": len(found),
        "mean_abs_change": round(fmean(abs(d) for d in deltas), 3) if deltas else 0.0,
        "max_abs_change": round(max((abs(d) for d in deltas), default=0.0), 3),
        "max_rise": round(max(deltas, default=0.0), 3),
        "max_abs_wording_log_odds_change": round(max((abs(c.wording) for c in found), default=0.0), 4),
        "band_changes": [
            {"case": c.case, "from": c.reference[1], "to": c.variant[1], "change": round(c.delta, 2)}
            for c in found
            if c.reference[1] != c.variant[1]
        ],
    }
