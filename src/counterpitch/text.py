"""Text helpers every detector shares: which fields of an approach are "the message", and sentence spans.

Offsets are always into the original field string, so evidence can be highlighted exactly where it was seen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import NamedTuple

from counterpitch.model import Approach, Evidence, PersonProfile

#: Evidence(**fields) less BaseModel.__init__'s Python frame: the same validation, a third cheaper.
_new_evidence: Callable[[dict[str, object]], Evidence] = Evidence.__pydantic_validator__.validate_python


class Span(NamedTuple):
    """A piece of text inside one field of the input, with its offsets in that field.

    A named tuple rather than a dataclass: messages are split into thousands of these in bulk screening.
    """

    field: str
    start: int
    end: int
    text: str

    def evidence(self, max_quote: int = 240) -> Evidence:
        quote = self.text[self.start : self.end]
        if len(quote) > max_quote:
            quote = quote[: max_quote - 1] + "…"
        return _new_evidence({"field": self.field, "start": self.start, "end": self.end, "quote": quote})


# A sentence ends at . ! ? or a line break, followed by space; abbreviations cost us at most a split sentence,
# which only narrows a co-occurrence window. A point with a digit or a small letter straight after it ends
# nothing: "1.500 euros" (the thousands separator of most European languages), "GBP 1.5k", "setup.exe", "wp.pl".
# Before a capital it does: scraped text loses the space as often as the line break ("our team.We offer").
_SENTENCE = re.compile(r"[^.!?\n]+(?:\.(?=[a-z0-9])[^.!?\n]*)*(?:[.!?]+|\n|$)")


#: Typographic characters and their plain forms, one character for one, so offsets stay valid.
_ONE_TO_ONE = (
    ("\u2018", "'"),
    ("\u2019", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u2013", "-"),
    ("\u2014", "-"),
    ("\u00a0", " "),
)


@lru_cache(maxsize=4096)
def clean(text: str) -> str:
    """Map typographic quotes, dashes and no-break spaces one to one, so offsets stay valid.

    Memoised: every rule reads the same few fields of the message in hand. A few `str.replace` calls rather
    than `str.translate`: translating non-ASCII text looks every character up in the table, which cost 20 µs
    for a typical message (a fifth of the rules' pre-filter).
    """
    if text.isascii():
        return text
    for typographic, plain in _ONE_TO_ONE:
        if typographic in text:
            text = text.replace(typographic, plain)
    return text


#: The field that holds the reporter's account of the approach (model.Approach.account): what the sender did,
#: told in the reporter's words. Phrase rules read it in the third person (detectors/assertion.py, `told`).
ACCOUNT = "account"


def message_fields(approach: Approach) -> Iterator[tuple[str, str]]:
    """What the sender said: subject, text and the sender's turns of the thread, as written; then the reporter's
    account of it, when one is given (field `account`, read as told: see ACCOUNT)."""
    if approach.subject:
        yield "subject", approach.subject
    yield "text", approach.text
    for i, turn in enumerate(approach.thread):
        if turn.from_ == "sender":
            yield f"thread[{i}].text", turn.text
    if approach.account:
        yield ACCOUNT, approach.account


def profile_fields(profile: PersonProfile, prefix: str) -> Iterator[tuple[str, str]]:
    """Every free-text field of a person's profile, with its dotted path."""
    for name in ("name", "headline", "company", "location", "about"):
        value = getattr(profile, name)
        if value:
            yield f"{prefix}.{name}", value
    for i, pos in enumerate(profile.experience or ()):
        for name in ("title", "company", "location", "description"):
            value = getattr(pos, name)
            if value:
                yield f"{prefix}.experience[{i}].{name}", value


def sentences(field: str, text: str) -> Iterator[Span]:
    """Sentence spans of one field, offsets into `text`, leading and trailing blanks trimmed."""
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            yield Span(field, start, end, text)


#: A "sentence" longer than this is read in pieces: text whose line breaks were lost (a job advert's bullet list
#: pasted as "...a passionate leaderMust believe in high standards...") otherwise runs for paragraphs, and a
#: co-occurrence rule would pair words that stand nowhere near each other.
LONGEST_SENTENCE = 300
#: Where a long sentence is best cut, most natural first: a lost line break (a lower-case word running into a
#: capitalised one: "leaderMust"; both sides at least three lower-case letters long, so that WhatsApp, WeChat,
#: LinkedIn or PayPal are never cut), a colon, semicolon or spaced dash; then a comma; then any space.
_CUTS = (
    re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]{3})|(?<=[:;])\s|\s[-–—]\s"),
    re.compile(r"(?<=,)\s"),
    re.compile(r"\s"),
)


def bounded_sentences(field: str, text: str, longest: int = LONGEST_SENTENCE) -> Iterator[Span]:
    """`sentences`, with any sentence longer than `longest` characters cut into pieces no longer than that, each
    cut at the most natural place in its second half (see `_CUTS`)."""
    for sp in sentences(field, text):
        start, end = sp.start, sp.end
        while end - start > longest:
            lo, hi = start + longest // 2, start + longest
            cut = hi
            for rx in _CUTS:
                found = [m.start() for m in rx.finditer(text, lo, hi)]
                if found:
                    cut = found[-1]
                    break
            piece_end = cut
            while piece_end > start and text[piece_end - 1].isspace():
                piece_end -= 1
            yield Span(field, start, piece_end, text)
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if end > start:
            yield Span(field, start, end, text)


_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_ANY_INVISIBLE = re.compile("[" + "".join(sorted(_INVISIBLE)) + "]")


@lru_cache(maxsize=4096)
def without_invisible(text: str) -> tuple[str, tuple[int, ...] | None]:
    """`text` without zero-width characters and soft hyphens, and where each remaining character came from.

    "pa\u200by" must read as "pay": an invisible character inside a word is a known way to slip past word
    lists. The positions map offsets in the stripped text back to the original (None when nothing was removed).
    """
    # Every message passes here, few hold invisible characters: ASCII text cannot, and one regex scan in C
    # settles the rest (a character-by-character test in Python cost 10% of bulk screening).
    if text.isascii() or not _ANY_INVISIBLE.search(text):
        return text, None
    keep = tuple(i for i, c in enumerate(text) if c not in _INVISIBLE)
    return "".join(text[i] for i in keep), (*keep, len(text))
