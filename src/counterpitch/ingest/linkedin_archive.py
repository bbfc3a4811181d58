"""A member's LinkedIn data export ("Get a copy of your data") as the approaches they received and their profile.

The archive is opened with `SafeZip` (hostile-input limits, docs/decisions/0012) and its CSVs are read by column
name (see ../shared/reference/linkedin-export.md for the layouts and quirks of each year).

What becomes an Approach:
- each conversation of messages.csv STARTED BY SOMEONE ELSE than the owner: `text` is that first message (the
  approach as it arrived); `thread` is every later message, oldest first, `from` "sender" for anyone but the owner
  and "recipient" for the owner, so an escalation late in the conversation is in the thread for the escalation
  detector. Conversations the owner started are counted but not screened. Draft rows are never part of a thread.
  The owner is the most frequent participant by profile URL (by name when the export has no URLs).
- each incoming invitation (Invitations.csv) that carries a note, channel `linkedin_invitation`.

Problems inside a member become `warnings` (member and line named) and reading goes on; a refused archive raises
`UnsafeArchive`. Messages are streamed and grouped by conversation id; only their raw fields are held.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from pydantic import ValidationError

from counterpitch.ingest.linkedin_csv import Row, html_to_text, read_rows, row_date
from counterpitch.ingest.safezip import Limits, SafeZip
from counterpitch.model import Approach, PersonProfile, Profile, Record, ThreadMessage

_INMAIL_MARKERS = ("spinmail-quill-editor", "%FIRSTNAME%", "%LASTNAME%", "%FULLNAME%")
_TRUE = frozenset(("yes", "true", "1", "y"))


class Connection(Record):
    first_name: str | None = None
    last_name: str | None = None
    url: str | None = None
    email: str | None = None
    company: str | None = None
    position: str | None = None
    connected_on: str | None = None

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


@dataclass
class Archive:
    owner: Profile
    #: A list, or with `read_archive(lazy=True)` an iterator that builds each conversation's approach as it is
    #: taken (and only then adds that conversation's warnings).
    approaches: Iterable[Approach]
    connections: list[Connection]
    #: messages (rows of messages.csv), conversations (distinct ids), invitations (rows), connections (named rows)
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)


class _Message(NamedTuple):
    seq: int
    line: int
    sender: str
    sender_url: str
    sent_at: str | None
    subject: str
    content: str


def url_key(url: str) -> str:
    """A profile URL reduced to what identifies it: no scheme, no `www.`, no trailing slash, lower case."""
    key = url.strip().lower()
    for prefix in ("https://", "http://", "www."):
        key = key.removeprefix(prefix)
    return key.rstrip("/")


class _People:
    """Connections.csv as a lookup from a sender's URL or name to their company and position."""

    def __init__(self, connections: list[Connection]) -> None:
        self.by_url = {url_key(c.url): c for c in connections if c.url}
        names = Counter(c.name.casefold() for c in connections)
        self.by_name = {c.name.casefold(): c for c in connections if names[c.name.casefold()] == 1}

    def profile(self, name: str, url: str) -> PersonProfile:
        known = self.by_url.get(url_key(url)) if url else None
        if known is None and name:
            known = self.by_name.get(name.casefold())
        return PersonProfile(
            name=name or None,
            profile_url=url or None,
            company=known.company if known else None,
            headline=known.position if known else None,
        )


def read_archive(path: Path | str, limits: Limits | None = None, *, lazy: bool = False) -> Archive:
    """Read the export at `path`. Raises `UnsafeArchive` (a RecordError) when the archive itself is refused.

    With `lazy`, the approaches are built one conversation at a time as the caller takes them, each
    conversation's raw rows let go once its approach is made: only the raw fields of the messages not yet
    screened are held, never every approach at once."""
    with SafeZip(path, limits) as zf:
        warnings = list(zf.warnings)
        connections, connection_rows = _connections(zf, warnings)
        owner = _owner_profile(zf, warnings)
        messages = _Messages()
        if member := zf.find("messages.csv"):
            messages.read(zf, member, warnings)
        owner_url, owner_name = messages.owner(owner.name)
        summary = _summary(owner, owner_name, owner_url)
        people = _People(connections)
        conversations = messages.approaches(summary, owner_url, owner_name, people, warnings)
        approaches: Iterable[Approach] = conversations if lazy else list(conversations)
        invited: list[Approach] = []
        invitation_rows = 0
        if member := zf.find("Invitations.csv"):
            invitation_rows = _invitations(zf, member, summary, people, invited, warnings)
        approaches = chain(approaches, invited) if lazy else [*approaches, *invited]
    owner = owner.model_copy(
        update={"name": owner.name or owner_name, "profile_url": owner_url, "connections": connection_rows}
    )
    counts = {
        "messages": messages.rows,
        "conversations": len(messages.by_conversation),
        "invitations": invitation_rows,
        "connections": len(connections),
    }
    return Archive(owner=owner, approaches=approaches, connections=connections, counts=counts, warnings=warnings)


def _summary(owner: Profile, name: str | None, url: str | None) -> PersonProfile:
    current = next((p for p in owner.experience if not p.end), None)
    company = current.company if current else None
    return PersonProfile(
        name=owner.name or name, headline=owner.headline, profile_url=url, company=company, organisation=company
    )


class _Messages:
    """messages.csv grouped by conversation, with the participant counts that identify the owner."""

    def __init__(self) -> None:
        self.rows = 0
        self.by_conversation: dict[str, list[_Message]] = defaultdict(list)
        self.urls: Counter[str] = Counter()
        self.recipient_urls: Counter[str] = Counter()
        self.names: Counter[str] = Counter()
        self.url_names: dict[str, str] = {}
        self.url_shown: dict[str, str] = {}
        self.member = "messages.csv"

    def read(self, zf: SafeZip, member: str, warnings: list[str]) -> None:
        self.member = member
        for row in read_rows(zf, member, ("conversation id", "from", "content"), warnings):
            self.rows += 1
            conversation = row.get("conversation id")
            if not conversation:
                warnings.append(f"{member} line {row.line}: no CONVERSATION ID; row skipped")
                continue
            sender, sender_url = sys.intern(row.get("from")), sys.intern(row.get("sender profile url"))
            self._count(sender, sender_url, row)
            msgs = self.by_conversation[conversation]  # counted even when every row of it is a draft
            if row.get("is message draft").lower() in _TRUE:
                continue
            sent_at = row_date(row, "date", member, warnings)
            subject = row.get("subject") or row.get("conversation title")
            msgs.append(
                _Message(self.rows, row.line, sender, sender_url, sent_at, subject, row.cells.get("content", ""))
            )

    def _count(self, sender: str, sender_url: str, row: Row) -> None:
        if sender_url:
            key = url_key(sender_url)
            self.urls[key] += 1
            self.url_names.setdefault(key, sender)
            self.url_shown.setdefault(key, sender_url)
        for url in row.get("recipient profile urls").split(","):
            if url.strip():
                key = url_key(url)
                self.urls[key] += 1
                self.recipient_urls[key] += 1
                self.url_shown.setdefault(key, url.strip())
        for name in (sender, row.get("to")):
            if name:
                self.names[name] += 1

    def owner(self, profile_name: str | None) -> tuple[str | None, str | None]:
        """The owner: the most frequent participant (ties: the name on Profile.csv); URL as the export shows it."""
        wanted = (profile_name or "").casefold()
        url = None
        if self.urls:
            url = max(
                self.urls,
                key=lambda u: (self.urls[u], self.url_names.get(u, "").casefold() == wanted, self.recipient_urls[u]),
            )
        shown = self.url_shown.get(url) if url else None
        if profile_name and (self.names[profile_name] or not self.names):
            return shown, profile_name
        name = max(self.names, key=lambda n: self.names[n]) if self.names else profile_name
        if url and url in self.url_names:
            name = self.url_names[url]
        return shown, name

    def approaches(
        self,
        owner: PersonProfile,
        owner_url: str | None,
        owner_name: str | None,
        people: _People,
        warnings: list[str],
    ) -> Iterator[Approach]:
        owner_key = url_key(owner_url) if owner_url else None

        def is_owner(m: _Message) -> bool:
            if owner_key:
                return bool(m.sender_url) and url_key(m.sender_url) == owner_key
            return bool(owner_name) and m.sender.casefold() == (owner_name or "").casefold()

        for conversation in list(self.by_conversation):
            # The raw rows are not needed once the approach is built (the id stays: it is counted).
            msgs, self.by_conversation[conversation] = self.by_conversation[conversation], []
            if not msgs:
                continue
            # Oldest first; rows without a usable date keep their file order, after the dated ones.
            msgs.sort(key=lambda m: (m.sent_at is None, m.sent_at or "", m.seq))
            first = msgs[0]
            if is_owner(first):
                continue
            channel = "linkedin_inmail" if any(k in first.content for k in _INMAIL_MARKERS) else "linkedin_message"
            try:
                thread = tuple(
                    ThreadMessage.model_validate(
                        {
                            "from": "recipient" if is_owner(m) else "sender",
                            "sent_at": m.sent_at,
                            "text": html_to_text(m.content),
                        }
                    )
                    for m in msgs[1:]
                )
                approach = Approach(
                    id=f"linkedin-message-{_short_id(conversation)}",
                    channel=channel,
                    sent_at=first.sent_at,
                    sender=people.profile(first.sender, first.sender_url),
                    recipient=owner,
                    subject=first.subject or None,
                    text=html_to_text(first.content),
                    thread=thread,
                )
            except ValidationError as exc:
                warnings.append(f"{self.member} line {first.line}: conversation not usable ({_first_error(exc)})")
                continue
            yield approach


def _short_id(*parts: str) -> str:
    """A stable id that does not carry the export's own identifiers or names into reports."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"


def _invitations(
    zf: SafeZip,
    member: str,
    owner: PersonProfile,
    people: _People,
    out: list[Approach],
    warnings: list[str],
) -> int:
    rows = 0
    for row in read_rows(zf, member, ("from", "to", "message"), warnings):
        rows += 1
        direction = row.get("direction").lower()
        sender, note = row.get("from"), row.cells.get("message", "").strip()
        incoming = direction == "incoming" if direction else sender.casefold() != (owner.name or "").casefold()
        if not incoming or not note:
            continue
        sent_at = row_date(row, "sent at", member, warnings)
        url = row.get("inviterprofileurl")
        try:
            out.append(
                Approach(
                    id=f"linkedin-invitation-{_short_id(sender, url, row.get('sent at'), note)}",
                    channel="linkedin_invitation",
                    sent_at=sent_at,
                    sender=people.profile(sender, url),
                    recipient=owner,
                    text=html_to_text(note),
                )
            )
        except ValidationError as exc:
            warnings.append(f"{member} line {row.line}: invitation not usable ({_first_error(exc)})")
    return rows


def _connections(zf: SafeZip, warnings: list[str]) -> tuple[list[Connection], int | None]:
    """Named connections, and the number of connection rows (hidden profiles are rows with only a date)."""
    member = zf.find("Connections.csv")
    if member is None:
        return [], None
    out: list[Connection] = []
    rows = 0
    for row in read_rows(zf, member, ("first name", "last name"), warnings):
        rows += 1
        if not (row.get("first name") or row.get("last name")):
            continue
        values = {
            "first_name": row.get("first name"),
            "last_name": row.get("last name"),
            "url": row.get("url"),
            "email": row.get("email address"),
            "company": row.get("company"),
            "position": row.get("position"),
            "connected_on": row_date(row, "connected on", member, warnings),
        }
        try:
            out.append(Connection.model_validate(_present(values)))
        except ValidationError as exc:
            warnings.append(f"{member} line {row.line}: connection not usable ({_first_error(exc)})")
    return out, rows


def _present(values: Mapping[str, str | None]) -> dict[str, str]:
    return {k: v for k, v in values.items() if v}


def _table(zf: SafeZip, basename: str, required: tuple[str, ...], warnings: list[str]) -> tuple[str, list[Row]]:
    member = zf.find(basename)
    return (member, list(read_rows(zf, member, required, warnings))) if member else (basename, [])


def _owner_profile(zf: SafeZip, warnings: list[str]) -> Profile:
    """Profile.csv and its companions as the owner's Profile (id "owner"), for an exposure audit."""
    member, rows = _table(zf, "Profile.csv", ("first name", "last name"), warnings)
    fields: dict[str, object] = {"id": "owner"}
    if rows:
        row = rows[0]
        name = " ".join(p for p in (row.get("first name"), row.get("last name")) if p)
        fields.update(name=name, headline=row.get("headline"), about=row.get("summary"))
        fields.update(location=row.get("geo location") or row.get("address"))
    member, rows = _table(zf, "Positions.csv", ("company name", "title"), warnings)
    fields["experience"] = [
        _present(
            {
                "title": r.get("title"),
                "company": r.get("company name"),
                "location": r.get("location"),
                "description": r.get("description"),
                "start": row_date(r, "started on", member, warnings),
                "end": row_date(r, "finished on", member, warnings),
            }
        )
        for r in rows
    ]
    member, rows = _table(zf, "Education.csv", ("school name",), warnings)
    education = []
    for r in rows:
        item = {
            "school": r.get("school name"),
            "degree": r.get("degree name"),
            "start": row_date(r, "start date", member, warnings),
            "end": row_date(r, "end date", member, warnings),
        }
        education.append(_present(item))
    fields["education"] = education
    fields["skills"] = [r.get("name") for r in _table(zf, "Skills.csv", ("name",), warnings)[1] if r.get("name")]
    certs = _table(zf, "Certifications.csv", ("name",), warnings)[1]
    fields["certifications"] = [r.get("name") for r in certs if r.get("name")]
    projects = _table(zf, "Projects.csv", ("title",), warnings)[1]
    fields["projects"] = [_present({"title": r.get("title"), "description": r.get("description")}) for r in projects]
    try:
        return Profile.model_validate({k: v for k, v in fields.items() if v not in ("", None)})
    except ValidationError as exc:
        warnings.append(f"Profile.csv: owner profile not usable ({_first_error(exc)}); left empty")
        return Profile(id="owner")
