"""`^` and `$` in a phrase rule's pattern mean the start and end of a sentence.

Phrase rules are read sentence by sentence (detectors/phrases.py), so a rule's author writes
`^\\W*(?:\\w+\\W+){0,2}(?:download|run)\\b` for "an order near the start of a sentence". Matched against a whole
field, `^` would mean the field's first character only, and "Hello. Unzip the file and run the installer"
would pass unseen. A pattern with an anchor is therefore matched within each sentence; the pre-filters, which
read whole fields, get a loosened copy whose anchors also accept a sentence boundary.
"""

from __future__ import annotations

#: What may stand where a sentence starts or ends inside a field (see text.sentences).
_SENTENCE_START = r"(?:^|[.!?\n]\s*)"
_SENTENCE_END = r"(?:$|[.!?\n])"


def anchor_positions(pattern: str) -> list[int]:
    """Where `^` or `$` stands as an anchor: not escaped, not inside a character class."""
    out: list[int] = []
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 1
            if pattern[i : i + 1] == "^":  # a negated class
                i += 1
            if pattern[i : i + 1] == "]":  # a ']' first in a class is literal
                i += 1
            continue
        elif c in "^$":
            out.append(i)
        i += 1
    return out


def is_anchored(pattern: str) -> bool:
    return bool(anchor_positions(pattern))


def loosened(pattern: str) -> str:
    """The pattern for a whole field: each anchor also accepts a sentence boundary (a superset of the matches
    within sentences, which is all a pre-filter needs)."""
    out, last = [], 0
    for i in anchor_positions(pattern):
        out += [pattern[last:i], _SENTENCE_START if pattern[i] == "^" else _SENTENCE_END]
        last = i + 1
    return "".join(out) + pattern[last:]
