"""Link indicators of one approach: what two reports must share to be counted as one campaign.

Every indicator is a key string: two reports with an equal key are link candidates. Identity keys (profile URL,
e-mail address, messenger id, phone number) link on their own. Organisation keys (the sender's firm, a mail
domain that is not public webmail) and text keys (MinHash LSH bands, minhash.py) are capped by the hot-key rule
in linking.py, because many unrelated people share them. A name key joins the sender's firm to a consonant
skeleton of their name, so 'Jon Smith' and 'John Smyth' at the same firm land on one key; linking then checks
the names with rapidfuzz. docs/decisions/0020-campaign-indicators.md gives the rules and why.

Everything is normalised by watchlist.py's functions and found in text by the same patterns as the watchlist
and exposure detectors. Nationality, location and the language of a name are never read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

import re2  # google-re2, as the detectors use it
import yaml

from counterpitch.campaigns.minhash import words
from counterpitch.detectors.exposure.contacts import (
    DIGIT_RUN,
    MESSENGER,
    MESSENGER_INDEX,
    PHONE,
    WEBMAIL,
    phone_ok,
)
from counterpitch.detectors.watchlist import headline_parts
from counterpitch.model import Approach, PersonProfile
from counterpitch.text import clean, message_fields
from counterpitch.watchlist import (
    emails_in,
    normalise_company,
    normalise_domain,
    normalise_email,
    normalise_handle,
    normalise_person,
    normalise_phone,
    normalise_profile_url,
)

#: Key kinds: how a key is checked before it links two reports (linking.py).
IDENTITY = frozenset({"url", "email", "handle", "phone"})
CAPPED = frozenset({"company", "domain", "text"})
#: The longest key stored (link_keys.key is String(160)); longer ones end in a digest of the whole.
MAX_KEY = 160
#: Keys kept per report (text bands come on top): a report listing hundreds of addresses must not cost
#: hundreds of lookups; the first ones written are kept.
MAX_KEYS = 40
#: A messenger id shorter than this is too likely to be a word ('me', 'us', 'here'); the watchlist's own limit.
MIN_HANDLE = 5
_HANDLE_SHAPE = re.compile(r"^\w+(?:[.\-]\w+)*$")
_APP = re.compile(
    r"(?i)whats\s?app|wa\.me|telegram|t\.me|we\s?chat|weixin|\u5fae\u4fe1|signal(?:\.me)?|discord|viber|threema|"
    r"wickr|skype|kakao\s?talk|\bline\b|\bqq\b"
)
_APP_KIND = {
    "wa.me": "whatsapp",
    "t.me": "telegram",
    "weixin": "wechat",
    "\u5fae\u4fe1": "wechat",
    "signal.me": "signal",
}
#: Where an app's name may be (a superset of the exposure pattern's apps; RE2: linear, one pass), and how far
#: before and after it the pattern is run ("message me on WeChat", "WeChat ID: <32 characters>").
_APP_AT = re2.compile(
    r"(?i)whats\s?app|wa\.me|telegram|t\.me|we\s?chat|weixin|\x{5fae}\x{4fe1}|signal|discord|viber|threema|wickr|"
    r"skype|kakao|line|qq"
)
_BEFORE_APP, _AFTER_APP = 48, 64
_ID_LEAD = re.compile(r"(?i)^[\s:=/]*(?:(?:id|handle|user\s?name|number|no\.?|at|on|is)\b[\s:=]*)*")
_VOWELS = str.maketrans("", "", "aeiouyhw")


class Key(NamedTuple):
    #: What the key is, as an analyst reads it: profile_url, email, email_domain, wechat, telegram, ...
    kind: str
    #: The index key: '<family>:<normalised value>', the family being one of IDENTITY, CAPPED or 'name'.
    key: str
    #: The value as shown.
    label: str

    @property
    def family(self) -> str:
        return self.key.partition(":")[0]


@dataclass(frozen=True)
class Features:
    """What linking needs of one approach; computed once per report."""

    keys: tuple[Key, ...]
    #: Who sent it (profile URL, else e-mail, else name and firm); '' when the report does not say.
    sender: str
    #: The sender's normalised name, which a name key's candidates are checked against.
    name: str
    #: Words of the message (subject, text, the sender's turns), for its MinHash signature.
    words: list[str] = field(default_factory=list)


@cache
def _employers() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    doc = yaml.safe_load((resources.files("counterpitch") / "data" / "campaign_employers.yaml").read_text("utf-8"))

    def compact(names: list[str]) -> frozenset[str]:
        return frozenset(normalise_company(n).replace(" ", "") for n in names)

    return compact(doc["not_a_firm"]), compact(doc["large_employers"]), frozenset(doc["suffixes"])


def is_large_employer(firm: str) -> bool:
    """A listed large employer, maybe followed by words such as 'UK' or 'Recruitment' ('Hays Recruitment')."""
    _, large, suffixes = _employers()
    words = firm.split()
    for n in range(len(words), 0, -1):
        if "".join(words[:n]) in large:
            return all(w in suffixes for w in words[n:])
    return False


def bounded(key: str) -> str:
    """`key`, or its first part and a digest of the whole when it is longer than a key may be."""
    if len(key) <= MAX_KEY:
        return key
    return key[: MAX_KEY - 33] + "#" + hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


def skeleton(name: str) -> str:
    """A normalised name's words reduced to first letter plus consonants, doubled letters once: smyth -> smt."""
    out = []
    for word in name.split():
        rest = word[1:].translate(_VOWELS)
        squeezed = "".join(c for i, c in enumerate(rest) if i == 0 or c != rest[i - 1])
        out.append(word[0] + squeezed)
    return " ".join(out)


def _written(approach: Approach) -> Iterator[str]:
    """Text the sender wrote or published: the message, their turns of the thread, their e-mail and profile."""
    for _, text in message_fields(approach):
        yield text
    sender = approach.sender
    if sender is not None:
        yield from (v for v in (sender.email, sender.headline, sender.about) if v)


@lru_cache(maxsize=65_536)
def _company(firm: str) -> str:
    """normalise_company, remembered: firms recur across senders (every persona of a cover firm, big employers)."""
    return normalise_company(firm)


@lru_cache(maxsize=65_536)
def _person(name: str) -> str:
    """normalise_person, remembered: a persona writes to many people under one name."""
    return normalise_person(name)


def _firm(sender: PersonProfile) -> str:
    """The sender's stated firm: the company field, else the first 'at X' piece of the headline."""
    if sender.company:
        return sender.company.strip()
    headline = sender.headline or ""
    return next((headline[s:e] for s, e, at in headline_parts(headline) if at), "")


def _messenger_keys(text: str) -> Iterator[Key]:
    """Messenger ids and numbers after an app's name, by the exposure detector's pattern.

    That pattern is slow to search a whole message with, so RE2 finds each app's name and the pattern runs on
    a window around it. 'Add me on WeChat: abc_123' first matches as 'Add me on WeChat', without an id, so the
    search resumes at the app's name."""
    pos = 0
    while (at := _APP_AT.search(text, pos)) is not None:
        m = MESSENGER.search(text, max(pos, at.start() - _BEFORE_APP), min(len(text), at.end() + _AFTER_APP))
        app = _APP.search(m.group()) if m is not None else None
        if m is None or app is None:
            pos = at.end()
            continue
        pos = m.end()
        name = app.group().lower().replace(" ", "")
        kind = _APP_KIND.get(name, name)
        value = _ID_LEAD.sub("", m.group()[app.end() :]).strip()
        phone = normalise_phone(value) if value else None
        handle = normalise_handle(value)
        if phone:
            yield Key(kind, f"phone:{phone[-9:]}", value)
        elif len(handle) >= MIN_HANDLE and _HANDLE_SHAPE.match(handle):
            yield Key(kind, f"handle:{handle}", handle)
        elif app.start() > 0:
            pos = m.start() + app.start()


def _contact_keys(approach: Approach, own_email: str | None) -> Iterator[Key]:
    own_domain = own_email.rpartition("@")[2] if own_email else None
    sender_email = normalise_email(approach.sender.email or "") if approach.sender else None
    addresses = [sender_email] if sender_email else []
    for raw in _written(approach):
        text = clean(raw)
        if "@" in text:
            addresses.extend(hit.value for hit in emails_in(text))
        if MESSENGER_INDEX.present(text):  # the exposure detector's cheap test for a messenger's name
            yield from _messenger_keys(text)
        if DIGIT_RUN.search(text) is None:
            continue
        for m in PHONE.finditer(text):
            phone = normalise_phone(m.group()) if phone_ok(text, m) else None
            if phone and len(phone) >= 9:
                yield Key("phone", f"phone:{phone[-9:]}", " ".join(m.group().split()))
    for address in dict.fromkeys(addresses):
        if address == own_email:
            continue
        yield Key("email", f"email:{address}", address)
        domain = normalise_domain(address.rpartition("@")[2])
        if domain and domain != own_domain and not WEBMAIL.search(domain):
            yield Key("email_domain", f"domain:{domain}", domain)


def _sender_keys(sender: PersonProfile) -> tuple[list[Key], str, str]:
    """Keys of the sender's profile URL, firm and name; the sender's identity; their normalised name."""
    keys: list[Key] = []
    url = normalise_profile_url(sender.profile_url or "")
    if url:
        keys.append(Key("profile_url", f"url:{url}", url))
    name = _person(sender.name or "")
    firm = _firm(sender)
    firm_words = _company(firm)
    compact = firm_words.replace(" ", "")
    not_a_firm = _employers()[0]
    if len(compact) < 3 or compact in not_a_firm:
        compact = ""
    elif not is_large_employer(firm_words):
        keys.append(Key("company", f"company:{compact}", firm))
    words = [w for w in name.split() if len(w) >= 2]
    if compact and len(words) >= 2:
        keys.append(Key("name", f"name:{compact}|{skeleton(' '.join(words))}", f"{sender.name} ({firm})"))
    email = normalise_email(sender.email or "")
    identity = url or email or (f"{name}|{compact}" if name else "")
    return keys, identity, name


def extract(approach: Approach) -> Features:
    """The link keys of one approach, distinct, in a stable order."""
    own = normalise_email(approach.recipient.email or "") if approach.recipient else None
    keys: list[Key] = []
    identity = name = ""
    if approach.sender is not None:
        keys, identity, name = _sender_keys(approach.sender)
    keys.extend(_contact_keys(approach, own))
    unique: dict[str, Key] = {}
    for k in keys:
        if len(unique) >= MAX_KEYS:
            break
        unique.setdefault(k.key, Key(k.kind, bounded(k.key), k.label))
    text_words = words(" \n ".join(text for _, text in message_fields(approach)))
    return Features(tuple(unique.values()), identity, name, text_words)
