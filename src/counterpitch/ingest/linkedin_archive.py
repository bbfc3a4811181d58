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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
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
    #: With `read_archive(lazy=True)`: each approach id's place in the order a whole reading gives.
    rank: dict[str, int] = field(default_factory=dict)


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

    With `lazy`, messages.csv is read twice: first only to count (who the owner is, where each conversation
    ends), then, as the caller takes the approaches, row by row, each conversation's approach made and its rows
    let go as soon as its last row is read. Only conversations still open are held (for an export that keeps
    each conversation's rows together, one at a time); the approaches come in the order their conversations
    end, `Archive.rank` giving each one's place in the order `lazy=False` gives, and the warnings are the same,
    in the same order, once the approaches are all taken."""
    with SafeZip(path, limits) as zf:
        warnings = list(zf.warnings)
        connections, connection_rows = _connections(zf, warnings)
        owner = _owner_profile(zf, warnings)
        messages = _Messages()
        messages_member = zf.find("messages.csv")
        if messages_member:
            messages.read(zf, messages_member, [] if lazy else warnings, count_only=lazy)
        owner_url, owner_name = messages.owner(owner.name)
        summary = _summary(owner, owner_name, owner_url)
        people = _People(connections)
        approaches: Iterable[Approach] = []
        invitation_rows = 0
        if not lazy:
            approaches = list(messages.approaches(summary, owner_url, owner_name, people, warnings))
            if member := zf.find("Invitations.csv"):
                invitation_rows = _invitations(zf, member, summary, people, approaches, warnings)
        elif member := zf.find("Invitations.csv"):
            invitation_rows = sum(1 for _ in read_rows(zf, member, ("from", "to", "message"), []))
    if lazy:
        approaches = _lazily(
            path, limits, messages, messages_member, (summary, owner_url, owner_name, people), warnings
        )
    owner = owner.model_copy(
        update={"name": owner.name or owner_name, "profile_url": owner_url, "connections": connection_rows}
    )
    counts = {
        "messages": messages.rows,
        "conversations": len(messages.by_conversation) or len(messages.last_row),
        "invitations": invitation_rows,
        "connections": len(connections),
    }
    archive = Archive(owner=owner, approaches=approaches, connections=connections, counts=counts, warnings=warnings)
    archive.rank = messages.rank
    return archive


def _lazily(
    path: Path | str,
    limits: Limits | None,
    counted: _Messages,
    member: str | None,
    who: tuple[PersonProfile, str | None, str | None, _People],
    warnings: list[str],
) -> Iterator[Approach]:
    """The second reading of a lazy `read_archive`: conversations as they end, then the invitations."""
    summary, owner_url, owner_name, people = who
    with SafeZip(path, limits) as zf:
        if member:
            messages = _Messages()
            messages.last_row = counted.last_row
            later: list[tuple[int, str]] = []  # a conversation's warning waits for its place (see read_archive)
            for conversation, msgs in messages.read_ending(zf, member, warnings):
                noted: list[str] = []
                approach = messages.approach(conversation, msgs, summary, owner_url, owner_name, people, noted)
                later += [(counted.rank[_message_id(conversation)], w) for w in noted]
                if approach is not None:
                    yield approach
            warnings += [w for _, w in sorted(later, key=lambda pair: pair[0])]
        if invitations := zf.find("Invitations.csv"):
            invited: list[Approach] = []
            _invitations(zf, invitations, summary, people, invited, warnings)
            for i, approach in enumerate(invited):
                counted.rank.setdefault(approach.id, len(counted.last_row) + i)
            yield from invited


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
        #: Counting only (a lazy reading): each conversation's last row, and each approach id's first-seen rank.
        self.last_row: dict[str, int] = {}
        self.rank: dict[str, int] = {}
        self.by_conversation: dict[str, list[_Message]] = defaultdict(list)
        self.urls: Counter[str] = Counter()
        self.recipient_urls: Counter[str] = Counter()
        self.names: Counter[str] = Counter()
        self.url_names: dict[str, str] = {}
        self.url_shown: dict[str, str] = {}
        self.member = "messages.csv"

    def read(self, zf: SafeZip, member: str, warnings: list[str], *, count_only: bool = False) -> None:
        """Every row into `by_conversation`, or with `count_only` only the counts (participants, each
        conversation's last row and rank) for a lazy reading."""
        for conversation, sender, sender_url, row in self._rows(zf, member, warnings):
            self._count(sender, sender_url, row)
            if count_only:
                self.last_row[conversation] = self.rows
                self.rank.setdefault(_message_id(conversation), len(self.rank))
                continue
            self._add(self.by_conversation[conversation], row, sender, sender_url, warnings)

    def _rows(self, zf: SafeZip, member: str, warnings: list[str]) -> Iterator[tuple[str, str, str, Row]]:
        """Each row of messages.csv with its conversation, sender and sender URL, counted in `rows`; a row with no
        conversation id is warned of and skipped."""
        self.member = member
        for row in read_rows(zf, member, ("conversation id", "from", "content"), warnings):
            self.rows += 1
            conversation = row.get("conversation id")
            if not conversation:
                warnings.append(f"{member} line {row.line}: no CONVERSATION ID; row skipped")
                continue
            yield conversation, sys.intern(row.get("from")), sys.intern(row.get("sender profile url")), row

    def _add(self, msgs: list[_Message], row: Row, sender: str, sender_url: str, warnings: list[str]) -> None:
        """The row as a message of its conversation (a draft is not one; its conversation is still counted)."""
        if row.get("is message draft").lower() in _TRUE:
            return
        sent_at = row_date(row, "date", self.member, warnings)
        subject = row.get("subject") or row.get("conversation title")
        content = row.cells.get("content", "")
        msgs.append(_Message(self.rows, row.line, sender, sender_url, sent_at, subject, content))

    def read_ending(self, zf: SafeZip, member: str, warnings: list[str]) -> Iterator[tuple[str, list[_Message]]]:
        """The second reading: each conversation with its messages as soon as its last row (`last_row`, from
        the first reading) is read; only the conversations still open are held."""
        open_: dict[str, list[_Message]] = {}
        for conversation, sender, sender_url, row in self._rows(zf, member, warnings):
            msgs = open_.setdefault(conversation, [])
            self._add(msgs, row, sender, sender_url, warnings)
            if self.last_row.get(conversation) == self.rows:
                del open_[conversation]
                yield conversation, msgs
        yield from open_.items()  # only if the member changed between the readings

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
        for conversation in list(self.by_conversation):
            # The raw rows are not needed once the approach is built (the id stays: it is counted).
            msgs, self.by_conversation[conversation] = self.by_conversation[conversation], []
            approach = self.approach(conversation, msgs, owner, owner_url, owner_name, people, warnings)
            if approach is not None:
                yield approach

    def approach(
        self,
        conversation: str,
        msgs: list[_Message],
        owner: PersonProfile,
        owner_url: str | None,
        owner_name: str | None,
        people: _People,
        warnings: list[str],
    ) -> Approach | None:
        """One conversation's approach; None when the owner started it, it is empty or it is not usable."""
        owner_key = url_key(owner_url) if owner_url else None

        def is_owner(m: _Message) -> bool:
            if owner_key:
                return bool(m.sender_url) and url_key(m.sender_url) == owner_key
            return bool(owner_name) and m.sender.casefold() == (owner_name or "").casefold()

        if not msgs:
            return None
        # Oldest first; rows without a usable date keep their file order, after the dated ones.
        msgs.sort(key=lambda m: (m.sent_at is None, m.sent_at or "", m.seq))
        first = msgs[0]
        if is_owner(first):
            return None
        channel = "linkedin_inmail" if any(k in first.content for k in _INMAIL_MARKERS) else "linkedin_message"
        try:
            return conversation_approach(
                _message_id(conversation),
                [Turn(not is_owner(m), m.sent_at, html_to_text(m.content)) for m in msgs],
                channel=channel,
                sent_at=first.sent_at,
                sender=people.profile(first.sender, first.sender_url),
                recipient=owner,
                subject=first.subject or None,
            )
        except ValidationError as exc:
            warnings.append(f"{self.member} line {first.line}: conversation not usable ({_first_error(exc)})")
            return None


class Turn(NamedTuple):
    """One message of a conversation, oldest first: whether someone other than the owner (the person approached)
    sent it, when (as the source shows it), and its plain text."""

    from_sender: bool
    sent_at: str | None
    text: str


def conversation_approach(
    approach_id: str,
    turns: Sequence[Turn],
    *,
    channel: str,
    sent_at: str | None,
    sender: PersonProfile | None,
    recipient: PersonProfile | None,
    subject: str | None = None,
) -> Approach:
    """A conversation as one Approach: `text` is the first turn (the approach as it arrived, the sender's), `thread`
    every later turn oldest first, `from` "sender" for anyone but the owner and "recipient" for the owner. Shared by
    this reader and the pasted-conversation reader (ingest/pasted.py). Raises ValidationError on unusable input."""
    first, later = turns[0], turns[1:]
    thread = tuple(
        ThreadMessage.model_validate(
            {"from": "sender" if t.from_sender else "recipient", "sent_at": t.sent_at, "text": t.text}
        )
        for t in later
    )
    return Approach.model_validate(
        {
            "id": approach_id,
            "channel": channel,
            "sent_at": sent_at,
            "sender": sender,
            "recipient": recipient,
            "subject": subject,
            "text": first.text,
            "thread": thread,
        }
    )


def _message_id(conversation: str) -> str:
    return f"linkedin-message-{_short_id(conversation)}"


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
