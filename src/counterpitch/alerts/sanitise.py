"""Making hostile text safe to put in a briefing that people read in their mail client.

Every name, headline, URL and handle in a briefing came from a profile the adversary wrote. HTML escaping is
the template's job (autoescape); this module makes each value one short line (no control or bidi characters,
no line breaks, so nothing can start a line that looks like a mail header or an instruction) and defangs links,
domains and addresses (``hxxps://evil[.]example``, ``name[@]host[.]example``, ``javascript[:]``) so no mail
client turns them into something clickable.
"""

from __future__ import annotations

import re
import unicodedata

#: A value longer than this is cut: a briefing names a persona, it does not reproduce a profile.
MAX_VALUE_CHARS = 200
SUBJECT_CHARS = 160

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SPACE = re.compile(r"\s+")
_SCHEME = re.compile(r"\b(https?|ftps?|s?ftp|wss?|javascript|vbscript|data|file|mailto|tel|sms)\s*:", re.IGNORECASE)
_DOT = r"[.\u3002\uff0e\uff61]"
_HOSTLIKE = re.compile(rf"[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,63}}\b")
_DOT_RE = re.compile(_DOT)
_AT = re.compile(r"(?<=[\w.+-])[@\uff20](?=[\w-])")


def one_line(value: object, limit: int = MAX_VALUE_CHARS) -> str:
    """The value as one line of at most ``limit`` characters: control, bidi, format and unassigned characters
    dropped, every run of whitespace (line breaks and Unicode separators included) made one space."""
    kept = "".join(c for c in str(value) if c.isspace() or _printable(c))
    flat = _SPACE.sub(" ", kept).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _printable(c: str) -> bool:
    return c not in _BIDI and unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn")


def defang(text: str) -> str:
    """Links, host names and addresses in ``text`` made unclickable, in the usual threat-intelligence form."""
    text = _SCHEME.sub(_defang_scheme, text)
    text = _AT.sub("[@]", text)
    return _HOSTLIKE.sub(lambda m: _DOT_RE.sub("[.]", m.group(0)), text)


def _defang_scheme(match: re.Match[str]) -> str:
    scheme = match.group(1)
    if scheme.lower().startswith("http"):
        return "hxxp" + scheme[4:] + ":"
    return scheme + "[:]"


def safe(value: object, limit: int = MAX_VALUE_CHARS) -> str:
    """One line, defanged: the form of every untrusted value in a briefing."""
    return defang(one_line(value, limit))


def subject_line(text: str) -> str:
    """A mail subject that cannot carry a header break: one line, no control characters, bounded."""
    return one_line(text, SUBJECT_CHARS)
