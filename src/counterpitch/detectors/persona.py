"""Persona indicators (family `persona`): what the sender's own profile says about whether it is real.

Each detector reads only the sender's profile (and, for the field check, the recipient's headline). None looks
at nationality, location or the language of a name: a thin profile in London and one in Shanghai weigh the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from counterpitch.detectors.base import Detector, DetectorMeta, whole
from counterpitch.detectors.context import Context
from counterpitch.model import Approach, Evidence, Finding, PersonProfile, Profile

SOURCE_PROFILE = "tradecraft.md, Sender profile: new account, few connections (<50), little detail"
SOURCE_JOB = "tradecraft.md, Sender profile: one short job, or a career at firms that leave no other trace"
_FLAGS = re.IGNORECASE


@lru_cache(maxsize=1)
def lists() -> dict[str, Any]:
    """The persona word lists, loaded and checked once per process."""
    text = (resources.files("counterpitch") / "data" / "persona.yaml").read_text("utf-8")
    doc = yaml.safe_load(text)
    for key in ("cover_company", "intermediary_headline", "webmail_domains", "known_firms"):
        if not isinstance(doc.get(key), dict) or not doc[key].get("source"):
            raise ValueError(f"counterpitch/data/persona.yaml: section {key!r} missing or without a source")
    return {
        "cover": re.compile("|".join(f"(?:{p})" for p in doc["cover_company"]["patterns"]), _FLAGS),
        "intermediary": re.compile("|".join(f"(?:{p})" for p in doc["intermediary_headline"]["patterns"]), _FLAGS),
        "webmail": frozenset(d.lower() for d in doc["webmail_domains"]["domains"]),
        "firms": tuple(doc["known_firms"]["names"]),
        "firms_norm": tuple(_norm_company(n) for n in doc["known_firms"]["names"]),
    }


@lru_cache(maxsize=4096)
def _lookalike(company: str) -> tuple[str, float, int] | None:
    """The well-known firm `company` nearly (not exactly) copies, if any. Memoised: senders recur."""
    known = lists()["firms_norm"]
    name = _norm_company(company)
    if len(name) < 5 or name in known:
        return None
    best = process.extractOne(name, known, scorer=fuzz.ratio, score_cutoff=82)
    return None if best is None else (str(best[0]), float(best[1]), int(best[2]))


def _norm_company(name: str) -> str:
    name = re.sub(r"[^\w\s&]", " ", name.casefold())
    name = re.sub(r"\b(?:ltd|limited|llc|inc|plc|gmbh|ag|pte|pty|co|corp|sa|bv|group)\b", " ", name)
    return " ".join(name.split())


def _months(stamp: str | None) -> int | None:
    """'2025-03', '2025', or an ISO date-time, as a month count; None when absent or unreadable."""
    if not stamp:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?", stamp)
    if not m:
        return None
    return int(m.group(1)) * 12 + (int(m.group(2)) - 1 if m.group(2) else 0)


def _sender(subject: Approach | Profile) -> PersonProfile | None:
    return subject.sender if isinstance(subject, Approach) else None


def _ev(field: str, value: str) -> Evidence:
    return whole(field, value).evidence()


@dataclass(frozen=True)
class ThinProfile(Detector):
    """Few connections, a new account, one recent job or none: one indicator, however many of its signs show.

    The signs are one fact seen three ways (a profile made for the purpose), so they are reported together and
    weighed once; students and new graduates show them too, which is why on its own this never weighs much.
    Each sign is something the profile shows, never something the report left out: "no work history" counts
    only when the profile was read whole (a saved LinkedIn PDF), since a pasted or typed profile without jobs
    says nothing about the jobs (docs/decisions/0037-missing-is-not-evidence.md).
    """

    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        s = _sender(subject)
        if s is None or not isinstance(subject, Approach):
            return
        signs: list[tuple[Evidence, float, str]] = []
        if s.connections is not None and s.connections < 100:
            signs.append(
                (_ev("sender.connections", str(s.connections)), 1.0 if s.connections < 50 else 0.5, "few connections")
            )
        created, sent = _months(s.account_created), _months(subject.sent_at)
        if created is not None and sent is not None and sent - created < 12:
            age = sent - created
            signs.append(
                (_ev("sender.account_created", s.account_created or ""), 1.0 if age < 6 else 0.6, "a new account")
            )
        jobs = s.experience
        if jobs == () and s.captured_whole and (s.headline or s.company) and s.name:
            signs.append((_ev("sender.experience", "[]"), 0.5, "no work history"))
        elif jobs is not None and len(jobs) == 1:
            start = _months(jobs[0].start)
            if start is not None and created is not None and abs(created - start) <= 3:
                signs.append(
                    (_ev("sender.experience[0].start", jobs[0].start or ""), 1.0, "one job, begun with the account")
                )
        if signs:
            strength = min(1.0, sum(w for _, w, _ in signs) / 3 + 0.2)
            what = ", ".join(n for _, _, n in signs)
            yield self.finding(
                [e for e, _, _ in signs],
                strength=strength,
                explanation=f"The sender's profile shows {what}. " + self.meta.explanation,
            )


@dataclass(frozen=True)
class CoverCompany(Detector):
    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        s = _sender(subject)
        if s is None:
            return
        for field, value in _companies(s):
            m = lists()["cover"].search(value)
            if m:
                ev = Evidence(field=field, start=m.start(), end=m.end(), quote=value[m.start() : m.end()])
                yield self.finding([ev], value=value)
                return


@dataclass(frozen=True)
class LookalikeCompany(Detector):
    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        s = _sender(subject)
        if s is None:
            return
        for field, value in _companies(s):
            best = _lookalike(value)
            if best is not None:
                firm = lists()["firms"][best[2]]
                yield self.finding(
                    [_ev(field, value)],
                    value=firm,
                    strength=min(1.0, best[1] / 100),
                    explanation=f"'{value}' is close to, but not, the name of {firm}. " + self.meta.explanation,
                )
                return


@dataclass(frozen=True)
class NameFormat(Detector):
    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        s = _sender(subject)
        if s is None or not s.name:
            return
        name = s.name.strip()
        letters = [c for c in name if c.isalpha() and c.isascii()]
        odd = (
            (len(letters) >= 4 and (name == name.lower() or name == name.upper()))
            or any(c.isdigit() for c in name)
            or bool(re.search(r"[_@#]|\s{2,}", name))
        )
        if odd:
            yield self.finding([_ev("sender.name", name)])


@dataclass(frozen=True)
class IntermediaryMismatch(Detector):
    """A go-between headline (headhunter, consultant, 'exchange officer') with nothing of the recipient's field.

    "Nothing in common" is itself a claim about what is absent, so it is judged only when both sides are there
    in full: the sender's headline and firm, the recipient's headline and organisation. With one missing, the
    shared word may be in the part not given (docs/decisions/0037-missing-is-not-evidence.md). The sender's
    "about" is left out for the same reason: rarely given, it could only ever excuse.
    """

    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        s = _sender(subject)
        if s is None or not s.headline or not s.company or not isinstance(subject, Approach):
            return
        r = subject.recipient
        if r is None or not r.headline or not r.organisation:
            return
        m = lists()["intermediary"].search(s.headline)
        if m is None:
            return
        theirs = _words(f"{r.headline} {r.organisation}")
        mine = _words(f"{s.headline} {s.company}")
        if theirs and not (theirs & mine):
            yield self.finding([_ev("sender.headline", s.headline)], value=m.group(0), strength=0.6)


@dataclass(frozen=True)
class WebmailSender(Detector):
    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        s = _sender(subject)
        if s is None or not s.email or "@" not in s.email:
            return
        domain = s.email.rsplit("@", 1)[1].strip().lower()
        if domain in lists()["webmail"] and (s.company or s.headline):
            yield self.finding([_ev("sender.email", s.email)], value=domain)


_STOP = frozenset(
    [
        "the",
        "and",
        "of",
        "for",
        "in",
        "at",
        "to",
        "a",
        "an",
        "with",
        "on",
        "by",
        "from",
        "senior",
        "junior",
        "lead",
        "head",
        "chief",
        "director",
        "manager",
        "officer",
        "team",
        "staff",
        "member",
        "global",
        "international",
        "group",
        "ltd",
        "limited",
        "company",
        "services",
    ]
)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.casefold()) if w not in _STOP}


def _companies(s: PersonProfile) -> Iterator[tuple[str, str]]:
    if s.company:
        yield "sender.company", s.company
    for i, pos in enumerate(s.experience or ()):
        if pos.company and pos.company != s.company:
            yield f"sender.experience[{i}].company", pos.company


#: Persona detectors that read nothing but the sender's own profile.
_SENDER_ONLY = frozenset(
    {"persona.cover_company", "persona.lookalike_company", "persona.name_format", "persona.webmail_sender"}
)


def _meta(ident: str, title: str, severity: str, explanation: str, guidance: str, *sources: str) -> DetectorMeta:
    return DetectorMeta(
        id=ident,
        reads="sender" if ident in _SENDER_ONLY else "approach",
        title=title,
        severity=severity,  # type: ignore[arg-type]
        explanation=explanation,
        guidance=guidance,
        sources=sources,
        attack=("T1585.001",),
    )


_VERIFY = "Check the sender independently: search for the firm yourself, and ask colleagues whether they know them."

DETECTORS: list[Detector] = [
    ThinProfile(
        _meta(
            "persona.thin_profile",
            "Sender's profile is thin or new",
            "low",
            "Personas are made for a campaign: new, thinly connected, with one recent job or none. Genuine "
            "recruiters usually have years of history and hundreds of connections; students and new graduates "
            "are thin too, so this counts only alongside other signs.",
            _VERIFY,
            SOURCE_PROFILE,
            SOURCE_JOB,
        )
    ),
    CoverCompany(
        _meta(
            "persona.cover_company",
            "Sender's firm has a generic, cover-style name",
            "low",
            "Names like '... Executive Search', '... Union', 'Centre for ... Studies' or '... Exchange' were used by "
            "the personas MI5 and BfV named.",
            _VERIFY,
            "tradecraft.md, Company: generic names ('... Executive Search', '... Union', 'Centre for ... Studies')",
            "MI5 espionage alert, 18 Nov 2025: 'BR-YR Executive Search', 'Internship Union'",
        )
    ),
    LookalikeCompany(
        _meta(
            "persona.lookalike_company",
            "Sender's firm nearly copies a well-known firm's name",
            "medium",
            "Dickson Yeo set up a consultancy named like a real US firm to draw CVs from cleared people.",
            _VERIFY,
            "Dickson Yeo (US, convicted 2020): cover company mimicking a real firm",
            "tradecraft.md, Company: copies or nearly copies a known firm's name",
        )
    ),
    NameFormat(
        _meta(
            "persona.name_format",
            "Sender's name is oddly formatted",
            "info",
            "Names in all lower or upper case, or with digits or symbols, are common in mass-produced personas.",
            _VERIFY,
            "tradecraft.md, Sender profile: odd name formatting (all lower or upper case)",
        )
    ),
    IntermediaryMismatch(
        _meta(
            "persona.intermediary_mismatch",
            "A go-between headline with nothing of your field",
            "info",
            "Headhunter, consultant or 'exchange officer' headlines that share nothing with your field were the "
            "disguise of the personas MI5 named.",
            _VERIFY,
            "tradecraft.md, Sender profile: headline of headhunter, talent partner, think-tank researcher, "
            "consultant, 'exchange' or 'cooperation' officer, with no match to the recipient's field",
        )
    ),
    WebmailSender(
        _meta(
            "persona.webmail_sender",
            "An organisation's representative writing from consumer webmail",
            "low",
            "Someone claiming to represent a firm or institute but writing from Gmail, Outlook or Proton cannot be "
            "tied to that organisation.",
            _VERIFY,
            "Tortoiseshell (Iran, 2021): spoofed organisations",
            "tradecraft.md, Company: no web presence, registry entry or other staff",
        )
    ),
]
