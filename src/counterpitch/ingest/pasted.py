"""A LinkedIn conversation pasted as text (the whole thread selected on the messaging page, an InMail, a mobile
copy) read back into its turns, and made into one Approach the way the archive reader makes one
(`linkedin_archive.conversation_approach`): `text` the sender's first message, `thread` every later turn.

What is read (lines, not the text as a whole; docs/decisions/0051-pasted-conversations.md):
- a turn starts at a header: "Elena Marsh sent the following message at 10:42 AM" (the screen-reader line the
  desktop page copies), a name and a time on one line ("Elena Marsh  10:42 AM", "Elena Marsh · Dec 3"), or a
  name line followed by a time or date line ("Elena Marsh" / "10:42 AM");
- LinkedIn's own lines are dropped: date headings ("Today", "Mon", "Dec 3", "3 December 2026"), "View Elena's
  profile", "Seen by ...", "Reply", "Like", degree markers ("· 2nd", "3rd degree connection"), "InMail",
  "Sponsored", the name repeated under its header, the card above the first turn (name, degree, headline);
- a turn's own text is kept line for line: only whole lines are dropped, never part of one.

It is a conversation only when LinkedIn's wording shows it (one "sent the following message" line), or one
header with LinkedIn's chrome (a degree marker, "View ...'s profile", "InMail"), or two headers with a date
heading or the reporter among the speakers, or three headers between exactly two people. Anything else, and
anything above the first header that is not LinkedIn's card, leaves the text as one message, unchanged
(`read_pasted` returns None): a message that mentions a time or ends with a signature is never split.

Who is the sender: the person who is not the reporter. The reporter is the speaker whose name is the reporter's
name when it is known (or "You"); otherwise the speaker of the first turn is taken for the sender (an approach
starts with the approacher) and the other speaker for the reporter. Everyone but the reporter is "sender", as
in the archive. The reporter's own turns before the sender's first are not part of the approach (the archive
does not screen a conversation its owner started); `Conversation.turns` still has them.

Bounded: at most `MAX_CHARS` characters and `MAX_LINES` lines are read (more is left as one message); only
lines of at most `MAX_HEADER` characters are tested against the anchored patterns, none of which nests
repetition, so each line costs a bounded number of steps.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from counterpitch.ingest.linkedin_archive import Turn, conversation_approach
from counterpitch.model import Approach, PersonProfile

MAX_CHARS = 100_000
MAX_LINES = 5_000
MAX_HEADER = 200
MAX_NAME = 60

_TIME = r"(?:[01]?\d|2[0-3]):[0-5]\d(?:\s?[AaPp]\.?\s?[Mm]\.?)?"
_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?"
)
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
)
_DAY = (
    rf"(?:today|yesterday|{_WEEKDAY}|{_MONTH}\s\d{{1,2}}(?:,?\s\d{{4}})?|\d{{1,2}}\s{_MONTH}(?:,?\s\d{{4}})?"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"
)
_WHEN = rf"(?:(?:{_WEEKDAY},?\s)?{_DAY}(?:,?\s(?:at\s)?{_TIME})?|{_TIME})"
_TIME_LINE = re.compile(rf"{_TIME}", re.IGNORECASE)
_DATE_LINE = re.compile(rf"(?:{_WEEKDAY},?\s)?{_DAY}(?:,?\s(?:at\s)?{_TIME})?", re.IGNORECASE)
_STRONG = re.compile(rf"(?P<name>.{{1,{MAX_NAME}}}?) sent the following messages? at (?P<when>{_TIME})", re.I)
_NAME_WHEN = re.compile(rf"(?P<name>[^\d:·•|]{{1,{MAX_NAME}}}?)\s*[·•|]?\s+(?P<when>{_WHEN})", re.IGNORECASE)
_NAME_DEGREE = re.compile(
    rf"(?P<name>[^\d:·•|]{{0,{MAX_NAME}}}?)\s*[·•]?\s*(?:1st|2nd|3rd\+?)(?:\s+degree(?:\s+connection)?)?",
    re.IGNORECASE,
)
_VIEW = re.compile(r"view\s.{1,80}?['’]s?\sprofile", re.IGNORECASE)
_SEEN = re.compile(r"(?:seen by\s.{1,150}|active\s\d{1,3}\s?[mhdw]\s?ago|status is (?:online|offline|reachable))", re.I)
_PRONOUNS = re.compile(r"\s*\([^()/]{1,8}/[^()]{1,12}\)$")
_CHROME = frozenset(
    (
        "reply",
        "like",
        "react",
        "sponsored",
        "inmail",
        "seen",
        "delivered",
        "edited",
        "active now",
        "mute",
        "report",
        "send",
        "write a message…",
        "write a message...",
        "press enter to send",
        "load more",
        "see more",
        "see less",
        "view profile",
        "messaging",
        "new message",
        "inmail · sponsored",
        "sponsored · inmail",
    )
)
_PARTICLES = frozenset(
    "de da das do dos del della der den di du la le van von ter ten zu bin binti ibn al el y e und".split()
)
_NOT_NAMES = frozenset(
    "hi hello hey dear thanks thank best kind warm many regards cheers sincerely good see meeting call "
    "agenda schedule lunch dinner break session day note reminder subject re fwd".split()
)


@dataclass(frozen=True)
class PastedTurn:
    """One turn as shown: who wrote it (the name LinkedIn showed), when if shown, its text; `from_sender` is
    False for the reporter's own turns."""

    who: str
    when: str | None
    text: str
    from_sender: bool


@dataclass(frozen=True)
class Conversation:
    turns: tuple[PastedTurn, ...]
    #: The sender's name as shown, and their headline when the card above the first turn showed it.
    sender_name: str
    sender_headline: str | None
    #: "linkedin_inmail" when the paste says InMail, else "linkedin_message".
    channel: str

    @property
    def approach_turns(self) -> tuple[PastedTurn, ...]:
        """The turns from the sender's first on (the approach as it arrived and everything after it)."""
        first = next(i for i, t in enumerate(self.turns) if t.from_sender)
        return self.turns[first:]

    def applied_to(self, approach: Approach) -> Approach:
        """`approach` (the form's or the command line's, its `text` the paste) as this conversation: text and
        thread from the turns, by the archive reader's convention; fields given by hand (the sender's name and
        headline, a channel other than the form's default "linkedin_message") win over what the paste shows."""
        sender = approach.sender or PersonProfile()
        fill = {"name": sender.name or self.sender_name, "headline": sender.headline or self.sender_headline}
        return conversation_approach(
            approach.id,
            [Turn(t.from_sender, t.when, t.text) for t in self.approach_turns],
            channel=self.channel if approach.channel in (None, "linkedin_message") else approach.channel,
            sent_at=approach.sent_at,
            sender=sender.model_copy(update=fill),
            recipient=approach.recipient,
            subject=approach.subject,
        ).model_copy(update={"account": approach.account, "label": approach.label, "notes": approach.notes})


@dataclass
class _Header:
    line: int
    name: str
    when: str | None
    strong: bool
    #: lines the header takes (a name line and its time line: 2)
    span: int = 1


def read_pasted(text: str, reporter: str | None = None) -> Conversation | None:
    """The conversation `text` holds, or None when it is not recognisably one (then it is one message, as is)."""
    if len(text) > MAX_CHARS:
        return None
    lines = [line.strip() for line in text.splitlines()]
    if len(lines) > MAX_LINES:
        return None
    headers = _headers(lines)
    if not headers:
        return None
    names = {_key(h.name) for h in headers}
    me = {_key(reporter)} if reporter and reporter.strip() else set()
    me.add("you")
    chrome = any(_linkedin_marker(line) for line in lines)
    dated = any(_is_date(line) for line in lines[: headers[-1].line])
    if not (
        any(h.strong for h in headers)
        or chrome
        or (len(headers) >= 2 and (dated or names & me))
        or (len(headers) >= 3 and len(names) == 2)
    ):
        return None
    card = _card(lines[: headers[0].line], names)
    if card is None:
        return None
    turns = _turns(lines, headers, names)
    if not turns:
        return None
    speakers = list(dict.fromkeys(_key(who) for who, _, _ in turns))
    reporters = {s for s in speakers if s in me}
    if not reporters:
        reporters = set(speakers[1:2])  # the first turn's speaker is the sender; the other, the reporter
    from_sender = [_key(who) not in reporters for who, _, _ in turns]
    if not any(from_sender):
        return None
    sender = next(who for (who, _, _), s in zip(turns, from_sender, strict=True) if s)
    headline = card.get(_key(sender))
    inmail = any(_is_inmail(line) for line in lines[: headers[0].line + 8])
    return Conversation(
        turns=tuple(PastedTurn(w, t, x, s) for (w, t, x), s in zip(turns, from_sender, strict=True)),
        sender_name=sender,
        sender_headline=headline,
        channel="linkedin_inmail" if inmail else "linkedin_message",
    )


def read_approach(approach: Approach, reporter: str | None = None) -> Approach:
    """`approach` with its pasted `text` read as a conversation when it is one; else `approach` itself."""
    conversation = read_pasted(approach.text, reporter) if approach.text and not approach.thread else None
    if conversation is None:
        return approach
    try:
        return conversation.applied_to(approach)
    except ValidationError:  # a turn the model refuses: the paste stays one message, as given
        return approach


def _key(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def _full(pattern: re.Pattern[str], line: str) -> re.Match[str] | None:
    return pattern.fullmatch(line) if len(line) <= MAX_HEADER else None


def _is_time(line: str) -> bool:
    return _full(_TIME_LINE, line) is not None


def _is_date(line: str) -> bool:
    return _full(_DATE_LINE, line) is not None


def _is_inmail(line: str) -> bool:
    """LinkedIn's own InMail line ("InMail", "InMail · Sponsored"), not a message that mentions one."""
    folded = line.casefold()
    return folded in ("inmail", "sponsored · inmail", "sponsored inmail") or folded.startswith("inmail ·")


def _is_chrome(line: str) -> bool:
    """A line LinkedIn adds around messages (never a name, a time or a date)."""
    if len(line) > MAX_HEADER:
        return False
    folded = line.casefold()
    return folded in _CHROME or any(_full(p, line) for p in (_VIEW, _SEEN, _STRONG)) or _degree(line) is not None


def _linkedin_marker(line: str) -> bool:
    """A line only LinkedIn's page writes: a degree marker, "View ...'s profile", InMail."""
    return _degree(line) is not None or _full(_VIEW, line) is not None or _is_inmail(line)


def _degree(line: str) -> str | None:
    """The name before a degree marker ("Elena Marsh · 2nd" -> "Elena Marsh", "· 2nd" -> ""), else None."""
    m = _full(_NAME_DEGREE, line)
    if m is None:
        return None
    name = m.group("name").strip()
    return name if not name or _is_name(name) else None


def _is_name(line: str, *, single: bool = False) -> bool:
    """A person's name as LinkedIn shows it: one to five words of letters (with ' ’ . -), each capitalised or a
    particle ("van", "de"); one word only with `single` (or "You")."""
    line = _PRONOUNS.sub("", line)
    words = line.split()
    if not words or len(line) > MAX_NAME or len(words) > 5:
        return False
    if len(words) == 1 and not single and words[0] != "You":
        return False
    if words[0].casefold().strip(",.!:") in _NOT_NAMES:
        return False
    for i, word in enumerate(words):
        if not word[0].isalpha() or not all(c.isalpha() or c in "'’.-" for c in word):
            return False
        if word.endswith(".") and len(word) > 3:
            return False
        if word[0].islower() and not (i and word in _PARTICLES):
            return False
    return True


def _header(lines: Sequence[str], i: int) -> _Header | None:
    line = lines[i]
    if not line or len(line) > MAX_HEADER:
        return None
    if m := _STRONG.fullmatch(line):
        name = _PRONOUNS.sub("", m.group("name").strip())
        return _Header(i, name, m.group("when"), strong=True) if _is_name(name, single=True) else None
    if (m := _NAME_WHEN.fullmatch(line)) and _is_name(m.group("name").strip()):
        return _Header(i, _PRONOUNS.sub("", m.group("name").strip()), m.group("when"), strong=False)
    if _is_name(line) and i + 1 < len(lines) and (_is_time(lines[i + 1]) or _is_date(lines[i + 1])):
        return _Header(i, _PRONOUNS.sub("", line), lines[i + 1], strong=False, span=2)
    return None


def _headers(lines: Sequence[str]) -> list[_Header]:
    found: list[_Header] = []
    i = 0
    while i < len(lines):
        h = _header(lines, i)
        if h is None:
            i += 1
            continue
        found.append(h)
        i += h.span
    return found


def _card(preamble: Sequence[str], names: set[str]) -> dict[str, str] | None:
    """Above the first turn: LinkedIn's card (names, degree markers, one headline line after a name, date
    headings, chrome). Returns each named person's headline; None when anything else is there (then the paste is
    not read as a conversation: nothing the reporter pasted is dropped)."""
    headlines: dict[str, str] = {}
    last_name: str | None = None
    for line in preamble:
        if not line or _is_date(line) or _is_time(line):
            continue
        degree = _degree(line)
        if degree is not None:
            last_name = _key(degree) or last_name
            continue
        if _is_chrome(line):
            continue
        if _key(line) in names or _is_name(line):
            last_name = _key(_PRONOUNS.sub("", line))
            continue
        if last_name is not None and last_name not in headlines and len(line) <= MAX_HEADER:
            headlines[last_name] = line
            continue
        return None
    return headlines


def _turns(lines: Sequence[str], headers: Sequence[_Header], names: set[str]) -> list[tuple[str, str | None, str]]:
    """Each header's body: LinkedIn's lines at either end (and chrome lines within) dropped; consecutive headers
    of one speaker with nothing between them are one turn. Turns with no text are left out."""
    out: list[tuple[str, str | None, str]] = []
    day: str | None = None
    pending: tuple[str, str | None] | None = None
    for n, h in enumerate(headers):
        # the date heading that applies: the last one above this header
        for line in lines[(headers[n - 1].line + headers[n - 1].span) if n else 0 : h.line]:
            if _is_date(line) and not _is_time(line):
                day = line
        when = h.when if h.when is None or _is_date(h.when) or day is None else f"{day} {h.when}"
        end = headers[n + 1].line if n + 1 < len(headers) else len(lines)
        body = list(lines[h.line + h.span : end])
        # leading: blanks, chrome and the name repeated under its header
        while body and (not body[0] or _is_chrome(body[0]) or _key(body[0]) == _key(h.name)):
            body.pop(0)
        # trailing: blanks, chrome, and the next turn's date heading or a time shown under the message
        while body and (not body[-1] or _is_chrome(body[-1]) or _is_date(body[-1]) or _is_time(body[-1])):
            body.pop()
        body = [line for line in body if not _is_chrome(line)]
        text = "\n".join(body).strip()
        if pending is not None and _key(pending[0]) == _key(h.name):
            when = when or pending[1]  # the name, then the name and time again: one header
        pending = (h.name, when)
        if text:
            out.append((h.name, when, text))
            pending = None
    return out
