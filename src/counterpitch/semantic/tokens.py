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
    """`TOKEN.findall(text)`, case kept (see `tokens`)."""
    if text.isascii():
        return [w for w in text.encode().translate(_ASCII_WORDS).decode().split() if len(w) > 1]
    return _split(
        text.encode("utf-8", "surrogatepass").translate(_ASCII_WORDS_HIGH_KEPT).decode("utf-8", "surrogatepass")
    )


#: Characters of typographic text that are no word characters and often touch a word ("Tom\u2019s", "\u201cTom\u201d").
_TYPOGRAPHIC = "\u2019\u2018\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb\u201e\u00a0"


def tokens_with_gaps(text: str, words: list[str], gap: str) -> list[str]:
    """`tokens(text)` with each whole-word occurrence of `words` (case as given) as `gap`.

    The words are replaced in the translated text, where every ASCII non-word character is a space (and so are
    the typographic ones above), so a padded `str.replace` finds whole words only, at C speed: a regex of this
    message's names would have to be compiled anew for each message. Lower-casing after the translation finds
    the same tokens as before it: it changes no ASCII character's class.
    """
    if text.isascii():
        spaced = text.encode().translate(_ASCII_WORDS).decode()
    else:
        spaced = (
            text.encode("utf-8", "surrogatepass").translate(_ASCII_WORDS_HIGH_KEPT).decode("utf-8", "surrogatepass")
        )
        for c in _TYPOGRAPHIC:
            if c in spaced:
                spaced = spaced.replace(c, " ")
    spaced = f" {spaced} "
    blank = f" {gap} "
    for w in words:
        padded = f" {w} "
        spaced = spaced.replace(padded, blank).replace(padded, blank)  # twice: "Tom Tom" shares a space
    return _split(spaced.lower())


def _split(spaced: str) -> list[str]:
    """The tokens of lower-cased text whose ASCII non-word characters are spaces already (see `tokens`)."""
    if spaced.isascii():
        return [w for w in spaced.split() if len(w) > 1]
    out: list[str] = []
    for w in spaced.split():
        if w.isascii() or w.replace("_", "").isalnum():
            if len(w) > 1:
                out.append(w)
        else:
            out += TOKEN.findall(w)
    return out
