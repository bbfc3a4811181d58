"""A persona's identifiers in the one canonical form every organisation computes alike, for matching by hash.

Two organisations can only match what they spell the same, so each identifier is normalised by the watchlist's
functions (the same ones screening and campaign linking use) and tagged with its kind:

=======  ==================================================================================================
url      the LinkedIn profile in canonical form: ``linkedin.com/in/<slug>``
email    the address, case-folded, the domain in IDNA form
handle   ``<app>:<id>``: the messenger (wechat, telegram, ...) and the id without '@' or a t.me/ link
phone    the last nine digits of a number, so '+44 7700 900123' and '07700 900123' agree
name     ``<name tokens, sorted>|<firm, compact>``: case, accents, titles, word order and the firm's legal form
         drop out; only with a firm, since a name alone is too common to mean one persona
=======  ==================================================================================================

A persona is one organisation's record of a sender: a watchlist entry, the approaches of a file that share an
identifier, or the reports of the service's campaigns that do. Nothing here reads nationality or location.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from counterpitch.campaigns.indicators import extract
from counterpitch.detectors.watchlist import headline_parts
from counterpitch.model import Approach, PersonProfile
from counterpitch.watchlist import (
    WatchlistEntry,
    normalise_company,
    normalise_email,
    normalise_handle,
    normalise_person,
    normalise_phone,
    normalise_profile_url,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

KINDS = ("url", "email", "handle", "phone", "name")
#: Other names of one messenger, as people write them in a watchlist.
_APP_ALIASES = {"weixin": "wechat", "wa": "whatsapp", "kakao": "kakaotalk", "tg": "telegram"}
#: Digits of a phone number compared (watchlist.normalise_phone: trunk prefixes and country codes drop out).
PHONE_TAIL = 9
#: A firm shorter than this (compact) says too little to pin a name to one persona.
MIN_FIRM = 3


class Identifier(NamedTuple):
    kind: str
    value: str

    def encoded(self) -> bytes:
        """The bytes hashed: kind and value, length-prefixed, so no two (kind, value) pairs share an encoding."""
        k, v = self.kind.encode("utf-8"), self.value.encode("utf-8")
        return len(k).to_bytes(2, "big") + k + len(v).to_bytes(4, "big") + v


@dataclass(frozen=True)
class Persona:
    """One organisation's persona: its local id (for that organisation to look up, never a staff member's) and
    its identifiers."""

    id: str
    identifiers: frozenset[Identifier]


def phone(value: str) -> Identifier | None:
    digits = normalise_phone(value)
    return Identifier("phone", digits[-PHONE_TAIL:]) if digits and len(digits) >= PHONE_TAIL else None


def handle(app: str, value: str) -> Identifier | None:
    """A messenger id, or its phone number when the 'id' is one (a WhatsApp number is a phone number)."""
    number = phone(value)
    if number is not None:
        return number
    h = normalise_handle(value)
    app = app.strip().casefold().replace(" ", "")
    return Identifier("handle", f"{_APP_ALIASES.get(app, app)}:{h}") if h and app else None


def name_with_firm(name: str, firm: str) -> Identifier | None:
    person = normalise_person(name)
    compact = normalise_company(firm).replace(" ", "")
    if len(person.split()) < 2 or len(compact) < MIN_FIRM:
        return None
    return Identifier("name", f"{person}|{compact}")


def _firm(sender: PersonProfile) -> str:
    """The sender's stated firm: the company field, else the first 'at X' piece of the headline."""
    if sender.company:
        return sender.company
    headline = sender.headline or ""
    return next((headline[s:e] for s, e, at in headline_parts(headline) if at), "")


def of_approach(approach: Approach) -> set[Identifier]:
    """The sender's identifiers: profile URL, e-mail, name with firm, and the contacts the message gives
    (campaign linking's identity keys: addresses, messenger ids, numbers; never the recipient's own address)."""
    found: set[Identifier] = set()
    for key in extract(approach).keys:
        family, _, value = key.key.partition(":")
        if family == "url":
            found.add(Identifier("url", value))
        elif family == "email":
            found.add(Identifier("email", value))
        elif family == "handle":
            found.add(Identifier("handle", f"{_APP_ALIASES.get(key.kind, key.kind)}:{value}"))
        elif family == "phone":
            found.add(Identifier("phone", value[-PHONE_TAIL:]))
    sender = approach.sender
    if sender is not None and sender.name:
        named = name_with_firm(sender.name, _firm(sender))
        if named is not None:
            found.add(named)
    return found


def of_entry(entry: WatchlistEntry) -> set[Identifier]:
    found: set[Identifier] = set()
    for url in entry.profile_urls:
        if (u := normalise_profile_url(url)) is not None:
            found.add(Identifier("url", u))
    for address in entry.emails:
        if (a := normalise_email(address)) is not None:
            found.add(Identifier("email", a))
    for app, value in entry.handles:
        if (h := handle(app, value)) is not None:
            found.add(h)
    for name in (entry.name, *entry.aliases):
        if entry.company and (n := name_with_firm(name, entry.company)) is not None:
            found.add(n)
    return found


def from_watchlist(entries: Iterable[WatchlistEntry]) -> list[Persona]:
    """Each persona entry with what identifies it (firm entries name no persona and are left out)."""
    out = []
    for e in entries:
        ids = of_entry(e) if e.kind == "persona" else set()
        if ids:
            out.append(Persona(e.id, frozenset(ids)))
    return out


def group(items: Iterable[tuple[str, set[Identifier]]]) -> list[Persona]:
    """Records sharing any identifier are one persona, named by its first record's id (input order kept)."""
    parent: list[int] = []
    ids: list[str] = []
    sets: list[set[Identifier]] = []
    owner: dict[Identifier, int] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for ref, found in items:
        if not found:
            continue
        me = len(parent)
        parent.append(me)
        ids.append(ref)
        sets.append(found)
        for ident in found:
            other = owner.setdefault(ident, me)
            a, b = root(other), root(me)
            if a != b:
                parent[max(a, b)] = min(a, b)  # the earlier record names the persona
    merged: dict[int, set[Identifier]] = {}
    for i, found in enumerate(sets):
        merged.setdefault(root(i), set()).update(found)
    return [Persona(ids[r], frozenset(s)) for r, s in sorted(merged.items())]


def from_approaches(approaches: Iterable[Approach]) -> list[Persona]:
    """Personas of a file of approaches, each named by the id of its first approach."""
    return group((a.id, of_approach(a)) for a in approaches)


def _stored(session: Session, all_reports: bool) -> Iterator[tuple[str, set[Identifier]]]:
    from sqlalchemy import select

    from counterpitch.store.tables import Report

    query = select(Report.id, Report.campaign_id, Report.approach_json).order_by(Report.id)
    if not all_reports:
        query = query.where(Report.campaign_id.is_not(None))
    for rid, cid, approach_json in session.execute(query.execution_options(yield_per=1_000)):
        approach = Approach.model_validate_json(approach_json)
        yield (f"campaign-{cid}/report-{rid}" if cid is not None else f"report-{rid}"), of_approach(approach)


def from_store(session: Session, all_reports: bool = False) -> list[Persona]:
    """Personas of the service's campaigns (with `all_reports`, of every stored report), each named by its
    campaign and first report: ids the organisation can look up and nobody else can read anything into."""
    return group(_stored(session, all_reports))
