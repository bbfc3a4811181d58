"""The wording model's tokens: runs of two or more word characters, as scikit-learn's default pattern finds them.

A module of its own because two layers read them: the model (semantic/textmodel.py) and what it must not see
(semantic/blind.py), which masks place and person names in the same token list.
"""

from __future__ import annotations

import re

#: scikit-learn's default token pattern: runs of two or more word characters.
TOKEN = re.compile(r"(?u)\b\w\w+\b")
#: Every ASCII byte that is not a word character (as `\w` means it) becomes a space.
_ASCII_WORDS = bytes(b if re.fullmatch(rb"\w", bytes([b])) else 32 for b in range(128)) + b" " * 128
#: The same for ASCII, leaving the bytes of UTF-8 sequences (128-255) as they are.
_ASCII_WORDS_HIGH_KEPT = _ASCII_WORDS[:128] + bytes(range(128, 256))


def tokens(text: str) -> list[str]:
    """The model's tokens, lower-cased: what `TOKEN.findall(text.lower())` returns.

    One byte translation and a split find the same runs of word characters at a fraction of the cost of the
    regex (which was a third of the wording model's time): ASCII bytes that are not word characters become
    spaces, UTF-8 sequences of other characters pass through. A piece holding a non-ASCII character that is
    not a word character (a curly quote, a pound sign) is split by the regex itself; `\\w` means exactly
    "alphanumeric or underscore" as `str.isalnum` decides it, so pieces that pass that test need no regex.
    """
    return words_as_written(text.lower())


def words_as_written(text: str) -> list[str]:
    """`TOKEN.findall(text)`, case kept (see `tokens`). For ASCII text it lines up one to one with
    `tokens(text)`: lower-casing ASCII changes no length and no character's class."""
    if text.isascii():
        return [w for w in text.encode().translate(_ASCII_WORDS).decode().split() if len(w) > 1]
    out: list[str] = []
    spaced = text.encode("utf-8", "surrogatepass").translate(_ASCII_WORDS_HIGH_KEPT).decode("utf-8", "surrogatepass")
    for w in spaced.split():
        if w.isascii() or w.replace("_", "").isalnum():
            if len(w) > 1:
                out.append(w)
        else:
            out += TOKEN.findall(w)
    return out
