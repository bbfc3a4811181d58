"""The watchlist: personas and cover firms that security services named in public, plus a user's own lists.

A published name is the strongest single indicator the tool has and the easiest to get wrong: "Rachel Li" is a
common name and the Shanghai Academy of Social Sciences a real institute. So every entry carries its source,
everything is compared in a normalised form computed once when the list is loaded (never per message), fuzzy
name matches need the firm as well (the detectors enforce this), and nothing about nationality or location is
stored or compared. docs/decisions/0006-watchlist-matching.md gives the thresholds and why.

Files are YAML (a mapping with an ``entries`` list, or a bare list of entries) or CSV (UTF-8, one entry a row,
a header naming the columns; only id, kind, name, source and date are required; cells holding several values
separate them with ``;``). Fields and columns:

==============  =========================================================================================
id              stable lower-case id, e.g. ``mi5-2025-amanda-qiu``; unique across every file loaded
kind            ``persona`` or ``company``
name            the persona's name, or the firm's
company         persona only: the firm the persona claimed
aliases         other spellings of the name (for a company: other names of the firm)
profile_urls    LinkedIn profile or company-page URLs, as published
email_domains   domains the persona or firm mails from (never a public webmail domain)
emails          e-mail addresses
handles         messenger ids and phone numbers. CSV: ``kind:value`` pairs, e.g.
                ``wechat:abc_123;telegram:@abc_def;phone:+44 20 7946 0000``; YAML: a mapping of kind to a
                value or a list of values
source          who published it, in words
source_url      the public page, where there is one
date            date of the publication, ISO: YYYY-MM-DD, YYYY-MM or YYYY
notes           what a reader of a finding should know
company_alone   ``false`` when the persona's firm is a real organisation whose name was borrowed: the firm
                then counts only together with the persona's name. Default ``true``
==============  =========================================================================================
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date as Date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, NamedTuple
from urllib.parse import unquote, urlsplit

import yaml
from rapidfuzz import fuzz, process

from counterpitch.text import clean

Kind = Literal["persona", "company"]

#: Fuzzy thresholds, rapidfuzz scores 0..100 (docs/decisions/0006-watchlist-matching.md).
NAME_THRESHOLD = 90.0
COMPANY_WITH_NAME_THRESHOLD = 85.0
COMPANY_THRESHOLD = 92.0
#: A firm's name shorter than this (letters and digits) must match exactly: one edit makes another firm.
SHORT_NAME = 6
SEED_NAME = "built-in seed watchlist"

# ---------------------------------------------------------------------------------------------------------
# Normalisers: total functions (never raise) from what people type to the form the index keys on.

_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_JOINERS = re.compile(r"[.'’`´]")
_SPLIT = re.compile(r"[\W_]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Legal forms dropped from the end of a firm's name ("and" for "GmbH & Co. KG"), and titles from a person's.
_LEGAL_SUFFIXES = _words(
    "ltd limited llc llp lp plc inc incorporated corp corporation co company gmbh mbh ag kg ug ev ohg se "
    "pte pty sa sas sarl srl spa bv nv oy ab kk bhd sdn and"
)
_HONORIFICS = _words("mr mrs ms miss mx dr prof professor sir dame phd mba msc bsc jr")


def _fold(text: str) -> str:
    """Compatibility-decomposed, accents dropped, casefolded: 'Zoë', 'ZOE' and 'Ｚｏｅ' agree."""
    if text.isascii():  # nothing to decompose or drop (most names and firms): the per-character walk is skipped
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _tokens(text: str) -> list[str]:
    folded = _JOINERS.sub("", _PARENS.sub(" ", _fold(text)).replace("&", " and "))
    return [t for t in _SPLIT.split(folded) if t]


def normalise_company(name: str) -> str:
    """Casefolded words; punctuation, bracketed asides and trailing legal forms (Ltd, GmbH, Pte) dropped."""
    tokens = _tokens(name)
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in _LEGAL_SUFFIXES:
        tokens.pop()
    return " ".join(tokens)


def normalise_person(name: str) -> str:
    """Casefolded, accent-free words in sorted order, titles dropped: 'Dr. QIU Amanda' -> 'amanda qiu'."""
    return " ".join(sorted(t for t in _tokens(name) if t not in _HONORIFICS))


_DOMAIN = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")


def normalise_domain(domain: str) -> str | None:
    """Lower-case ASCII (IDNA) form of a mail domain, or None when it is not one."""
    d = unicodedata.normalize("NFKC", domain).strip().rstrip(".").casefold()
    try:
        d = d.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return d if _DOMAIN.match(d) else None


def normalise_email(address: str) -> str | None:
    a = unicodedata.normalize("NFKC", address).strip().strip("<>").casefold().removeprefix("mailto:")
    local, at, domain = a.rpartition("@")
    if not at or not local or any(c.isspace() or c in '<>(),;:"@[]\\' for c in local):
        return None
    d = normalise_domain(domain)
    return f"{local}@{d}" if d else None


_PHONE_SHAPE = re.compile(r"^\+?[\d\s().\-/]+$", re.ASCII)


def normalise_phone(number: str) -> str | None:
    """The digits of an E.164-style number, international prefix (+, 00) and trunk zeros dropped.

    Numbers are then compared by their trailing nine digits or more, so '+44 7700 900123' and '07700 900123'
    agree without a table of country codes.
    """
    s = unicodedata.normalize("NFKC", number).strip().replace("(0)", "")
    if not _PHONE_SHAPE.match(s):
        return None
    digits = re.sub(r"\D", "", s, flags=re.ASCII).lstrip("0")
    return digits if 7 <= len(digits) <= 15 else None


def normalise_handle(value: str) -> str:
    """A messenger id, lower-case, without '@' or a t.me/ link around it."""
    v = unicodedata.normalize("NFKC", value).strip().casefold()
    v = v.removeprefix("https://").removeprefix("http://").removeprefix("www.").removeprefix("t.me/")
    return v.lstrip("@")


_LINKEDIN_KINDS = {"in": 1, "company": 1, "school": 1, "showcase": 1, "pub": 4}
_MOBILE_PREFIXES = frozenset({"m", "mwlite", "mobile"})


def normalise_profile_url(url: str) -> str | None:
    """'linkedin.com/in/<slug>' (or /company/, /school/, /showcase/, /pub/...), or None if not such a URL.

    Scheme, www/country/mobile subdomains, mobile path prefixes, locale suffixes (/in/slug/en), sub-pages,
    query, fragment, trailing slashes, percent-encoding and case all drop out: LinkedIn slugs are
    case-insensitive.
    """
    s = unicodedata.normalize("NFKC", url).strip().strip("<>\"'")
    if not s:
        return None
    if "://" not in s:
        s = "https://" + s.lstrip("/")
    try:
        parts = urlsplit(s)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        return None
    path = unicodedata.normalize("NFKC", unquote(parts.path)).casefold()
    segments = [p.strip() for p in path.split("/") if p.strip()]
    while segments and segments[0] in _MOBILE_PREFIXES:
        segments = segments[1:]
    if len(segments) < 2 or segments[0] not in _LINKEDIN_KINDS:
        return None
    slug = segments[1 : 1 + _LINKEDIN_KINDS[segments[0]]]
    if any(c.isspace() for part in slug for c in part):
        return None
    return f"linkedin.com/{segments[0]}/{'/'.join(slug)}"


def company_similarity(a: str, b: str) -> float:
    """Similarity 0..100 of two normalised firm names; spacing ('BR-YR' / 'BRYR') does not count."""
    ca, cb = a.replace(" ", ""), b.replace(" ", "")
    if not ca or not cb:
        return 0.0
    if ca == cb:
        return 100.0
    if min(len(ca), len(cb)) < SHORT_NAME:
        return 0.0
    return max(fuzz.token_sort_ratio(a, b, processor=None), fuzz.ratio(ca, cb, processor=None))


def search_form(text: str) -> str:
    """`text` with quotes, dashes, accents and full-width forms mapped one character to one: offsets hold."""
    text = clean(text)
    if text.isascii():
        return text
    # Replace only the characters that change (few in a message): translating looks every character up.
    for c in set(text):  # the distinct characters, gathered in C
        if not c.isascii() and (plain := _fold_char(c)) != c:
            text = text.replace(c, plain)
    return text


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    """One character without its accents or full-width form, or itself when that would change the length."""
    d = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
    return d if len(d) == 1 else c


_EMAIL_IN_TEXT = re.compile(r"(?<![\w.%+\-])[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# A messenger id as written in text: word characters with inner dots or hyphens, maybe after '@', and not
# the local part of an e-mail address. Tokens are looked up in a dict, so the cost does not grow with the list.
_HANDLE_IN_TEXT = re.compile(r"(?<![\w.@\-])@?\w+(?:[.\-]\w+)*(?![\w@\-]|\.\w)")
_HANDLE_SHAPE = re.compile(r"^\w+(?:[.\-]\w+)*$")
_PHONE_IN_TEXT = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d \t().\-/]{5,22}\d(?!\d)", re.ASCII)


class TextHit(NamedTuple):
    start: int
    end: int
    value: str


def emails_in(text: str) -> Iterator[TextHit]:
    """E-mail addresses in `text` (offsets into it), each with its normalised form."""
    if "@" not in text:
        return
    for m in _EMAIL_IN_TEXT.finditer(search_form(text)):
        address = normalise_email(m.group())
        if address:
            yield TextHit(m.start(), m.end(), address)


# ---------------------------------------------------------------------------------------------------------
# Entries and the index


@dataclass(frozen=True)
class WatchlistEntry:
    id: str
    kind: Kind
    name: str
    source: str
    date: str
    company: str | None = None
    aliases: tuple[str, ...] = ()
    profile_urls: tuple[str, ...] = ()
    email_domains: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    #: (kind, value) pairs, e.g. ("wechat", "abc_123"), ("phone", "+44 20 7946 0000").
    handles: tuple[tuple[str, str], ...] = ()
    source_url: str | None = None
    notes: str = ""
    company_alone: bool = True
    #: Which list the entry came from: the seed list or a user's file. Set by the loader.
    origin: str = ""

    @property
    def citation(self) -> str:
        return f"{self.source} ({self.date})" + (f" <{self.source_url}>" if self.source_url else "")

    def label(self) -> str:
        return f"{self.name} ({self.company})" if self.company else self.name


class Match(NamedTuple):
    entry: WatchlistEntry
    score: float
    #: The listed form that matched, as the list spells it.
    listed: str


class ContactHit(NamedTuple):
    start: int
    end: int
    entry: WatchlistEntry


def _add(index: dict[str, list[str]], key: str | None, ident: str) -> None:
    if key and ident not in index.setdefault(key, []):
        index[key].append(ident)


class Watchlist:
    """Entries plus every lookup index, built once; plain dicts and lists, so it pickles to workers."""

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_fuzzy_memo"}

    def __init__(self, entries: Iterable[WatchlistEntry] = ()) -> None:
        self._entries = tuple(entries)
        self._by_id: dict[str, WatchlistEntry] = {}
        for e in self._entries:
            if e.id in self._by_id:
                raise ValueError(f"two watchlist entries share the id {e.id!r}")
            self._by_id[e.id] = e
        self._urls: dict[str, list[str]] = {}
        self._domains: dict[str, list[str]] = {}
        self._emails: dict[str, list[str]] = {}
        self._handles: dict[str, list[str]] = {}
        self._phones: dict[str, list[str]] = {}
        #: The last nine digits of each listed number -> the listed numbers.
        self._phone_tails: dict[str, list[str]] = {}
        companies: dict[str, list[str]] = {}
        persons: dict[str, list[str]] = {}
        self._listed: dict[tuple[str, str], str] = {}
        self._entry_firms: dict[str, tuple[str, ...]] = {}
        for e in self._entries:
            self._index_contacts(e)
            if e.kind == "company":
                for f in (e.name, *e.aliases):
                    self._listed.setdefault((e.id, normalise_company(f)), f)
                    _add(companies, normalise_company(f), e.id)
        # A persona's firm that is also a company entry is represented by that entry, once.
        listed_firms = set(companies)
        self._personas_at: dict[str, list[str]] = {}
        for e in self._entries:
            if e.kind != "persona":
                continue
            for n in (e.name, *e.aliases):
                self._listed.setdefault((e.id, normalise_person(n)), n)
                _add(persons, normalise_person(n), e.id)
            firm = normalise_company(e.company or "")
            if not firm:
                continue
            self._entry_firms[e.id] = (firm,)
            for owner in companies.get(firm, ()):
                _add(self._personas_at, owner, e.id)
            if e.company_alone and firm not in listed_firms:
                self._listed.setdefault((e.id, firm), e.company or "")
                _add(companies, firm, e.id)
        self._companies = {k: tuple(v) for k, v in companies.items()}
        self._company_keys = list(self._companies)
        self._company_compact = [k.replace(" ", "") for k in self._company_keys]
        self._persons = {k: tuple(v) for k, v in persons.items()}
        self._person_keys = list(self._persons)

    def _index_contacts(self, e: WatchlistEntry) -> None:
        for url in e.profile_urls:
            _add(self._urls, normalise_profile_url(url), e.id)
        for d in e.email_domains:
            _add(self._domains, normalise_domain(d), e.id)
        for a in e.emails:
            _add(self._emails, normalise_email(a), e.id)
        for _, value in e.handles:
            phone = normalise_phone(value)
            if phone:
                _add(self._phones, phone, e.id)
                _add(self._phone_tails, phone[-9:] if len(phone) >= 9 else None, phone)
            else:
                _add(self._handles, normalise_handle(value), e.id)

    # -- container ------------------------------------------------------------------------------------
    @property
    def entries(self) -> tuple[WatchlistEntry, ...]:
        return self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[WatchlistEntry]:
        return iter(self._entries)

    def __contains__(self, ident: object) -> bool:
        return ident in self._by_id

    def get(self, ident: str) -> WatchlistEntry:
        return self._by_id[ident]

    def personas_at(self, company: WatchlistEntry) -> tuple[WatchlistEntry, ...]:
        """The listed personas shown working at a listed company."""
        return self._get_all(self._personas_at.get(company.id, ()))

    def _get_all(self, ids: Iterable[str]) -> tuple[WatchlistEntry, ...]:
        return tuple(self._by_id[i] for i in ids)

    # -- exact lookups --------------------------------------------------------------------------------
    def by_profile_url(self, url: str) -> tuple[WatchlistEntry, ...]:
        key = normalise_profile_url(url)
        return self._get_all(self._urls.get(key, ())) if key else ()

    def by_email_domain(self, domain: str) -> tuple[Match, ...]:
        """Entries listing `domain` or a parent of it (mail.example.org matches example.org)."""
        d = normalise_domain(domain)
        if not d:
            return ()
        labels = d.split(".")
        out: list[Match] = []
        for i in range(len(labels) - 1):
            parent = ".".join(labels[i:])
            out.extend(Match(e, 100.0, parent) for e in self._get_all(self._domains.get(parent, ())))
        return tuple(out)

    def by_email(self, address: str) -> tuple[WatchlistEntry, ...]:
        key = normalise_email(address)
        return self._get_all(self._emails.get(key, ())) if key else ()

    def by_handle(self, value: str) -> tuple[WatchlistEntry, ...]:
        phone = normalise_phone(value)
        if phone:
            return self.by_phone(phone)
        return self._get_all(self._handles.get(normalise_handle(value), ()))

    def by_phone(self, number: str) -> tuple[WatchlistEntry, ...]:
        n = normalise_phone(number)
        if not n:
            return ()
        if len(n) < 9:
            return self._get_all(self._phones.get(n, ()))
        ids = [i for p in self._phone_tails.get(n[-9:], ()) if p.endswith(n) or n.endswith(p) for i in self._phones[p]]
        return self._get_all(dict.fromkeys(ids))

    def contacts_in(self, text: str) -> Iterator[ContactHit]:
        """Listed messenger ids, e-mail addresses and phone numbers written in `text` (offsets into it)."""
        if not (self._handles or self._emails or self._phones):
            return
        folded = search_form(text)
        if self._handles:
            for m in _HANDLE_IN_TEXT.finditer(folded):
                for e in self._get_all(self._handles.get(m.group().lstrip("@").casefold(), ())):
                    yield ContactHit(m.start(), m.end(), e)
        if self._emails:
            for start, end, address in emails_in(folded):
                for e in self._get_all(self._emails.get(address, ())):
                    yield ContactHit(start, end, e)
        if self._phones:
            for m in _PHONE_IN_TEXT.finditer(folded):
                for e in self.by_phone(m.group()):
                    yield ContactHit(m.start(), m.end(), e)

    # -- fuzzy lookups --------------------------------------------------------------------------------
    def match_company(self, name: str, threshold: float = COMPANY_THRESHOLD) -> tuple[Match, ...]:
        """Listed firms (company entries, and personas' firms unless borrowed) like `name`, best first."""
        return _memo(self, "company", name, threshold, self._match_company)

    def _match_company(self, name: str, threshold: float) -> tuple[Match, ...]:
        norm = normalise_company(name)
        if not norm or not self._company_keys:
            return ()
        compact = norm.replace(" ", "")
        candidates = {i for _, _, i in self._extract(norm, self._company_keys, threshold)}
        candidates |= {i for _, _, i in self._extract(compact, self._company_compact, threshold)}
        out: dict[str, Match] = {}
        for i in candidates:
            key = self._company_keys[i]
            score = company_similarity(norm, key)
            if score < threshold:
                continue
            for e in self._get_all(self._companies[key]):
                if e.id not in out or out[e.id].score < score:
                    out[e.id] = Match(e, score, self._listed[(e.id, key)])
        return tuple(sorted(out.values(), key=lambda m: (-m.score, m.entry.id)))

    def match_person(self, name: str, threshold: float = NAME_THRESHOLD) -> tuple[Match, ...]:
        """Personas whose name or an alias is like `name` (word order ignored), best first."""
        return _memo(self, "person", name, threshold, self._match_person)

    def _match_person(self, name: str, threshold: float) -> tuple[Match, ...]:
        norm = normalise_person(name)
        if not norm or not self._person_keys:
            return ()
        out: dict[str, Match] = {}
        for key, score, _ in self._extract(norm, self._person_keys, threshold, fuzz.token_sort_ratio):
            for e in self._get_all(self._persons[key]):
                if e.id not in out or out[e.id].score < score:
                    out[e.id] = Match(e, float(score), self._listed[(e.id, key)])
        return tuple(sorted(out.values(), key=lambda m: (-m.score, m.entry.id)))

    def persona_firm_similarity(self, entry: WatchlistEntry, company: str) -> float:
        """How like the persona's claimed firm (borrowed or not) `company` is, 0..100."""
        norm = normalise_company(company)
        return max((company_similarity(norm, f) for f in self._entry_firms.get(entry.id, ())), default=0.0)

    @staticmethod
    def _extract(
        query: str,
        choices: list[str],
        threshold: float,
        scorer: Callable[..., float] = fuzz.ratio,
    ) -> list[tuple[str, float, int]]:
        return process.extract(query, choices, scorer=scorer, processor=None, score_cutoff=threshold, limit=None)


# ---------------------------------------------------------------------------------------------------------
# Loading and validation

_FIELDS: tuple[str, ...] = ("id", "kind", "name", "company", "aliases", "profile_urls", "email_domains")
_FIELDS += ("emails", "handles", "source", "source_url", "date", "notes", "company_alone")
_REQUIRED = ("id", "kind", "name", "source", "date")
_MULTI = ("aliases", "profile_urls", "email_domains", "emails")
_ID = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
_HANDLE_KIND = re.compile(r"^[a-z][a-z0-9_]*$")
_PHONE_KINDS = frozenset({"phone", "tel", "mobile", "sms"})
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
# A domain every member of the public can mail from says nothing about who sent the mail.
_WEBMAIL = _words(
    "gmail.com googlemail.com outlook.com hotmail.com live.com yahoo.com aol.com icloud.com proton.me "
    "protonmail.com qq.com 163.com 126.com sina.com foxmail.com mail.ru yandex.ru gmx.de gmx.net web.de"
)

Fail = Callable[[str, str], ValueError]


def _where(file: str, line: int | None, field_lines: Mapping[str, int], raw: Mapping[str, Any]) -> Fail:
    ident = raw.get("id")
    who = f"entry {ident!r}" if isinstance(ident, str) and ident else "entry"

    def fail(field: str, problem: str) -> ValueError:
        at = field_lines.get(field, line)
        return ValueError(f"{file}{f':{at}' if at else ''}: {who}: field {field!r}: {problem}")

    return fail


def _text(raw: Mapping[str, Any], key: str, fail: Fail) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise fail(key, f"must be text, not {type(value).__name__}")
    return " ".join(value.split()) or None


def _texts(raw: Mapping[str, Any], key: str, fail: Fail) -> tuple[str, ...]:
    value = raw.get(key)
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise fail(key, "must be text or a list of text")
    return tuple(s for s in (" ".join(v.split()) for v in items) if s)


def _handles(raw: Mapping[str, Any], fail: Fail) -> tuple[tuple[str, str], ...]:
    value = raw.get("handles")
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise fail("handles", "must be a mapping of kind (wechat, telegram, phone, ...) to value(s)")
    out: list[tuple[str, str]] = []
    for kind, vals in value.items():
        if not isinstance(kind, str) or not _HANDLE_KIND.match(kind):
            raise fail("handles", f"kind {kind!r} is not a lower-case word such as wechat or phone")
        for v in vals if isinstance(vals, list) else [vals]:
            if not isinstance(v, str | int) or isinstance(v, bool):
                raise fail("handles", f"{kind}: {v!r} must be text")
            text = str(v).strip()
            is_phone = normalise_phone(text) is not None
            if kind in _PHONE_KINDS and not is_phone:
                raise fail("handles", f"{kind}: {text!r} is not a phone number of 7 to 15 digits")
            if not is_phone and not _HANDLE_SHAPE.match(normalise_handle(text)):
                raise fail("handles", f"{kind}: {text!r} is not an id of letters, digits, '_', '.' or '-'")
            if not is_phone and len(normalise_handle(text)) < 5:
                raise fail("handles", f"{kind}: {text!r} is too short to match safely (5 characters at least)")
            out.append((kind, text))
    return tuple(out)


def _date(raw: Mapping[str, Any], fail: Fail) -> str:
    value = raw.get("date")
    if isinstance(value, Date):
        return value.isoformat()
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    try:
        if not _DATE.match(text):
            raise ValueError
        Date.fromisoformat(text if len(text) == 10 else (text + "-01-01")[:10])
    except ValueError:
        raise fail("date", f"{value!r} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)") from None
    return text


def entry_from_mapping(raw: Mapping[str, Any], fail: Fail, origin: str = "") -> WatchlistEntry:
    """One validated entry; every problem is raised through `fail(field, problem)`."""
    unknown = sorted(str(k) for k in raw if k not in _FIELDS)
    if unknown:
        raise fail(unknown[0], f"unknown field (known fields: {', '.join(_FIELDS)})")
    for key in _REQUIRED:
        if raw.get(key) is None or raw.get(key) == "":
            raise fail(key, "missing")
    ident = _text(raw, "id", fail) or ""
    if not _ID.match(ident):
        raise fail("id", f"{ident!r} is not a lower-case id such as mi5-2025-amanda-qiu")
    kind: Kind
    if raw.get("kind") == "persona":
        kind = "persona"
    elif raw.get("kind") == "company":
        kind = "company"
    else:
        raise fail("kind", f"{raw.get('kind')!r} is not one of persona, company")
    name = _text(raw, "name", fail) or ""
    if not (normalise_person(name) if kind == "persona" else normalise_company(name)):
        raise fail("name", f"{name!r} has no letters or digits to match on")
    company = _text(raw, "company", fail)
    if company and kind == "company":
        raise fail("company", "only a persona has a company; list other names of a firm under aliases")
    if company and not normalise_company(company):
        raise fail("company", f"{company!r} has no letters or digits to match on")
    multi = {key: _texts(raw, key, fail) for key in _MULTI}
    for url in multi["profile_urls"]:
        if normalise_profile_url(url) is None:
            raise fail("profile_urls", f"{url!r} is not a LinkedIn profile or company URL")
    for d in multi["email_domains"]:
        nd = normalise_domain(d)
        if nd is None:
            raise fail("email_domains", f"{d!r} is not a domain")
        if nd in _WEBMAIL:
            raise fail("email_domains", f"{d!r} is public webmail; list the full address under emails")
    for a in multi["emails"]:
        if normalise_email(a) is None:
            raise fail("emails", f"{a!r} is not an e-mail address")
    source_url = _text(raw, "source_url", fail)
    if source_url and not re.match(r"^https?://[^\s/]+\.[^\s/]+", source_url):
        raise fail("source_url", f"{source_url!r} is not an http(s) URL")
    company_alone = raw.get("company_alone", True)
    if not isinstance(company_alone, bool):
        raise fail("company_alone", f"{company_alone!r} must be true or false")
    return WatchlistEntry(
        id=ident,
        kind=kind,
        name=name,
        source=_text(raw, "source", fail) or "",
        date=_date(raw, fail),
        company=company,
        handles=_handles(raw, fail),
        source_url=source_url,
        notes=_text(raw, "notes", fail) or "",
        company_alone=company_alone,
        origin=origin,
        aliases=multi["aliases"],
        profile_urls=multi["profile_urls"],
        email_domains=multi["email_domains"],
        emails=multi["emails"],
    )


def _node_lines(node: yaml.Node) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


Located = list[tuple[WatchlistEntry, str]]


def read_yaml(text: str, file: str, origin: str) -> Located:
    """Entries of a YAML list, each with its location ('file:line') for later messages."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        doc = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise ValueError(f"{file}: not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    items_node = node
    if isinstance(doc, dict) and isinstance(node, yaml.MappingNode):
        doc = doc.get("entries")
        items_node = next((v for k, v in node.value if k.value == "entries"), None)
    if not isinstance(doc, list) or not isinstance(items_node, yaml.SequenceNode):
        raise ValueError(f"{file}: expected a list of entries, or a mapping with an 'entries' list")
    out = []
    for raw, item in zip(doc, items_node.value, strict=True):
        line = item.start_mark.line + 1
        if not isinstance(raw, dict):
            raise ValueError(f"{file}:{line}: an entry must be a mapping of fields")
        fail = _where(file, line, _node_lines(item), raw)
        out.append((entry_from_mapping(raw, fail, origin), f"{file}:{line}"))
    return out


def _csv_row(row: Mapping[str, str | None], fail: Fail) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for key, cell in row.items():
        value = (cell or "").strip()
        if not value:
            continue
        if key in _MULTI:
            raw[key] = [v.strip() for v in value.split(";") if v.strip()]
        elif key == "handles":
            pairs = [p.strip() for p in value.split(";") if p.strip()]
            if any(":" not in p for p in pairs):
                raise fail("handles", f"{value!r}: write each handle as kind:value, separated by ';'")
            handles: dict[str, list[str]] = {}
            for p in pairs:
                kind, _, v = p.partition(":")
                handles.setdefault(kind.strip().lower(), []).append(v.strip())
            raw[key] = handles
        elif key == "company_alone":
            flag = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
            raw[key] = flag.get(value.lower(), value)
        else:
            raw[key] = value
    return raw


def read_csv(text: str, file: str, origin: str) -> Located:
    """Entries of a CSV table, each with its location ('file:line') for later messages."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    header = reader.fieldnames or []
    missing = [c for c in _REQUIRED if c not in header]
    unknown = [c for c in header if c not in _FIELDS]
    if missing or unknown:
        problem = f"missing columns {missing}" if missing else f"unknown columns {unknown}"
        raise ValueError(f"{file}:1: header: {problem} (columns: {', '.join(_FIELDS)})")
    out = []
    for row in reader:
        if None in row:
            raise ValueError(f"{file}:{reader.line_num}: more cells than columns")
        cells: dict[str, str | None] = dict(row)
        fail = _where(file, reader.line_num, {}, cells)
        out.append((entry_from_mapping(_csv_row(cells, fail), fail, origin), f"{file}:{reader.line_num}"))
    return out


def read_entries(path: Path | str) -> Located:
    """The entries of one user file, YAML or CSV by its suffix, each with its location."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{p}: cannot read watchlist: {exc}") from exc
    origin = f"watchlist {p.name}"
    if p.suffix.lower() in (".yaml", ".yml"):
        return read_yaml(text, str(p), origin)
    if p.suffix.lower() == ".csv":
        return read_csv(text, str(p), origin)
    raise ValueError(f"{p}: a watchlist must be a .yaml, .yml or .csv file")


def seed_entries() -> Located:
    text = (resources.files("counterpitch") / "data" / "watchlist" / "seed.yaml").read_text("utf-8")
    return read_yaml(text, "counterpitch/data/watchlist/seed.yaml", SEED_NAME)


def load_watchlist(paths: Sequence[Path | str] = (), include_seed: bool = True) -> Watchlist:
    """The seed list (unless excluded) and the user's files, validated, with ids unique across all of them."""
    located = seed_entries() if include_seed else []
    for p in paths:
        located.extend(read_entries(p))
    first_seen: dict[str, str] = {}
    for e, where in located:
        if e.id in first_seen:
            raise ValueError(f"{where}: entry {e.id!r}: field 'id': duplicate id, already at {first_seen[e.id]}")
        first_seen[e.id] = where
    return Watchlist(e for e, _ in located)


_MEMO_SIZE = 8192


def _memo(
    wl: Watchlist,
    kind: str,
    name: str,
    threshold: float,
    compute: Callable[[str, float], tuple[Match, ...]],
) -> tuple[Match, ...]:
    """Fuzzy lookups are pure and senders repeat (one persona writes to many people): remember recent answers.

    The memo lives on the instance (never pickled: a copy starts empty) and is bounded.
    """
    memo: dict[tuple[str, str, float], tuple[Match, ...]] = wl.__dict__.setdefault("_fuzzy_memo", {})
    key = (kind, name, threshold)
    hit = memo.get(key)
    if hit is None:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        hit = memo[key] = compute(name, threshold)
    return hit
