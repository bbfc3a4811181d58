"""What is shared, before any format: campaigns, the personas that wrote, their indicators, sightings, ATT&CK ids.

The same collection is made from a file of approaches (`campaigns link -f stix`, linked by campaigns/batch.py) and
from the service's store (`share export`), so both write the same objects. Indicators are the campaign link keys
of the sender's identity families (campaigns/indicators.py: profile URL, e-mail, messenger id, phone, mail
domain), already normalised, so the keys double as the input of the deterministic ids (vocab.det_uuid).

Staff never leave: `StaffGuard` holds the names, addresses and profiles of every member of staff and every
recipient in the input; an indicator equal to one is dropped, a persona field that mentions one is withheld,
and `StaffGuard.check` reads the finished text once more and refuses to hand it over if any is still there.
Those approached appear only as counts.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from counterpitch.campaigns.indicators import Features, extract
from counterpitch.detectors.exposure.contacts import WEBMAIL
from counterpitch.model import Approach, PersonProfile
from counterpitch.watchlist import normalise_email, normalise_person, normalise_phone, normalise_profile_url

#: Link-key families that say who the sender is, and so are shared as indicators.
SHARED_FAMILIES = ("url", "email", "handle", "phone", "domain")
#: Staff identifiers shorter than this (letters and digits) are not searched for in text (too likely anywhere).
MIN_STAFF_TEXT = 5
#: Identifiers of more words than this are not searched for as phrases (their parts are, where they are names).
MAX_PHRASE = 12
_WORD = re.compile(r"\w+")


class StaffLeak(ValueError):
    """The finished export still holds a staff identifier: nothing is written."""


@dataclass
class StaffGuard:
    """Everything that would identify a member of staff or a recipient, normalised and as written."""

    names: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    #: The mail domains of staff addresses: any address there is a colleague's, never a persona's to share.
    domains: set[str] = field(default_factory=set)
    #: Every identifier as its words, lower-case ('wilhelmina quarrington', 'w quarrington ministry example gov').
    phrases: set[str] = field(default_factory=set)
    #: The most words any phrase has.
    longest: int = 0

    def _phrase(self, text: str) -> None:
        words = _words(text)
        if len("".join(words)) >= MIN_STAFF_TEXT and len(words) <= MAX_PHRASE:
            self.phrases.add(" ".join(words))
            self.longest = max(self.longest, len(words))

    def add_person(self, name: str | None = None, email: str | None = None, url: str | None = None) -> None:
        if name and (n := normalise_person(name)):
            self.names.add(n)
            self._phrase(name)
        if email and (e := normalise_email(email)):
            self.emails.add(e)
            self._phrase(e)
            domain = e.rpartition("@")[2]
            if not WEBMAIL.search(domain):
                self.domains.add(domain)
        if url and (u := normalise_profile_url(url)):
            self.urls.add(u)
            self._phrase(u)
            self._phrase(u.rpartition("/")[2])

    def add_recipient(self, approach: Approach) -> None:
        r = approach.recipient
        if r is not None:
            self.add_person(r.name, r.email, r.profile_url)

    def holds_key(self, key: str) -> bool:
        family, _, value = key.partition(":")
        if family == "email":
            return value in self.emails or value.rpartition("@")[2] in self.domains
        return (family == "url" and value in self.urls) or (family == "domain" and value in self.domains)

    def _found(self, text: str) -> bool:
        """Whether any identifier's words stand in `text` as consecutive words: one pass over the text's word
        runs, however many staff there are."""
        if not self.phrases:
            return False
        words = _words(text)
        return any(
            " ".join(words[i : i + n]) in self.phrases
            for n in range(1, self.longest + 1)
            for i in range(len(words) - n + 1)
        )

    def mentions(self, text: str | None) -> bool:
        """Whether `text` names a member of staff (whole name, address or profile), case-insensitively."""
        if not text:
            return False
        return normalise_person(text) in self.names or self._found(text)

    def check(self, serialised: str, what: str) -> None:
        """Refuse the finished JSON if any staff identifier is in any of its strings (it never should be: belt and
        braces). Read decoded, so a name escaped as \\u00eb in the JSON is found as well."""
        strings: list[str] = []
        stack: list[Any] = [json.loads(serialised)]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                strings.append(item)
            elif isinstance(item, dict):
                strings.extend(k for k in item if isinstance(k, str))
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
        if self._found("\n".join(strings)):
            raise StaffLeak(f"{what}: a staff name, address or profile is in the output; nothing was written")


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class ReportIn:
    """One report as sharing reads it: the approach, when it was reported, who was targeted, ATT&CK ids."""

    approach: Approach
    at: datetime
    target: str
    attack: tuple[str, ...] = ()
    #: The sectors of the person approached, as the targeting detector names them (defence, government, ...).
    sectors: tuple[str, ...] = ()


@dataclass
class Seen:
    """How often and when: what a STIX sighting carries."""

    count: int = 0
    first: datetime | None = None
    last: datetime | None = None

    def add(self, at: datetime) -> None:
        self.count += 1
        self.first = at if self.first is None else min(self.first, at)
        self.last = at if self.last is None else max(self.last, at)


@dataclass
class SharedIndicator:
    #: The campaign link key, e.g. 'url:linkedin.com/in/jane-doe-42', 'handle:abc_123', 'domain:x.example'.
    key: str
    #: What it is, as campaigns name it: profile_url, email, email_domain, wechat, telegram, whatsapp, phone...
    kind: str
    #: The normalised value shared.
    value: str
    seen: Seen = field(default_factory=Seen)

    @property
    def family(self) -> str:
        return self.key.partition(":")[0]


@dataclass
class SharedPersona:
    #: The sender's identity (campaigns: profile URL, else e-mail, else name|firm).
    key: str
    name: str | None
    headline: str | None
    company: str | None
    profile_url: str | None
    indicators: dict[str, None] = field(default_factory=dict)
    seen: Seen = field(default_factory=Seen)

    @property
    def presented(self) -> str:
        """How the profile presented itself: the headline, with the firm when the headline does not name it."""
        head, firm = self.headline or "", self.company or ""
        if firm and firm.casefold() not in head.casefold():
            return f"{head} at {firm}" if head else firm
        return head


@dataclass
class SharedCampaign:
    key: str
    targets: set[str] = field(default_factory=set)
    personas: dict[str, None] = field(default_factory=dict)
    indicators: dict[str, None] = field(default_factory=dict)
    attack: dict[str, None] = field(default_factory=dict)
    #: Sector -> the people approached in it (counted, never named).
    sectors: dict[str, set[str]] = field(default_factory=dict)
    seen: Seen = field(default_factory=Seen)

    def roles(self) -> str:
        """'2 in defence, 1 in government': who was approached, as counts by sector."""
        return ", ".join(f"{len(who)} in {sector}" for sector, who in sorted(self.sectors.items()))


@dataclass
class ShareSet:
    organisation: str
    campaigns: list[SharedCampaign] = field(default_factory=list)
    personas: dict[str, SharedPersona] = field(default_factory=dict)
    indicators: dict[str, SharedIndicator] = field(default_factory=dict)


def _value(key: str, label: str) -> str:
    family, _, value = key.partition(":")
    if family == "phone":
        return normalise_phone(label) or value
    return value


def _persona(sender: PersonProfile, key: str, guard: StaffGuard) -> SharedPersona:
    def keep(text: str | None) -> str | None:
        return None if guard.mentions(text) else (" ".join(text.split()) if text else None)

    url = normalise_profile_url(sender.profile_url or "")
    return SharedPersona(
        key=key,
        name=keep(sender.name),
        headline=keep(sender.headline),
        company=keep(sender.company),
        profile_url=None if url is None or url in guard.urls else f"https://www.{url}",
    )


def _campaign_key(features: Sequence[Features], local: str) -> str:
    """The smallest identity key of the campaign's senders, so another organisation that saw the same persona
    names the campaign alike; a campaign linked by firm or text alone keeps the exporter's own key."""
    keys = [k.key for f in features for k in f.keys if k.family in ("url", "email", "handle")]
    return f"campaign|{min(keys)}" if keys else f"campaign|local|{local}"


def collect(organisation: str, groups: Iterable[tuple[str, Sequence[ReportIn]]], guard: StaffGuard) -> ShareSet:
    """The share set of campaigns given as (local key, reports); `guard` must already know the staff."""
    out = ShareSet(organisation)
    groups = list(groups)
    for _, reports in groups:
        for r in reports:
            guard.add_recipient(r.approach)
    for local, reports in groups:
        features = [extract(r.approach) for r in reports]
        campaign = SharedCampaign(_campaign_key(features, local))
        for r, f in zip(reports, features, strict=True):
            campaign.seen.add(r.at)
            campaign.targets.add(r.target)
            campaign.attack.update(dict.fromkeys(r.attack))
            for sector in r.sectors:
                campaign.sectors.setdefault(sector, set()).add(r.target)
            persona: SharedPersona | None = None
            staff = f.sender in guard.urls or f.sender in guard.emails
            if f.sender and r.approach.sender is not None and not staff:
                persona = out.personas.get(f.sender) or _persona(r.approach.sender, f.sender, guard)
                out.personas[f.sender] = persona
                persona.seen.add(r.at)
                campaign.personas[f.sender] = None
            for k in f.keys:
                if k.family not in SHARED_FAMILIES or guard.holds_key(k.key) or guard.mentions(k.label):
                    continue
                ind = out.indicators.get(k.key) or SharedIndicator(k.key, k.kind, _value(k.key, k.label))
                out.indicators[k.key] = ind
                ind.seen.add(r.at)
                campaign.indicators[k.key] = None
                if persona is not None:
                    persona.indicators[k.key] = None
        out.campaigns.append(campaign)
    return out
