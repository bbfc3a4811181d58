"""Reading Approach and Profile records from JSON, a JSON array or JSON Lines, as hostile input.

Every record is validated on load. A bad record becomes a `RecordError` naming the file, the line (JSONL) or
item (array) and the field, and the caller decides whether to stop or, with keep-going, to skip it and go on.
Limits bound the work one file can force: a line or document beyond `MAX_RECORD_BYTES` is refused unread.
"""

from __future__ import annotations

import json
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
        yield from _array(head + stream.read(MAX_DOCUMENT_BYTES + 1), model, source)
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


def _array(raw: bytes, model: type[T], source: str) -> Iterator[T | RecordError]:
    try:
        items = _load_document(raw, source)
    except RecordError as err:
        yield err
        return
    assert isinstance(items, list)
    for i, item in enumerate(items):
        try:
            yield _validate(model, item, source, f"item {i}")
        except RecordError as err:
            yield err
