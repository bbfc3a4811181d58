"""Reading Approach and Profile records from JSON, a JSON array or JSON Lines, as hostile input.

Every record is validated on load. A bad record becomes a `RecordError` naming the file, the line (JSONL) or
item (array) and the field, and the caller decides whether to stop or, with keep-going, to skip it and go on.
Limits bound the work one file can force: a line or document beyond `MAX_RECORD_BYTES` is refused unread.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, TypeVar

from pydantic import BaseModel, ValidationError

from counterpitch.model import MAX_TEXT_CHARS

#: A record larger than this is refused. A genuine approach with its thread is a few kilobytes.
MAX_RECORD_BYTES = 4 * MAX_TEXT_CHARS
#: A whole JSON document (object or array) larger than this must be given as JSON Lines instead.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024

T = TypeVar("T", bound=BaseModel)
#: json.loads recurses once per nested array or object; a few thousand brackets exhaust Python's stack.
#: What `_Window.next_char` skips to: anything but JSON's blanks.
_NOT_BLANK = re.compile(r"[^ \t\r\n]")
_TOO_DEEP = "JSON nested too deeply to read (arrays or objects inside one another past Python's recursion limit)"


@dataclass(frozen=True)
class RecordError(Exception):
    source: str
    where: str  # "line 3", "item 2" or "" for a single document
    field: str  # dotted path, "" when the record as a whole is at fault
    message: str

    #: How many bad records this error stands for (more than one for "N more bad records").
    count: int = 1

    def __str__(self) -> str:
        place = ", ".join(p for p in (self.source, self.where) if p)
        field = f"field '{self.field}'" if self.field else ""
        return ": ".join(p for p in (place, field, self.message) if p)


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _validate(model: type[T], data: object, source: str, where: str) -> T:
    if not isinstance(data, dict):
        raise RecordError(source, where, "", f"expected a JSON object, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = err["msg"]
        if err["type"] == "string_too_long":
            msg = f"too long (more than {MAX_TEXT_CHARS:,} characters)"
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise RecordError(source, where, _field_path(err["loc"]), msg + more) from None


def _decode(raw: bytes, source: str, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(source, where, "", f"not valid UTF-8 (byte {exc.start}); is this a binary file?") from None


def read_records(stream: BinaryIO, model: type[T], source: str) -> Iterator[T | RecordError]:
    """Yield each record, or the error that stopped it; the stream is read lazily for JSON Lines."""
    head = stream.read(1)
    while head in (b" ", b"\t", b"\r", b"\n"):
        head = stream.read(1)
    if head == b"\xef":  # a UTF-8 byte-order mark
        stream.read(2)
        head = stream.read(1)
    if not head:
        yield RecordError(source, "", "", "empty input: expected JSON, a JSON array or JSON Lines")
        return
    if head == b"[":
        yield from _array(stream, model, source)
        return
    first = head + stream.readline(MAX_RECORD_BYTES + 1)
    rest_is_jsonl = True
    overlong = len(first) > MAX_RECORD_BYTES
    if head == b"{" and not overlong:
        # One pretty-printed object spans lines; a JSONL file has a complete object on its first line.
        try:
            json.loads(_decode(first, source, "line 1"))
        except (json.JSONDecodeError, RecordError, RecursionError):
            rest_is_jsonl = False
    if not rest_is_jsonl:
        yield from _document(first + stream.read(MAX_DOCUMENT_BYTES + 1), model, source)
        return
    yield from read_lines(first, stream, model, source)


def read_lines(first: bytes, stream: BinaryIO, model: type[T], source: str) -> Iterator[T | RecordError]:
    number, raw = 1, first
    while raw:
        where = f"line {number}"
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            yield RecordError(source, where, "", f"line longer than {MAX_RECORD_BYTES:,} bytes; skipped")
            while raw and not raw.endswith(b"\n"):  # discard the rest of the over-long line
                raw = stream.readline(MAX_RECORD_BYTES + 1)
        elif raw.strip():
            try:
                text = _decode(raw, source, where)
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise RecordError(source, where, "", f"malformed JSON at column {exc.colno}: {exc.msg}") from None
                except RecursionError:
                    raise RecordError(source, where, "", _TOO_DEEP) from None
                yield _validate(model, data, source, where)
            except RecordError as err:
                yield err
        number += 1
        raw = stream.readline(MAX_RECORD_BYTES + 1)


def _load_document(raw: bytes, source: str) -> object:
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise RecordError(source, "", "", f"larger than {MAX_DOCUMENT_BYTES:,} bytes; give it as JSON Lines")
    text = _decode(raw, source, "")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(
            source, f"line {exc.lineno}", "", f"malformed JSON at column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise RecordError(source, "", "", _TOO_DEEP) from None


def _document(raw: bytes, model: type[T], source: str) -> Iterator[T | RecordError]:
    try:
        yield _validate(model, _load_document(raw, source), source, "")
    except RecordError as err:
        yield err


def _array(stream: BinaryIO, model: type[T], source: str) -> Iterator[T | RecordError]:
    """The items of a JSON array (its `[` already read), each decoded as soon as it is complete: the array is
    never held whole, however large. A malformed item ends the array (what follows it cannot be told apart);
    the items before it have been yielded."""
    window = _Window(stream, source)
    try:
        yield from _items(window, model, source)
    except RecordError as err:  # the stream itself went wrong (malformed, not UTF-8, too large): the array ends
        yield err


def _items(window: _Window, model: type[T], source: str) -> Iterator[T | RecordError]:
    if window.next_char() == "]":
        window.take(1)
        window.rest_is_blank()
        return
    for i in itertools.count():
        item = window.item(i)
        try:
            yield _validate(model, item, source, f"item {i}")
        except RecordError as err:
            yield err
        after = window.next_char()
        window.take(1)
        if after == "]":
            window.rest_is_blank()
            return
        if after != ",":
            raise window.error("Expecting ',' delimiter", -1)


class _Window:
    """Decoded text of a stream, read in blocks as items need it; places are counted as the file's lines."""

    BLOCK = 1 << 16

    def __init__(self, stream: BinaryIO, source: str) -> None:
        self.stream, self.source = stream, source
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.buf, self.pos, self.eof = "", 0, False
        self.line, self.line_start, self.offset = 1, 0, 0  # line of buf[0], where that line starts, buf[0]'s offset

    def more(self) -> bool:
        """Read another block (dropping what has been consumed); False at the end of the stream."""
        if self.eof:
            return False
        gone = self.buf[: self.pos]
        if (n := gone.count("\n")) > 0:
            self.line += n
            self.line_start = self.offset + gone.rfind("\n") + 1
        self.offset += self.pos
        self.buf, self.pos = self.buf[self.pos :], 0
        raw = self.stream.read(max(self.BLOCK, len(self.buf)))  # doubles for an item larger than a block
        try:
            self.buf += self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            raise self.error(f"not valid UTF-8 (byte {exc.start} of a block); is this a binary file?", 0) from None
        self.eof = not raw
        return True

    def next_char(self) -> str:
        """The next character that is not blank ("" at the end), not consumed. (A search rather than a loop over
        characters: the loop's `in` test broke under atheris's bytecode instrumentation on Python 3.11.)"""
        while True:
            m = _NOT_BLANK.search(self.buf, self.pos)
            self.pos = m.start() if m is not None else len(self.buf)
            if m is not None or not self.more():
                return self.buf[self.pos : self.pos + 1]

    def take(self, n: int) -> None:
        self.pos += n

    def item(self, index: int) -> object:
        if self.next_char() == "":
            raise self.error("Expecting value", 0)
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if _cut_short(exc, len(self.buf)) and self._room() and self.more():
                    continue
                if not self._room():
                    raise RecordError(
                        self.source, f"item {index}", "", f"larger than {MAX_RECORD_BYTES:,} bytes; not read"
                    ) from None
                raise self.error(exc.msg, exc.pos - self.pos) from None
            except RecursionError:
                raise RecordError(self.source, f"item {index}", "", _TOO_DEEP) from None
            if end < len(self.buf) or self.eof or not self._room() or not self.more():
                self.pos = end
                return value
            # The item ended where the block did: a number may go on in the next block; decode it again.

    def _room(self) -> bool:
        return len(self.buf) - self.pos <= MAX_RECORD_BYTES

    def error(self, msg: str, ahead: int) -> RecordError:
        at = max(0, min(self.pos + ahead, len(self.buf)))
        seen = self.buf[:at]
        if (n := seen.count("\n")) > 0:
            line, column = self.line + n, at - seen.rfind("\n")
        else:
            line, column = self.line, self.offset + at - self.line_start + 1
        return RecordError(self.source, f"line {line}", "", f"malformed JSON at column {column}: {msg}")

    def rest_is_blank(self) -> None:
        if self.next_char() != "":
            raise self.error("Extra data", 0)


_DECODER = json.JSONDecoder()


def _cut_short(exc: json.JSONDecodeError, length: int) -> bool:
    """Whether the error may only mean the block ended inside the item (a string, number or literal running
    to the end): then more of the stream may complete it. Any other error is the item's own."""
    return exc.msg.startswith("Unterminated string") or exc.pos >= length - 64
