"""Watchlist indicators (family `watchlist`): the sender, their firm or their contact details are on a list.

One detector per kind of identifier, because they differ in how sure a hit is. A listed profile URL or
messenger id is that persona. A firm's name or a mail domain can be reused by an innocent business. A person's
name is the weakest: names are shared by thousands, so a name counts only with the listed firm, or, when the
sender shows no firm at all, if it is exactly the listed name *and* the sender presents as a recruiter (the
role every published persona played). Nationality, location and the language of a name are never read.

All five need `ctx.watchlist` and yield nothing without it. A finding's `value` is the entry id; its sources
are the entry's own citation followed by the tradecraft line the detector rests on.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from counterpitch.detectors.base import Detector, DetectorMeta, Span, whole
from counterpitch.detectors.context import Context
from counterpitch.model import Approach, Evidence, Finding, PersonProfile, Profile, Severity
from counterpitch.watchlist import (
    COMPANY_THRESHOLD,
    COMPANY_WITH_NAME_THRESHOLD,
    Watchlist,
    WatchlistEntry,
    emails_in,
)

SOURCE_LIST = "tradecraft.md, Company: on a published watchlist (MI5, BfV, press)"
SOURCE_PERSONA = (
    "tradecraft.md, Public cases: headhunter and think-tank personas named by MI5 (18 Nov 2025) and the BfV "
    "(2017); the Mallory hand-off to 'Michael Yang'"
)
SOURCE_OFF_PLATFORM = "tradecraft.md, Message: an early move to WeChat, WhatsApp, Telegram, personal e-mail or phone"
GUIDANCE = (
    "Do not reply, accept the invitation or move to another app. Keep the message and report it to your "
    "security team; don't confront the sender (NPSA, Think Before You Link)."
)
#: The one case in which a bare name counts: the sender presents as a recruiter, as every listed persona did.
RECRUITER_HEADLINE = re.compile(
    r"\b(?:head-?hunt\w*|recruit\w*|talent (?:acquisition|partner|scout|search|sourc\w*)|"
    r"executive search|staffing|personalberat\w*)",
    re.IGNORECASE,
)
_HEADLINE_SPLIT = re.compile(r"\s+(?:at|bei|chez)\s+|\s*[@|•·,;]\s*|\s+[-–—]\s+", re.IGNORECASE)
_AT = re.compile(r"@|\b(?:at|bei|chez)\b", re.IGNORECASE)
_NAME_ONLY_STRENGTH = 0.5

Hit = tuple[WatchlistEntry, Evidence, float]


def _listed(entry: WatchlistEntry) -> str:
    return f"on the {entry.origin or 'watchlist'} as {entry.label()} (source: {entry.source}, {entry.date})"


@lru_cache(maxsize=4096)
def headline_parts(headline: str) -> tuple[tuple[int, int, bool], ...]:
    """Pieces of a headline ('CEO at X | Y') as offsets, and whether each follows 'at' or '@' (so names a firm).

    Memoised: several watchlist detectors read the same sender's headline, and senders recur."""
    return tuple(_headline_parts(headline))


def _headline_parts(headline: str) -> Iterator[tuple[int, int, bool]]:
    start, after_at = 0, False
    for m in [*_HEADLINE_SPLIT.finditer(headline), None]:
        end = m.start() if m else len(headline)
        s, e = start, end
        while s < e and headline[s].isspace():
            s += 1
        while e > s and headline[e - 1].isspace():
            e -= 1
        if e > s:
            yield s, e, after_at
        start = m.end() if m else end
        after_at = m is not None and bool(_AT.search(m.group()))


def stated_firms(sender: PersonProfile) -> list[Span]:
    """The firms the sender states: the company field, each position's company, and 'at X' in the headline."""
    spans = [whole("sender.company", sender.company)] if sender.company else []
    for i, pos in enumerate(sender.experience or ()):
        if pos.company:
            spans.append(whole(f"sender.experience[{i}].company", pos.company))
    headline = sender.headline or ""
    spans.extend(Span("sender.headline", s, e, headline) for s, e, at in headline_parts(headline) if at)
    return spans


def firm_spans(sender: PersonProfile) -> list[Span]:
    """Stated firms plus every other piece of the headline, where cover firms are often named."""
    spans = stated_firms(sender)
    headline = sender.headline or ""
    spans.extend(Span("sender.headline", s, e, headline) for s, e, at in headline_parts(headline) if not at)
    return spans


def _written(approach: Approach) -> Iterator[tuple[str, str]]:
    """Where an address or handle may be written: the message, every turn of the thread, the profile."""
    if approach.subject:
        yield "subject", approach.subject
    yield "text", approach.text
    for i, turn in enumerate(approach.thread):
        yield f"thread[{i}].text", turn.text
    if approach.sender:
        for name in ("email", "headline", "about"):
            value = getattr(approach.sender, name)
            if value:
                yield f"sender.{name}", value


def _grouped(hits: Iterable[Hit]) -> list[tuple[WatchlistEntry, list[Evidence], float]]:
    """One group per entry, in order first seen, with its distinct pieces of evidence and best strength."""
    groups: dict[str, tuple[WatchlistEntry, list[Evidence], float]] = {}
    for entry, evidence, strength in hits:
        _, evs, best = groups.setdefault(entry.id, (entry, [], strength))
        if evidence not in evs:
            evs.append(evidence)
        groups[entry.id] = (entry, evs, max(best, strength))
    return list(groups.values())


@dataclass(frozen=True)
class WatchlistDetector(Detector):
    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        if ctx.watchlist is None or not isinstance(subject, Approach):
            return
        yield from self.hits(subject, ctx.watchlist)

    @abstractmethod
    def hits(self, approach: Approach, watchlist: Watchlist) -> Iterator[Finding]:
        """Findings against one loaded watchlist."""

    def hit(
        self,
        entry: WatchlistEntry,
        evidence: Iterable[Evidence],
        explanation: str,
        strength: float = 1.0,
        severity: Severity | None = None,
    ) -> Finding:
        found = self.finding(evidence, value=entry.id, strength=strength, explanation=explanation, severity=severity)
        return found.model_copy(update={"sources": (entry.citation, *self.meta.sources)})


@dataclass(frozen=True)
class ProfileUrl(WatchlistDetector):
    def hits(self, approach: Approach, watchlist: Watchlist) -> Iterator[Finding]:
        sender = approach.sender
        if sender is None or not sender.profile_url:
            return
        span = whole("sender.profile_url", sender.profile_url)
        for entry in watchlist.by_profile_url(sender.profile_url):
            yield self.hit(entry, [span.evidence()], f"The sender's profile address is {_listed(entry)}.")


@dataclass(frozen=True)
class NameCompany(WatchlistDetector):
    def hits(self, approach: Approach, watchlist: Watchlist) -> Iterator[Finding]:
        sender = approach.sender
        if sender is None or not sender.name:
            return
        name = whole("sender.name", sender.name)
        firms = firm_spans(sender)
        recruiter = RECRUITER_HEADLINE.search(sender.headline or "")
        for match in watchlist.match_person(sender.name):
            entry, exact = match.entry, match.score >= 100
            scored = [(watchlist.persona_firm_similarity(entry, f.text[f.start : f.end]), f) for f in firms]
            score, firm = max(scored, key=lambda t: t[0], default=(0.0, name))
            # One side may be fuzzy, not both: a near name needs the firm as close as a firm alone would.
            if entry.company and score >= (COMPANY_WITH_NAME_THRESHOLD if exact else COMPANY_THRESHOLD):
                yield self.hit(
                    entry,
                    [name.evidence(), firm.evidence()],
                    f"The sender's name and firm match a persona {_listed(entry)}.",
                    strength=match.score * score / 10_000,
                )
            elif entry.company and stated_firms(sender):
                continue  # a namesake at another firm
            elif exact and recruiter:  # name only: exact, from someone presenting as a recruiter
                headline = Span("sender.headline", recruiter.start(), recruiter.end(), sender.headline or "")
                yield self.hit(
                    entry,
                    [name.evidence(), headline.evidence()],
                    f"The sender has exactly the name of a recruiter persona {_listed(entry)}, and presents "
                    "as a recruiter. Many real people share the name and the firm could not be compared: "
                    "check the profile before trusting it.",
                    strength=_NAME_ONLY_STRENGTH,
                    severity="medium",
                )


@dataclass(frozen=True)
class Company(WatchlistDetector):
    def hits(self, approach: Approach, watchlist: Watchlist) -> Iterator[Finding]:
        if approach.sender is None:
            return
        hits: list[Hit] = []
        for span in firm_spans(approach.sender):
            quote = span.text[span.start : span.end]
            hits.extend((m.entry, span.evidence(), m.score / 100) for m in watchlist.match_company(quote))
        for entry, evidence, strength in _grouped(hits):
            yield self.hit(entry, evidence, self._explain(entry, watchlist), strength=strength)

    @staticmethod
    def _explain(entry: WatchlistEntry, watchlist: Watchlist) -> str:
        if entry.kind == "persona":
            firm = f"the firm of a persona {_listed(entry)}"
        else:
            personas = ", ".join(p.name for p in watchlist.personas_at(entry))
            firm = f"a firm {_listed(entry)}" + (f"; personas shown there: {personas}" if personas else "")
        return (
            f"The sender's firm matches {firm}. An unrelated business can carry a similar name: check the "
            "firm independently before you engage."
        )


@dataclass(frozen=True)
class EmailDomain(WatchlistDetector):
    def hits(self, approach: Approach, watchlist: Watchlist) -> Iterator[Finding]:
        hits: list[Hit] = []
        domains: dict[str, str] = {}
        for field, text in _written(approach):
            for found in emails_in(text):
                for m in watchlist.by_email_domain(found.value.rpartition("@")[2]):
                    hits.append((m.entry, Span(field, found.start, found.end, text).evidence(), 1.0))
                    domains.setdefault(m.entry.id, m.listed)
        for entry, evidence, strength in _grouped(hits):
            explanation = f"The e-mail domain {domains[entry.id]} is {_listed(entry)}."
            yield self.hit(entry, evidence, explanation, strength=strength)


@dataclass(frozen=True)
class ContactHandle(WatchlistDetector):
    def hits(self, approach: Approach, watchlist: Watchlist) -> Iterator[Finding]:
        hits: list[Hit] = [
            (h.entry, Span(field, h.start, h.end, text).evidence(), 1.0)
            for field, text in _written(approach)
            for h in watchlist.contacts_in(text)
        ]
        for entry, evidence, strength in _grouped(hits):
            explanation = f"A contact detail in this approach ({evidence[0].quote}) is {_listed(entry)}."
            yield self.hit(entry, evidence, explanation, strength=strength)


DETECTORS: list[Detector] = [
    ProfileUrl(
        DetectorMeta(
            id="watchlist.profile_url",
            reads="sender",
            title="Sender's profile is on a watchlist",
            severity="high",
            explanation="The sender's profile address is one published as a hostile persona's.",
            guidance=GUIDANCE,
            sources=(SOURCE_LIST, SOURCE_PERSONA),
            attack=("T1585.001", "T1566.003"),
        )
    ),
    NameCompany(
        DetectorMeta(
            id="watchlist.name_company",
            reads="sender",
            title="Sender matches a published persona",
            severity="high",
            explanation="The sender's name and firm match a persona a security service published.",
            guidance=GUIDANCE,
            sources=(SOURCE_LIST, SOURCE_PERSONA),
            attack=("T1585.001", "T1566.003"),
        )
    ),
    Company(
        DetectorMeta(
            id="watchlist.company",
            reads="sender",
            title="Sender's firm is on a watchlist",
            severity="medium",
            explanation="The sender's firm matches a cover firm a security service published.",
            guidance=GUIDANCE,
            sources=(SOURCE_LIST,),
            attack=("T1585.001",),
        )
    ),
    EmailDomain(
        DetectorMeta(
            id="watchlist.email_domain",
            title="E-mail domain is on a watchlist",
            severity="medium",
            explanation="An e-mail address in this approach uses a domain on a watchlist.",
            guidance=GUIDANCE,
            sources=(SOURCE_LIST,),
            attack=("T1585.002", "T1583.001"),
        )
    ),
    ContactHandle(
        DetectorMeta(
            id="watchlist.contact_handle",
            title="Contact detail is on a watchlist",
            severity="high",
            explanation="A messenger id, phone number or e-mail address in this approach is on a watchlist.",
            guidance=GUIDANCE,
            sources=(SOURCE_LIST, SOURCE_OFF_PLATFORM),
            attack=("T1585.001", "T1566.003"),
        )
    ),
]
