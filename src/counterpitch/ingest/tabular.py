"""Approaches from CSV, for bulk use (a report mailbox export, a spreadsheet a security team keeps).

Columns are matched by name (case and surrounding spaces ignored); `text` (the message) or `account` (what
happened, in the reporter's words) is required, and a missing `id` becomes `row-N`. The mapping, as the header
names it:

    id, channel, sent_at, subject, text, account,
    sender_name, sender_headline, sender_company, sender_location, sender_url, sender_email,
    sender_connections, sender_account_created,
    recipient_name, recipient_headline, recipient_organisation

Unknown columns are ignored. Every row is validated like any other Approach; a bad row is a `RecordError`
naming the file, the line and the column. Cells that start with =, +, - or @ are read as text (never evaluated).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from pydantic import ValidationError

from counterpitch.ingest.records import RecordError
from counterpitch.model import MAX_TEXT_CHARS, Approach

SENDER = {
    "sender_name": "name",
    "sender_headline": "headline",
    "sender_company": "company",
    "sender_location": "location",
    "sender_url": "profile_url",
    "sender_email": "email",
    "sender_connections": "connections",
    "sender_account_created": "account_created",
}
RECIPIENT = {"recipient_name": "name", "recipient_headline": "headline", "recipient_organisation": "organisation"}
TOP = ("id", "channel", "sent_at", "subject", "text", "account")


def _column(loc: tuple[int | str, ...]) -> str:
    """The CSV column a validation error points at, from the model path (sender.connections -> sender_connections)."""
    if len(loc) >= 2 and loc[0] in ("sender", "recipient"):
        table = SENDER if loc[0] == "sender" else RECIPIENT
        for column, name in table.items():
            if name == loc[1]:
                return column
    return str(loc[0]) if loc else ""


def read_csv(stream: BinaryIO, source: str) -> Iterator[Approach | RecordError]:
    """Each row as an Approach or the error that stopped it, read as the rows are taken (never the whole file)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        yield from _rows(text, source)
    except UnicodeDecodeError as exc:
        yield RecordError(source, "", "", f"not valid UTF-8 (byte {exc.start} of a block); save the CSV as UTF-8")
    finally:
        text.detach()  # the caller owns the stream (standard input stays open)


def _rows(text: io.TextIOWrapper, source: str) -> Iterator[Approach | RecordError]:
    # The csv module's limit is process-wide (131,072 by default; the archive reader raises it): set it here so a
    # cell just past MAX_TEXT_CHARS is one refused row, not the end of the file, whatever ran before.
    csv.field_size_limit(MAX_TEXT_CHARS + 1)
    reader = csv.reader(text)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        yield RecordError(source, "line 1", "", "empty or unreadable CSV: expected a header row")
        return
    names = [h.strip().lower() for h in header]
    if "text" not in names and "account" not in names:
        yield RecordError(source, "line 1", "text", "the header has no 'text' column (nor an 'account' column)")
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RecordError(source, f"line {reader.line_num}", "", f"malformed CSV: {exc}")
            return
        where = f"line {reader.line_num}"
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(names, row, strict=False))
        if any(len(c) > MAX_TEXT_CHARS for c in row):
            yield RecordError(source, where, "", f"a cell is longer than {MAX_TEXT_CHARS:,} characters")
            continue
        record: dict[str, object] = {k: cells[k] for k in TOP if cells.get(k, "").strip()}
        record.setdefault("id", f"row-{reader.line_num}")
        record.setdefault("text", cells.get("text", ""))
        for part, table in (("sender", SENDER), ("recipient", RECIPIENT)):
            values = {field: cells[col].strip() for col, field in table.items() if cells.get(col, "").strip()}
            if values:
                record[part] = values
        try:
            yield Approach.model_validate(record)
        except ValidationError as exc:
            e = exc.errors()[0]
            yield RecordError(source, where, _column(e["loc"]), e["msg"])
