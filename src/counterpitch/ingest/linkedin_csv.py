"""The CSV layer of a LinkedIn archive: tables by column name, the dates of each file, HTML message bodies.

Columns come and go between export years and from 2026 every field is quoted, so a table is read by the names in
its header row, found by those names (Connections.csv puts a notes preamble above it). Each problem becomes a
warning naming the member and the line, and the row is skipped; reading goes on.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from counterpitch.ingest.safezip import MemberError, RecordTooLong, SafeZip

#: How far down a file the header row may be (Connections.csv has three lines of notes above it).
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """The cell of `column` (lower case), trimmed; "" when the column is absent in this export."""
        return self.cells.get(column, "").strip()


def _norm(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


def read_rows(zf: SafeZip, member: str, required: tuple[str, ...], warnings: list[str]) -> Iterator[Row]:
    """Data rows of `member` keyed by lower-case column name, after the first row that names all `required`."""
    csv.field_size_limit(zf.limits.max_field_chars)
    lines = zf.text_lines(member, warnings)
    reader = csv.reader(lines)
    header: list[str] | None = None
    while True:
        start = lines.line_no + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except (csv.Error, RecordTooLong) as exc:
            lines.row_done()
            warnings.append(f"{member} line {start}: {_csv_problem(exc, zf)}; row skipped")
            continue
        except MemberError as exc:
            warnings.append(f"{member} line {start}: {exc.message}; rest of the file skipped")
            return
        lines.row_done()
        if header is None:
            names = [_norm(c) for c in cells]
            if set(required) <= set(names):
                header = names
            elif lines.line_no >= HEADER_SEARCH_ROWS:
                break
            continue
        if len(cells) != len(header):
            if any(c.strip() for c in cells):
                warnings.append(
                    f"{member} line {start}: {len(cells)} fields where the header has {len(header)}; row skipped"
                )
            continue
        yield Row(start, dict(zip(header, cells, strict=True)))
    if header is None:
        warnings.append(f"{member} line 1: no header row naming {', '.join(required)}; file skipped")


def _csv_problem(exc: Exception, zf: SafeZip) -> str:
    if isinstance(exc, csv.Error) and "field larger" in str(exc):
        return f"a field longer than {zf.limits.max_field_chars:,} characters"
    return str(exc)


# --- dates -------------------------------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(("jan feb mar apr may jun jul aug sep oct nov dec").split(), start=1)}
_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(UTC|GMT|Z)?")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?")
_DAY_MONTH = re.compile(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_MONTH_YEAR = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{4})")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_YEAR = re.compile(r"(\d{4})")


def _month(name: str) -> int:
    number = _MONTHS.get(name[:3].lower())
    if number is None:
        raise ValueError(f"unknown month {name!r}")
    return number


def _stamp(y: int, mo: int, d: int, h: str | None, mi: str | None, s: str | None, zone: bool) -> str:
    if h is None:
        return datetime(y, mo, d).date().isoformat()
    out = datetime(y, mo, d, int(h), int(mi or 0), int(s or 0)).isoformat()
    return out + "Z" if zone else out


def iso_date(value: str) -> str | None:
    """Any date form of the export, as ISO 8601 at the precision given; None when empty, ValueError when unknown.

    `07 Jun 2022` -> 2022-06-07; `2023-05-01 14:02:11 UTC` and `2023/05/01 ...` -> 2023-05-01T14:02:11Z;
    `5/1/23, 2:02 PM` (US order, no zone) -> 2023-05-01T14:02:00; `Aug 2022` -> 2022-08; `2019` -> 2019.
    """
    text = " ".join(value.replace("\u202f", " ").replace("\xa0", " ").split())
    if not text:
        return None
    if len(text) > 40:
        raise ValueError("too long for a date")
    if m := _ISO.fullmatch(text):
        y, mo, d, h, mi, s, zone = m.groups()
        return _stamp(int(y), int(mo), int(d), h, mi, s, zone is not None)
    if m := _US.fullmatch(text):
        mo, d, y, h, mi, s, half = m.groups()
        year = int(y) + 2000 if len(y) == 2 else int(y)
        hour = h
        if h is not None and half is not None:
            if not 1 <= int(h) <= 12:
                raise ValueError(f"hour {h} with {half}")
            hour = str(int(h) % 12 + (12 if half.lower() == "pm" else 0))
        return _stamp(year, int(mo), int(d), hour, mi, s, False)
    if m := _DAY_MONTH.fullmatch(text):
        return _stamp(int(m[3]), _month(m[2]), int(m[1]), None, None, None, False)
    if m := _MONTH_YEAR.fullmatch(text):
        return f"{int(m[2]):04d}-{_month(m[1]):02d}"
    if m := _YEAR_MONTH.fullmatch(text):
        if not 1 <= int(m[2]) <= 12:
            raise ValueError(f"month {m[2]}")
        return f"{m[1]}-{int(m[2]):02d}"
    if _YEAR.fullmatch(text):
        return text
    raise ValueError(f"date {value[:40]!r} not understood")


def row_date(row: Row, column: str, member: str, warnings: list[str]) -> str | None:
    """The row's date in `column` as ISO 8601; an unknown form is warned about and left empty."""
    try:
        return iso_date(row.get(column))
    except ValueError:
        warnings.append(f"{member} line {row.line}: '{column}' {row.get(column)[:40]!r} is not a date; left empty")
        return None


# --- HTML message bodies ------------------------------------------------------------------------------------------
#
# Not html.parser: on unterminated constructs (`<a <a <a ...`, `<!--<!--...`) it rescans to the end of the input
# from every `<`, minutes of CPU for a 200,000-character message. This scanner moves forward only: each `>`,
# `-->` or closing tag is searched for once, and a failed search ends the scan, so the cost is linear.

_LOOKS_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:[\s/][^<>]*)?>|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)([\s/][^<>]*)?>")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_BLOCK = frozenset("p div br li ul ol tr table h1 h2 h3 h4 h5 h6 blockquote pre hr".split())
_HIDDEN = frozenset(("script", "style", "head", "title", "template"))
_SPACE = re.compile(r"\s+")


def html_to_text(content: str) -> str:
    """Plain text of a message body: tags dropped, entities unescaped, blocks as line breaks, link targets kept.

    A link's target is written after its text when the text does not show it: where a link goes is what a
    reader should check. Nothing is fetched. Text that does not look like HTML is returned as it is.
    """
    if not _LOOKS_HTML.search(content):
        return content
    parts: list[str] = []
    link: tuple[str, int] | None = None
    at, end, next_gt = 0, len(content), -1
    while at < end:
        lt = content.find("<", at)
        if lt < 0:
            lt = end
        if lt > at:
            parts.append(_SPACE.sub(" ", html.unescape(content[at:lt])))
        if lt >= end:
            break
        if content.startswith("<!--", lt):
            close = content.find("-->", lt + 4)
            at = end if close < 0 else close + 3
            continue
        if next_gt <= lt:
            found = content.find(">", lt + 1)
            next_gt = end if found < 0 else found
        tag = _TAG.match(content, lt, next_gt + 1) if next_gt < end else None
        if tag is None:
            parts.append("<")
            at = lt + 1
            continue
        at = tag.end()
        closing, name = tag[1] == "/", tag[2].lower()
        if name in _HIDDEN and not closing:
            close_at = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(content, at)
            at = end if close_at is None else close_at.end()
        elif name in _BLOCK:
            parts.append("\n")
        elif name == "a":
            if link is not None:  # links do not nest: an open one ends here, so each text is joined once
                parts.append(_link_suffix(link[0], "".join(parts[link[1] :])))
                link = None
            if not closing:
                href = _HREF.search(tag[3] or "")
                target = next((g for g in href.groups() if g), "") if href else ""
                link = (html.unescape(target).strip(), len(parts))
    if link is not None:
        parts.append(_link_suffix(link[0], "".join(parts[link[1] :])))
    lines: list[str] = []
    for line in "".join(parts).split("\n"):
        line = line.strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()


def _link_suffix(target: str, shown: str) -> str:
    if not target or target.lower().startswith(("javascript:", "data:", "vbscript:")) or target in shown:
        return ""
    return f" ({target})"
