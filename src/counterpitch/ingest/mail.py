"""Reading e-mail (`.eml` files and mbox mailboxes) as approaches, treating every byte as hostile.

Each message becomes a `MailMessage`: the `Approach` the engine assesses (channel "email"), plus what the
Approach schema has no place for and the mail findings read: the links with what their text claims, and the
attachments as classified from their bytes. Nothing is opened, run, extracted or fetched.

Limits bound the work one message can force: a message over `MAX_MESSAGE_BYTES` is refused unread; beyond
`MAX_PARTS` parts or `MAX_DEPTH` levels of nesting the rest is skipped with a warning, since a message that
hides its payload deep inside is still worth assessing on what it shows. Text is decoded with replacement and
each compromise is noted in `warnings`. Errors name the file and, in a mailbox, the message number.
"""

from __future__ import annotations

import hashlib
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import default
from email.utils import parsedate_to_datetime
from pathlib import Path

from counterpitch.ingest.mail_attachments import Attachment, classify
from counterpitch.ingest.mail_html import MAX_LINKS, Link, html_to_text, links_in_text
from counterpitch.model import MAX_TEXT_CHARS, Approach, PersonProfile

#: A message larger than this is refused. Mail servers commonly cap messages at 25 MB.
MAX_MESSAGE_BYTES = 25 * 1024 * 1024
#: A mailbox file larger than this is refused (messages are read one at a time, but the index is in memory).
MAX_MBOX_BYTES = 4 * 1024 * 1024 * 1024
#: MIME parts read per message; ordinary mail has a handful, newsletters a few dozen.
MAX_PARTS = 200
#: Lines starting with "--" (MIME boundary delimiters, among others) parsed per message. The parser with
#: `policy.default` costs about 0.35 ms a part, so a 25 MB message of tiny parts would take minutes: the
#: message is cut before the line past this limit, which leaves room for `MAX_PARTS` parts and their closings.
MAX_DELIMITER_LINES = 4 * MAX_PARTS
#: Nesting of multiparts and attached messages; ordinary mail nests three or four deep.
MAX_DEPTH = 12
#: A header value longer than this is cut before it is parsed (RFC 5322 lines stop at 998 characters).
MAX_HEADER_CHARS = 16_384
MAX_SUBJECT_CHARS = 2_000
MAX_WARNINGS = 50


@dataclass(frozen=True)
class MailError(Exception):
    source: str
    where: str  # "message 2" in a mailbox, "" for a single .eml file
    message: str

    def __str__(self) -> str:
        return ", ".join(p for p in (self.source, self.where) if p) + f": {self.message}"


@dataclass(frozen=True)
class MailMessage:
    """One e-mail: the approach it makes, and the links and attachments the Approach schema cannot carry."""

    approach: Approach
    links: tuple[Link, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    warnings: tuple[str, ...] = ()


class _Refused(Exception):
    """The input is not an e-mail message at all; becomes a `MailError` with the caller's place."""


@dataclass
class _Walk:
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    parts: int = 0

    def note(self, text: str) -> None:
        if text not in self.notes and len(self.notes) < MAX_WARNINGS:
            self.notes.append(text)


# --- files ----------------------------------------------------------------------------------------------------
def read_mail(path: Path) -> Iterator[MailMessage | MailError]:
    """One `.eml` message, or every message of a mailbox (named `.mbox` or starting with a `From ` line)."""
    try:
        with path.open("rb") as f:
            head = f.read(5)
    except OSError as exc:
        yield MailError(str(path), "", f"cannot read: {exc.strerror or exc}")
        return
    if path.suffix.lower() == ".mbox" or head == b"From ":
        yield from read_mbox(path)
        return
    try:
        yield read_eml(path)
    except MailError as err:
        yield err


def read_eml(path: Path) -> MailMessage:
    """Parse one `.eml` file; raises `MailError` naming the file."""
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_MESSAGE_BYTES + 1)
    except OSError as exc:
        raise MailError(str(path), "", f"cannot read: {exc.strerror or exc}") from None
    return parse_message(raw, str(path))


def read_mbox(path: Path) -> Iterator[MailMessage | MailError]:
    """Each message of an mbox in order, or the error that stopped it ("message 3"); read one at a time."""
    source = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(5)
    except OSError as exc:
        yield MailError(source, "", f"cannot read: {exc.strerror or exc}")
        return
    if size > MAX_MBOX_BYTES:
        yield MailError(source, "", f"mailbox larger than {MAX_MBOX_BYTES:,} bytes; split it first")
        return
    if head != b"From ":
        yield MailError(source, "", "not an mbox mailbox: it does not start with a 'From ' line")
        return
    try:
        box = mailbox.mbox(path, create=False)
        keys = box.keys()
    except (OSError, mailbox.Error) as exc:
        yield MailError(source, "", f"cannot read the mailbox: {exc}")
        return
    try:
        for number, key in enumerate(keys, 1):
            where = f"message {number}"
            try:
                with box.get_file(key) as f:
                    raw = f.read(MAX_MESSAGE_BYTES + 1)
                yield parse_message(raw, source, where)
            except MailError as err:
                yield err
            except OSError as exc:
                yield MailError(source, where, f"cannot read: {exc}")
    finally:
        box.close()


# --- one message ----------------------------------------------------------------------------------------------
def parse_message(raw: bytes, source: str, where: str = "") -> MailMessage:
    """Parse the bytes of one message. Never raises anything but `MailError`, whatever the bytes."""
    if len(raw) > MAX_MESSAGE_BYTES:
        raise MailError(source, where, f"message larger than {MAX_MESSAGE_BYTES:,} bytes; not read")
    if not raw.strip():
        raise MailError(source, where, "empty message")
    walk = _Walk()
    parsed = _cut_parts(raw)
    cut = len(parsed) < len(raw)
    try:
        msg = BytesParser(policy=default).parsebytes(parsed)
        _walk(msg, 0, walk)
        if walk.parts > MAX_PARTS or cut:
            walk.note(_parts_over(raw, walk.parts, cut))
        return _build(msg, raw, walk)
    except _Refused as exc:
        raise MailError(source, where, str(exc)) from None
    except RecursionError:
        raise MailError(source, where, "MIME structure nested too deeply to parse") from None
    except Exception as exc:  # the stdlib parsers on hostile bytes: any failure is a refusal, never a crash
        raise MailError(source, where, f"could not be parsed ({type(exc).__name__}: {exc})") from None


def _parts_over(raw: bytes, parsed: int, cut: bool) -> str:
    """How much of the message was left unread, as a reader can judge it: counted in parts where the parts were
    parsed, estimated from the boundary lines (one per part, as in most messages) where the bytes were cut."""
    if parsed <= MAX_PARTS:  # cut at lines that were not parts ("-- " signatures, quoted text) or deep nesting
        return f"more than {MAX_DELIMITER_LINES:,} MIME boundary lines; the rest of this e-mail was not read"
    over = max(parsed, raw.count(b"\n--") if cut else 0) - MAX_PARTS
    return (
        f"the rest of this e-mail was not read: {'about ' if cut else ''}{over:,} parts over the limit of {MAX_PARTS}"
    )


def _cut_parts(raw: bytes) -> bytes:
    pos, count = 0, 0
    while (pos := raw.find(b"\n--", pos)) >= 0:
        count += 1
        if count > MAX_DELIMITER_LINES:
            return raw[: pos + 1]
        pos += 3
    return raw


def _build(msg: Message, raw: bytes, walk: _Walk) -> MailMessage:
    """The message as a `MailMessage`; `raw` (the whole input) names it when it has no Message-ID."""
    if not msg.keys():
        raise _Refused("no e-mail headers found; is this an e-mail message?")
    text, links = _body(walk)
    if len(text) > MAX_TEXT_CHARS:
        walk.note(f"body longer than {MAX_TEXT_CHARS:,} characters; the rest was not read")
        text = text[:MAX_TEXT_CHARS]
    message_id = (_header(msg, "Message-ID", walk) or "").strip().strip("<>").strip()[:512]
    subject = _header(msg, "Subject", walk)
    approach = Approach(
        id=message_id or "sha256:" + hashlib.sha256(raw).hexdigest()[:32],
        channel="email",
        sent_at=_date(_header(msg, "Date", walk), walk),
        sender=_person(msg, "From", walk),
        recipient=_person(msg, "To", walk),
        subject=subject[:MAX_SUBJECT_CHARS] if subject else None,
        text=text,
    )
    return MailMessage(approach, tuple(links), tuple(walk.attachments), tuple(walk.notes))


def _walk(part: Message, depth: int, acc: _Walk) -> None:
    acc.parts += 1
    if acc.parts > MAX_PARTS:
        return  # counted: parse_message says how many were left unread
    if depth > MAX_DEPTH:
        acc.note(f"MIME parts nested deeper than {MAX_DEPTH} levels; those were not read")
        return
    for defect in part.defects[:10]:
        acc.note(f"malformed MIME structure: {type(defect).__name__}")
    if part.is_multipart():
        payload = part.get_payload()
        for sub in payload if isinstance(payload, list) else ():
            if isinstance(sub, Message):
                _walk(sub, depth + 1, acc)
        return
    try:
        _leaf(part, acc)
    except (RecursionError, MemoryError):
        raise
    except Exception as exc:  # one malformed part should not hide the rest of the message
        acc.note(f"a MIME part could not be read ({type(exc).__name__}); skipped")


def _leaf(part: Message, acc: _Walk) -> None:
    content_type = part.get_content_type()
    filename = _sane(part.get_filename() or "").replace("\\", "/").rsplit("/", 1)[-1]
    is_attachment = part.get_content_disposition() == "attachment" or bool(filename)
    data = part.get_payload(decode=True)
    data = data if isinstance(data, bytes) else b""
    if not is_attachment and content_type in {"text/plain", "text/html"}:
        text = _decode(part, data, acc)
        (acc.plain if content_type == "text/plain" else acc.html).append(text)
        return
    if not is_attachment and part.get_content_maintype() == "text":
        return  # text/calendar, text/enriched and the like: not the message body
    attachment, notes = classify(filename, content_type, data)
    acc.attachments.append(attachment)
    for note in notes:
        acc.note(note)


def _decode(part: Message, data: bytes, acc: _Walk) -> str:
    charset = part.get_content_charset() or "utf-8"
    try:
        text = data.decode(charset, errors="replace")
    except (LookupError, ValueError):  # unknown or not a text encoding ("rot13", "hex")
        acc.note(f"unknown character set {charset[:40]!r}; read as UTF-8")
        charset = "utf-8"
        text = data.decode(charset, errors="replace")
    if "\ufffd" in text:
        acc.note(f"{part.get_content_type()} part had bytes invalid in {charset[:40]!r}; replaced")
    return text


def _body(walk: _Walk) -> tuple[str, list[Link]]:
    """Plain text if the message has any, else the HTML's visible text; links from HTML, else from plain text."""
    plain = "\n\n".join(t.strip() for t in walk.plain if t.strip())
    links: list[Link] = []
    html_text: list[str] = []
    for html in walk.html:
        text, found, notes = html_to_text(html)
        html_text.append(text)
        links.extend(found)
        for note in notes:
            walk.note(note)
    if not walk.html:
        links = links_in_text(plain)
    if len(links) > MAX_LINKS:
        walk.note(f"more than {MAX_LINKS} links; the rest were not read")
        links = links[:MAX_LINKS]
    return plain or "\n\n".join(t for t in html_text if t), links


# --- headers --------------------------------------------------------------------------------------------------
def _header(msg: Message, name: str, acc: _Walk) -> str | None:
    """The decoded value of the first `name` header; over-long values are cut before parsing."""
    for key, raw in msg.raw_items() if isinstance(msg, EmailMessage) else msg.items():
        if key.lower() != name.lower():
            continue
        if len(raw) > MAX_HEADER_CHARS:
            acc.note(f"{name} header longer than {MAX_HEADER_CHARS:,} characters; cut")
            raw = raw[:MAX_HEADER_CHARS]
        try:
            value: str = default.header_fetch_parse(name, raw)
        except Exception:  # a malformed header is noted, and its raw text used
            acc.note(f"{name} header malformed; used as written")
            value = " ".join(str(raw).split())
        return _sane(value)
    return None


def _person(msg: Message, name: str, acc: _Walk) -> PersonProfile | None:
    for key, raw in msg.raw_items() if isinstance(msg, EmailMessage) else msg.items():
        if key.lower() != name.lower():
            continue
        try:
            addresses = default.header_fetch_parse(name, raw[:MAX_HEADER_CHARS]).addresses
        except Exception:
            acc.note(f"{name} header malformed; no address read")
            return None
        if not addresses:
            return None
        first = addresses[0]
        display, email = _sane(first.display_name).strip(), _sane(first.addr_spec).strip()
        if "@" not in email:
            email = ""
        return PersonProfile(name=display or None, email=email or None) if display or email else None
    return None


def _date(value: str | None, acc: _Walk) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).isoformat()
    except Exception:  # parsedate raises ValueError, TypeError, IndexError or OverflowError on odd dates
        acc.note("Date header unreadable; sent_at left empty")
        return None


def _sane(value: str) -> str:
    """Undecodable header bytes arrive as lone surrogates; make them U+FFFD so the text can be written out."""
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
