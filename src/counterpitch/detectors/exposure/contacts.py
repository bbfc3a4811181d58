"""exposure.personal_contact: a phone number, personal e-mail address or messenger handle on the profile.

Hostile recruiters move people off the platform early; a published channel saves them the step. The patterns
here are code, not data: each needs a check a word list cannot express (a role mailbox, a year range that
looks like a phone number, a messenger name that is also an everyday word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from counterpitch.detectors.base import DetectorMeta, Span
from counterpitch.detectors.context import Context
from counterpitch.detectors.exposure.common import _MAX_MENTIONS, Scan, _ExposureDetector, _Hits
from counterpitch.detectors.exposure.text import _PROSE, _Anchors, _fields, _joined
from counterpitch.model import Profile

_EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,4}"
    r"[A-Za-z]{2,24})(?![\w-])"
)
_EMAIL_HIDDEN = re.compile(
    r"(?i)(?<![\w.+-])([a-z0-9][a-z0-9._%+-]{0,63}) ?(?:\[at\]|\(at\)|\{at\}|<at>) ?([a-z0-9-]{1,63}) ?"
    r"(?:\[dot\]|\(dot\)|\{dot\}|<dot>| dot |\.) ?([a-z]{2,24})\b"
)
#: "jane at gmail dot com": spelled out, only believed for a personal mail service ("work at Google dot com").
_EMAIL_SPELLED = re.compile(r"(?i)(?<![\w.+-])([a-z0-9][a-z0-9._%+-]{0,63}) at ([a-z0-9-]{1,63}) dot ([a-z]{2,24})\b")
_EMAIL_HIDDEN_ANCHORS = ("[at]", "(at)", "{at}", "<at>")
#: Mailboxes of an organisation, not a person.
_ROLE_MAILBOX = re.compile(
    r"(?i)info|contact|hello|enquir\w*|inquir\w*|press|media|sales|support|admin|office|team|careers|jobs|hr|"
    r"recruit\w*|no-?reply|webmaster|marketing|mail"
)
#: Free personal mail services: an address there is the person's own channel, off every employer's record.
WEBMAIL = re.compile(
    r"(?i)(?:^|\.)(?:gmail|googlemail|outlook|hotmail|live|msn|yahoo|ymail|icloud|me|mac|aol|proton|protonmail|pm|"
    r"gmx|mail|yandex|qq|163|126|sina|tutanota|tuta|fastmail|zoho|btinternet|bigpond|optusnet|xtra|virginmedia|"
    r"sky|talktalk|comcast|verizon)\.[a-z.]+$"
)
PHONE = re.compile(r"(?<![\w+/.-])(?:\+|00|\()?\d[\d \t().\-]{6,20}\d(?![\w/])")
DIGIT_RUN = re.compile(r"\d[\d \t().\-]{7,}")
_PHONE_BAD = re.compile(r"[ \t.\-]{2,}|(?:19|20)\d\d\s*-\s*(?:19|20)\d\d")
_PHONE_US = re.compile(r"\(?\d{3}\)?[ .\-]\d{3}[ .\-]\d{4}")
_PHONE_CUE = re.compile(
    r"(?i)(?:phone|mobile|mob|tel|cell|call|ring|text|whats\s?app|signal|telegram|viber|contact|reach|sms)\b\W{0,12}"
    r"(?:\w+\W+){0,3}$"
)
_NOT_PHONE = re.compile(
    r"(?i)(?:isbn|issn|doi|grant|ref|reference|abn|acn|ein|vat|reg(?:istration|istered)?|company|charity|licen[cs]e|"
    r"patent|account|invoice|order|serial)\W{0,3}(?:no\b|number|num|#)?\W{0,4}$"
)

_APP = (
    r"(?:(?i:whats\s?app|telegram|we\s?chat|weixin|discord|viber|threema|wickr|skype|kakao\s?talk)"
    r"|\u5fae\u4fe1|Signal|LINE|QQ)"
)
_HANDLE = (
    r"(?:@[A-Za-z0-9_.]{3,32}|\+?\d[\d \-()]{5,18}\d|[A-Za-z0-9_.\-]{0,32}[\d_][A-Za-z0-9_.\-]{0,32}"
    r"|[\w.]{2,32}#\d{4}|[A-Za-z0-9_\-]{1,32}\.[A-Za-z0-9_.\-]{1,32})"
)
_GAP, _SPACE = r"\s{0,3}", r"\s{1,3}"  # bounded, so a run of blanks cannot make a pattern backtrack for long
MESSENGER = re.compile(
    "|".join(
        (
            rf"{_APP}{_GAP}(?i:id|handle|user\s?name|number|no\.?)?{_GAP}[:=]{_GAP}{_HANDLE}",
            rf"{_APP}{_GAP}(?i:id|handle|user\s?name){_GAP}(?:[:=]|(?i:is)\b)?{_GAP}[A-Za-z0-9_.\-]{{3,32}}",
            rf"{_APP}{_SPACE}(?i:me|us)\b",
            rf"(?i:(?:message|contact|reach|find|add|ping|text|call|dm|hit){_SPACE}(?:me|us)(?:{_SPACE}up)?"
            rf"{_SPACE}(?:on|via|at|through|over)){_SPACE}{_APP}",
            rf"{_APP}{_GAP}(?i:(?:at|on|is){_SPACE})?(?:@[A-Za-z0-9_.]{{3,32}}|\+\d[\d \-()]{{6,18}}\d)",
            r"(?i:wa\.me/\+?\d+|t\.me/[A-Za-z0-9_]{3,}|signal\.me/|u\.wechat\.com/|discord(?:app)?\.com/users/\d+)",
            # an id written straight after the app's name: it must look like one (a digit or an underscore in it)
            rf"{_APP}{_GAP}(?i:(?:at|on|is){_SPACE})?(?=[A-Za-z0-9_.\-]{{0,31}}[\d_])[A-Za-z][A-Za-z0-9_.\-]{{3,31}}"
            r"(?![\w.\-])",
        )
    )
)
#: Text every messenger pattern contains (cased where the word is common otherwise: "online", "signal").
MESSENGER_ANCHORS = (
    ("whats", False), ("telegram", False), ("wechat", False), ("we chat", False), ("weixin", False),
    ("discord", False), ("viber", False), ("threema", False), ("wickr", False), ("skype", False),
    ("kakao", False), ("Signal", True), ("LINE", True), ("QQ", True), ("\u5fae\u4fe1", False),
    ("wa.me", False), ("t.me", False), ("signal.me", False),
)  # fmt: skip
MESSENGER_INDEX = _Anchors(MESSENGER_ANCHORS)


def phone_ok(text: str, m: re.Match[str]) -> bool:
    raw = m.group(0)
    digits = sum(c.isdigit() for c in raw)
    if not 9 <= digits <= 15 or _PHONE_BAD.search(raw):
        return False
    before = text[max(0, m.start() - 40) : m.start()]
    if _NOT_PHONE.search(before):
        return False
    if raw.startswith(("+", "00")) or (raw.startswith(("0", "(")) and digits >= 10) or _PHONE_US.fullmatch(raw):
        return True
    return bool(_PHONE_CUE.search(before))


def scan_contacts(p: Profile) -> Scan:
    """Personal contact channels published on the profile: phone, e-mail, messenger."""
    hits: Scan = {}
    fields = _fields(p, _PROSE)
    everything = _joined(p, _PROSE)
    low = _joined(p, _PROSE, low=True)
    emails = [
        rx
        for rx, present in (
            (_EMAIL, "@" in everything),
            (_EMAIL_HIDDEN, any(h in low for h in _EMAIL_HIDDEN_ANCHORS)),
            (_EMAIL_SPELLED, " dot " in low),
        )
        if present
    ]
    messengers = bool(MESSENGER_INDEX.present(everything))
    phones = DIGIT_RUN.search(everything) is not None
    if not (emails or messengers or phones):
        return hits
    for f in fields:
        for rx in emails:
            for m in islice(rx.finditer(f.text), _MAX_MENTIONS):
                local, domain = m.group(1), m.group(2)
                webmail = bool(WEBMAIL.search(domain if rx is _EMAIL else f"{domain}.{m.group(3)}"))
                if _ROLE_MAILBOX.fullmatch(local) or (rx is _EMAIL_SPELLED and not webmail):
                    continue
                strength = 1.0 if webmail or rx is _EMAIL_HIDDEN else 0.7
                hits.setdefault("email", _Hits()).add(Span(f.path, m.start(), m.end(), f.text), strength)
        if messengers and MESSENGER_INDEX.present(f.text):
            for m in islice(MESSENGER.finditer(f.text), _MAX_MENTIONS):
                hits.setdefault("messenger", _Hits()).add(Span(f.path, m.start(), m.end(), f.text), 1.0)
        if phones:
            for m in islice(PHONE.finditer(f.text), _MAX_MENTIONS):
                if phone_ok(f.text, m):
                    hits.setdefault("phone", _Hits()).add(Span(f.path, m.start(), m.end(), f.text), 0.9)
    return hits


# --- the detector ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactExposure(_ExposureDetector):
    def scan(self, profile: Profile, ctx: Context) -> Scan:
        return scan_contacts(profile)

    def describe(self, value: str) -> str:
        channel = {"phone": "a phone number", "email": "a personal e-mail address"}.get(value, "a messenger handle")
        return f"Your profile publishes {channel}."


CONTACT = ContactExposure(
    DetectorMeta(
        id="exposure.personal_contact",
        title="Your profile publishes a personal contact channel",
        severity="low",
        explanation="Recruiters working for hostile services move people off the platform early, to WhatsApp, "
        "WeChat, Telegram, personal e-mail or phone, where no one else sees the conversation.",
        guidance="Remove personal numbers, addresses and messenger handles; let contacts reach you through "
        "the platform or your work address.",
        sources=(
            "tradecraft.md, Message: an early move to WeChat, WhatsApp, Telegram, personal e-mail or phone",
            "Operation Dream Job (Lazarus, ATT&CK C0022): fake recruiters move targets to WhatsApp",
            "Kevin Mallory (US, convicted 2018): a covert phone",
        ),
        attack=("T1593.001", "T1589.002"),
        target="profile",
    )
)
