"""What a new password must be (decision 0047): long, not the user name, and not what guessers try first.

Refused, each with a message naming why: fewer than 12 characters (or more than 1024); blank; one character or
a short run of up to four repeated ("aaaaaaaaaaaa", "abcabcabcabc"); the user name or anything containing it
(letters compared case-blind, with or without its dots and dashes); one of the 20,000 commonest passwords, alone,
repeated, or with only digits, symbols and spaces around it ("password1234", "Qwerty2026!!"). The list is data
(data/accounts/common_passwords.json.gz, remade by scripts/build_account_lists.py), checked when first read.
Passwords are compared after NFKC and case folding, the way they are typed differently, not stored differently.
"""

from __future__ import annotations

import gzip
import json
import re
import string
import unicodedata
from functools import cache
from importlib import resources

MIN_PASSWORD = 12
MAX_PASSWORD = 1024
_AROUND = string.digits + string.punctuation + string.whitespace
_SEPARATORS = re.compile(r"[\W_]+")


def check(password: str, name: str | None = None) -> None:
    """None when `password` will do for the account called `name`; ValueError("password: why") when not."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ValueError(f"password: {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    folded = unicodedata.normalize("NFKC", password).casefold()
    if not folded.strip():
        raise ValueError("password: more than spaces, please")
    unit = _repeated_unit(folded)
    if len(unit) <= 4:
        raise ValueError("password: one character or a short run repeated is easy to guess")
    if name and _contains_name(folded, name):
        raise ValueError("password: must not contain the user name")
    common = common_passwords()
    core = folded.strip(_AROUND)
    if folded in common or unit in common or (core and (core in common or _repeated_unit(core) in common)):
        raise ValueError("password: one of the most common passwords; a few unrelated words make a better one")


def _repeated_unit(text: str) -> str:
    """The shortest piece `text` is made of, repeated ("abab" -> "ab"; "abc" -> "abc")."""
    doubled = (text + text).find(text, 1)
    return text[:doubled] if 0 < doubled < len(text) else text


def _contains_name(folded: str, name: str) -> bool:
    key = unicodedata.normalize("NFKC", name).strip().casefold()
    if key and key in folded:
        return True
    bare = _SEPARATORS.sub("", key)
    return len(bare) >= 3 and bare in _SEPARATORS.sub("", folded)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, checked: a named source and licence, and lower-case entries without surrounding space."""
    raw = (resources.files("counterpitch") / "data" / "accounts" / "common_passwords.json.gz").read_bytes()
    data = json.loads(gzip.decompress(raw))
    if not data.get("source") or not data.get("licence"):
        raise ValueError("common_passwords.json.gz: the list must name its source and licence")
    words = data.get("passwords")
    if not isinstance(words, list) or len(words) < 1000:
        raise ValueError("common_passwords.json.gz: 'passwords' must be a list of at least 1,000 entries")
    bad = [w for w in words if not isinstance(w, str) or not w or w != w.strip() or w != w.lower()]
    if bad:
        raise ValueError(f"common_passwords.json.gz: entries must be lower-case and trimmed ({bad[0]!r})")
    return frozenset(unicodedata.normalize("NFKC", w).casefold() for w in words)
