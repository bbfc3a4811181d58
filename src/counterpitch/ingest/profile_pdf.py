"""Reading a sender's LinkedIn profile saved as PDF ("More > Save to PDF") into a `PersonProfile`.

The PDF is hostile input: whoever sent the approach may have crafted it. It is read as text only (pypdf, no
rendering, no network) under limits on size, pages, decompression, operators and wall-clock time, and every
failure becomes one `ProfilePdfError` naming the file. What the layout leaves unclear becomes a warning, not
a guess presented as fact.

LinkedIn's layout: a left sidebar (Contact, Top Skills, Languages, Certifications, ...) and a main column with
the name in the largest type, the headline, the location, then Summary, Experience and Education under larger
section headers, and "Page N of M" footers. Text is placed in columns by its x position and read in order of
page and height; font sizes tell headers, companies and titles from body text.
"""

from __future__ import annotations

import base64
import math
import os
import re
import statistics
import time
from dataclasses import dataclass
from io import BytesIO
from typing import Any, TypeVar

from pypdf import PdfReader, apply_configuration, get_configuration
from pypdf.errors import LimitReachedError

from counterpitch.model import MAX_TEXT_CHARS, Education, PersonProfile, Position

#: A saved profile is a few hundred kilobytes; anything past these limits is refused unread.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PAGES = 50
#: Wall-clock and operator budgets for text extraction, checked at every content-stream operator.
MAX_SECONDS = 10.0
MAX_OPERATORS = 2_000_000
MAX_LINES = 20_000
MAX_LINE_CHARS = 2_000
#: The photo: the images of the first page looked at, and the sides (pixels, from the image's dictionary) of one
#: that may be a profile photo.
MAX_IMAGES = 50
PHOTO_SIDES = (64, 2048)
#: The photo kept is reduced to this side: as much as the photo check reads of a face, and as a JPEG data: URI well
#: under the records' 200,000-character limit.
PHOTO_KEEP_SIDE = 512
#: Tighter than pypdf's defaults: a profile's content streams are small. No external decoder is ever called.
_PYPDF_LIMITS: dict[str, int] = {
    "zlib_maximum_output_length": 32_000_000,
    "lzw_maximum_output_length": 32_000_000,
    "run_length_maximum_output_length": 32_000_000,
    "stream_decoding_work_maximum_length": 64_000_000,
    "stream_parsing_work_maximum_count": 300_000,
    "page_tree_maximum_entries": 10_000,
    "page_tree_maximum_page_entries": 10_000,
    "xform_maximum_invocations_per_extraction": 200,
}

_T = TypeVar("_T")
_SIDEBAR_SHARE = 0.3  # text starting in the left 30% of the page is sidebar
_SIDEBAR_HEADERS = frozenset(
    "Contact|Top Skills|Languages|Certifications|Honors-Awards|Publications|Patents".split("|")
)
_MAIN_HEADERS = frozenset(
    "Summary|About|Experience|Education|Licenses & Certifications|Certifications|Skills|Volunteer Experience|Projects|"
    "Honors & Awards|Honors-Awards|Publications|Languages|Patents|Courses|Organizations|Recommendations".split("|")
)
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_WHEN = r"(?:[^\W\d_]{3,12}\.?\s+)?\d{4}"  # month names in any script, then the year
_DATE_RANGE = re.compile(rf"^(?P<start>{_WHEN})\s*[-–—]\s*(?P<end>Present|{_WHEN})(?:\s*\([^()]*\))?$")
_DURATION = re.compile(r"^(?:\d{1,3}\s+(?:years?|yrs?|months?|mos?)\s*){1,2}$|^less than a year$", re.IGNORECASE)
_EDU_DATES = re.compile(rf"\s*·?\s*\((?P<start>{_WHEN})(?:\s*[-–—]\s*(?P<end>Present|{_WHEN}))?\)\s*$")
_FOOTER = re.compile(r"^Page \d+ of \d+$")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}")
_LINKEDIN = re.compile(r"(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/in/([^\s()/?#]{1,100})", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd]")


class ProfilePdfError(Exception):
    """The file could not be read as a profile PDF: refused by a limit, malformed, encrypted or not a PDF."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


@dataclass(frozen=True)
class _Line:
    page: int
    side: bool  # in the left sidebar
    y: float
    size: float
    text: str


class _Budget:
    """Counts operators and watches the clock; once spent it stays spent (pypdf swallows errors in forms)."""

    def __init__(self, max_seconds: float) -> None:
        self.deadline = time.monotonic() + max_seconds
        self.operators = 0
        self.spent = ""

    def charge(self, *_: Any) -> None:
        self.operators += 1
        if self.operators > MAX_OPERATORS:
            self.spent = f"more than {MAX_OPERATORS:,} drawing operators"
        elif self.operators % 256 == 0 and time.monotonic() > self.deadline:
            self.spent = "text extraction took too long"
        if self.spent:
            raise _BudgetSpentError(self.spent)


class _BudgetSpentError(Exception):
    pass


def read_profile_pdf(
    path: str | os.PathLike[str], *, max_seconds: float = MAX_SECONDS
) -> tuple[PersonProfile, list[str]]:
    """Read a LinkedIn "Save to PDF" profile; return the profile and warnings about what could not be read."""
    source = os.fspath(path)
    warnings: list[str] = []
    lines, photo = _extract_lines(_read_bounded(source), source, max_seconds, warnings)
    if not lines:
        raise ProfilePdfError(source, "no text found (a scanned or image-only PDF cannot be read)")
    profile = _parse([ln for ln in lines if ln.side], [ln for ln in lines if not ln.side], warnings)
    if photo is not None:
        profile = profile.model_copy(update={"photo": photo})  # private state (read whole) is copied too
    return profile, warnings


def _read_bounded(source: str) -> bytes:
    try:
        with open(source, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ProfilePdfError(source, f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise ProfilePdfError(source, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; not a saved profile")
    if b"%PDF-" not in data[:1024]:
        raise ProfilePdfError(source, "not a PDF (no %PDF- header)")
    return data


def _extract_lines(data: bytes, source: str, max_seconds: float, warnings: list[str]) -> tuple[list[_Line], str | None]:
    """Text fragments with their column, height and size, merged into lines; and the photo on the first page,
    when there is one (a `data:` URI)."""
    budget = _Budget(max_seconds)
    fragments: list[_Line] = []
    try:
        with apply_configuration(get_configuration().with_overwrites(jbig2dec_binary=None, **_PYPDF_LIMITS)):
            reader = PdfReader(BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise ProfilePdfError(source, "is encrypted; save the profile again without a password")
            count = len(reader.pages)
            if count > MAX_PAGES:
                raise ProfilePdfError(source, f"has {count:,} pages, more than {MAX_PAGES}; not a saved profile")
            for number, page in enumerate(reader.pages, start=1):
                width = _page_width(page)

                def visit(
                    text: str, cm: Any, tm: Any, _font: Any, size: Any, n: int = number, w: float = width
                ) -> None:
                    _collect(fragments, text, cm, tm, size, n, w)

                page.extract_text(visitor_text=visit, visitor_operand_before=budget.charge)
                if budget.spent:
                    raise _BudgetSpentError(budget.spent)
                if len(fragments) > MAX_LINES:
                    raise ProfilePdfError(source, f"more than {MAX_LINES:,} lines of text; not a saved profile")
            photo = _photo(reader.pages[0], warnings) if count else None
    except ProfilePdfError:
        raise
    except (_BudgetSpentError, LimitReachedError) as exc:
        raise ProfilePdfError(source, f"refused, a safety limit was reached: {str(exc)[:200]}") from exc
    except RecursionError as exc:
        raise ProfilePdfError(source, "malformed PDF (nested too deeply)") from exc
    except Exception as exc:  # pypdf raises many types on malformed input; all mean the same to the caller
        raise ProfilePdfError(source, f"malformed PDF ({type(exc).__name__}: {str(exc)[:200]})") from exc
    return _merge(fragments), photo


def _photo(page: Any, warnings: list[str]) -> str | None:
    """The profile photo: the largest roughly square image on the first page, between PHOTO_SIDES pixels a side
    as its dictionary says (nothing is decoded before that), re-encoded as a JPEG `data:` URI so nothing of the
    PDF's own encoding travels on. None when there is no such image; a warning when there is one that cannot be
    read."""
    try:
        xobjects = page["/Resources"]["/XObject"]
    except (KeyError, TypeError):
        return None
    best: tuple[int, str] | None = None
    for name in list(xobjects.keys())[:MAX_IMAGES]:
        obj = xobjects[name].get_object()
        if obj.get("/Subtype") != "/Image":
            continue
        try:
            w, h = int(obj.get("/Width", 0)), int(obj.get("/Height", 0))
        except (TypeError, ValueError):
            continue
        low, high = PHOTO_SIDES
        if low <= w <= high and low <= h <= high and 0.75 <= w / h <= 1.34 and (best is None or w * h > best[0]):
            best = (w * h, str(name))
    if best is None:
        return None
    try:
        image = page.images[best[1]].image
        if image is None:
            raise ValueError("no image decoded")
        image = image.convert("RGB")
        image.thumbnail((PHOTO_KEEP_SIDE, PHOTO_KEEP_SIDE))  # a data: URI must fit a record's string limit
        buffer = BytesIO()
        image.save(buffer, format="JPEG", quality=90)
    except Exception as exc:  # pypdf and Pillow raise many types on a malformed image; the profile still reads
        warnings.append(
            f"the photo in the PDF could not be read ({type(exc).__name__}); the profile was read without it"
        )
        return None
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _page_width(page: Any) -> float:
    try:
        width = float(page.mediabox.width)
    except Exception:
        return 612.0
    return abs(width) if math.isfinite(width) and abs(width) > 1 else 612.0


def _collect(out: list[_Line], text: str, cm: Any, tm: Any, size: Any, page: int, width: float) -> None:
    try:
        a, b, c, d, e, f = (float(v) for v in cm)
        tc, td, tx, ty = float(tm[2]), float(tm[3]), float(tm[4]), float(tm[5])
        scale = math.hypot(tc * a + td * c, tc * b + td * d)
        eff = abs(float(size)) * scale
        x, y = tx * a + ty * c + e, tx * b + ty * d + f
    except (TypeError, ValueError, IndexError):
        return
    if not all(math.isfinite(v) for v in (eff, x, y)):
        return
    pieces = [p for p in (_clean(p) for p in text.split("\n")) if p]
    for i, piece in enumerate(pieces):
        out.append(_Line(page, x < width * _SIDEBAR_SHARE, y - i * eff * 1.2, round(eff, 2), piece[:MAX_LINE_CHARS]))


def _clean(text: str) -> str:
    return " ".join(_CONTROL.sub("", text.replace("\xa0", " ")).split())


def _merge(fragments: list[_Line]) -> list[_Line]:
    """Join fragments drawn at one height (within 1 pt) in one column; drop footers; order by page and height."""
    rows: dict[tuple[int, bool, int], list[_Line]] = {}
    for frag in fragments:
        r = round(frag.y)
        near = (k for k in ((frag.page, frag.side, r + d) for d in (0, -1, 1)) if k in rows)
        key = next((k for k in near if abs(rows[k][0].y - frag.y) <= 1.0), (frag.page, frag.side, r))
        rows.setdefault(key, []).append(frag)
    lines = []
    for parts in rows.values():
        text = " ".join(p.text for p in parts)[:MAX_LINE_CHARS]
        if not _FOOTER.match(text):
            first = parts[0]
            lines.append(_Line(first.page, first.side, first.y, max(p.size for p in parts), text))
    return sorted(lines, key=lambda ln: (ln.page, -ln.y))


def _parse(side: list[_Line], main: list[_Line], warnings: list[str]) -> PersonProfile:
    sections = _sections(main, _MAIN_HEADERS, statistics.median(ln.size for ln in main) + 0.5 if main else 0.0)
    sidebar = _sections(side, _SIDEBAR_HEADERS, 0.0)
    top = sections.get("", [])
    name, headline, location = _top(top, warnings)
    contact = sidebar.get("Contact", [])
    if not contact:
        warnings.append("no Contact section: no e-mail or profile URL")
    summary = sections.get("Summary") or sections.get("About")
    experience = _experience(sections.get("Experience", []), warnings)
    if "Experience" not in sections:
        warnings.append("no Experience section")
    current = next((p.company for p in experience if p.end is None and p.company), None)
    # Read whole only when the layout was recognised (a section header found) under a name: LinkedIn prints
    # every section a profile has, so a missing one is then "none". A PDF in another language or layout is not.
    whole = name is not None and (len(sections) > 1 or len(sidebar) > 1)
    profile = PersonProfile(
        name=name,
        headline=headline,
        location=location,
        company=current,
        profile_url=_profile_url(contact),
        email=_email(contact),
        about=_paragraphs(summary) if summary else None,
        experience=_listed(experience, "Experience" in sections, whole),
        education=_listed(_education(sections.get("Education", [])), "Education" in sections, whole),
        skills=_listed([_cap(ln.text) for ln in sidebar.get("Top Skills", [])[:50]], "Top Skills" in sidebar, whole),
    )
    return profile.as_captured_whole() if whole else profile


def _listed(items: list[_T], section_found: bool, whole: bool) -> tuple[_T, ...] | None:
    """A list section as read: its items; () ("none") when a profile read whole has no such section; None
    (unknown) when the section is there but nothing in it could be read, or the layout was not recognised."""
    if items:
        return tuple(items)
    return () if whole and not section_found else None


def _sections(lines: list[_Line], headers: frozenset[str], min_size: float) -> dict[str, list[_Line]]:
    """Split lines at section headers; lines before the first header go under ""."""
    out: dict[str, list[_Line]] = {"": []}
    current = ""
    for line in lines:
        if line.text in headers and line.size >= min_size and line.text not in out:
            current = line.text
            out[current] = []
        else:
            out[current].append(line)
    return out


def _top(lines: list[_Line], warnings: list[str]) -> tuple[str | None, str | None, str | None]:
    """Name (largest type on page 1), headline, then location (the last, or the smaller-type, lines)."""
    first = [ln for ln in lines if ln.page == lines[0].page] if lines else []
    if not first:
        warnings.append("no name found above the first section")
        return None, None, None
    biggest = max(ln.size for ln in first)
    start = next(i for i, ln in enumerate(first) if ln.size >= biggest - 0.25)
    end = start + 1  # a long name wraps to a second line; in uniform type the name is the first line alone
    if end < len(first) and first[end].size >= biggest - 0.25 and min(ln.size for ln in first) < biggest - 0.25:
        end += 1
    name = " ".join(ln.text for ln in first[start:end])
    rest = first[end:]
    if not rest:
        warnings.append("no headline or location under the name")
        return _cap(name), None, None
    if len(rest) == 1:
        warnings.append("one line under the name: read as the headline, no location")
        return _cap(name), _cap(rest[0].text), None
    smallest = min(ln.size for ln in rest)
    split = len(rest) - 1
    if rest[0].size > smallest + 0.25:
        split = next(i for i, ln in enumerate(rest) if ln.size <= smallest + 0.25)
    headline = " ".join(ln.text for ln in rest[:split])
    return _cap(name), _cap(headline), _cap(" ".join(ln.text for ln in rest[split:]))


def _experience(lines: list[_Line], warnings: list[str]) -> list[Position]:
    """Positions anchored on their date lines; the title sits above, the company above that (or the group's)."""
    anchors = [i for i, ln in enumerate(lines) if i > 0 and _DATE_RANGE.match(ln.text) and not _is_date(lines[i - 1])]
    blocks: list[tuple[int, int, str | None, str]] = []  # (block start, date index, company, title)
    group: str | None = None
    floor = 0
    for i in anchors:
        top = i - 1
        while top - 1 >= floor and lines[top - 1].size > lines[i].size + 0.25 and not _is_date(lines[top - 1]):
            top -= 1
        head, start, company = lines[top:i], top, group
        if top - 2 >= floor and _DURATION.match(lines[top - 1].text):
            # Several roles at one company: company, its total duration, then each role under it.
            start, company = top - 2, lines[top - 2].text
            group = company
        elif len(head) >= 2:
            cut = next((k for k, ln in enumerate(head) if ln.size < head[0].size - 0.25), 1)
            company, head, group = " ".join(ln.text for ln in head[:cut]), head[cut:], None
        elif group is None:
            warnings.append(f"no company found for the position '{head[0].text[:60]}'")
        blocks.append((start, i, company, " ".join(ln.text for ln in head)))
        floor = i + 1
    if lines and not blocks:
        warnings.append("Experience section present but no position with a date line was recognised")
    positions = []
    for k, (_, i, company, title) in enumerate(blocks):
        stop = blocks[k + 1][0] if k + 1 < len(blocks) else len(lines)
        body = lines[i + 1 : stop]
        location = body[0].text if body and _looks_like_location(body[0].text) else None
        description = body[1:] if location else body
        match = _DATE_RANGE.match(lines[i].text)
        assert match is not None  # anchors were chosen by this pattern
        positions.append(
            Position(
                title=_cap(title),
                company=_cap(company) if company else None,
                location=_cap(location) if location else None,
                description=_paragraphs(description) if description else None,
                start=_date(match["start"]),
                end=_date(match["end"]),
            )
        )
    return positions


def _education(lines: list[_Line]) -> list[Education]:
    """Schools are the larger-type lines; the smaller lines under each are the degree and its dates."""
    if not lines:
        return []
    big = max(ln.size for ln in lines)
    uniform = big - min(ln.size for ln in lines) <= 0.25
    entries: list[tuple[list[str], list[str]]] = []
    for line in lines:
        is_school = (not uniform and line.size >= big - 0.25) or (uniform and not _EDU_DATES.search(line.text))
        if is_school and (not entries or entries[-1][1] or uniform):
            entries.append(([line.text], []))
        elif is_school:
            entries[-1][0].append(line.text)
        elif entries:
            entries[-1][1].append(line.text)
    out = []
    for school, degree_lines in entries:
        degree = " ".join(degree_lines)
        match = _EDU_DATES.search(degree)
        start = end = None
        if match:
            start, end = _date(match["start"]), _date(match["end"] or match["start"])
            degree = degree[: match.start()]
        degree = degree.strip(" ·,")
        out.append(Education(school=_cap(" ".join(school)), degree=_cap(degree) or None, start=start, end=end))
    return out


def _is_date(line: _Line) -> bool:
    return bool(_DATE_RANGE.match(line.text) or _DURATION.match(line.text))


def _looks_like_location(text: str) -> bool:
    """A place line under a date: short, no sentence punctuation, digits or bullets."""
    words = text.split()
    if not words or len(words) > 8 or text[-1] in ".!?:;" or any(ch.isdigit() for ch in text) or text[0] in "-•·*":
        return False
    return "," in text or len(words) <= 3 or words[-1] in {"Area", "Remote", "Hybrid"}


def _date(text: str | None) -> str | None:
    """'January 2020' -> '2020-01', '2014' -> '2014', 'Present' -> None."""
    if not text or text == "Present":
        return None
    *month, year = text.split()
    number = _MONTHS.get(month[0][:3].lower()) if month else None
    return f"{year}-{number:02d}" if number else year


def _paragraphs(lines: list[_Line]) -> str | None:
    """Re-join wrapped lines; a gap wider than one and a half lines starts a new paragraph."""
    out = ""
    for prev, line in zip([None, *lines], lines, strict=False):
        if prev is None:
            out = line.text
        elif prev.page == line.page and prev.y - line.y > 1.6 * max(line.size, 1.0):
            out += "\n" + line.text
        else:
            out += " " + line.text
    return _cap(out) or None


def _profile_url(contact: list[_Line]) -> str | None:
    """The contact entry ending in "(LinkedIn)", which may wrap over lines; normalised to https://www."""
    for i, line in enumerate(contact):
        if "linkedin.com/in/" not in line.text.lower():
            continue
        end = next((j for j in range(i, min(i + 5, len(contact))) if "(LinkedIn)" in contact[j].text), i)
        joined = "".join(ln.text for ln in contact[i : end + 1]).replace("(LinkedIn)", " ")
        match = _LINKEDIN.search(joined)
        if match:
            return f"https://www.linkedin.com/in/{match[1].rstrip('.,;')}"
    return None


def _email(contact: list[_Line]) -> str | None:
    """The first address in Contact; a long one wraps mid-word, so one-word neighbours are joined on."""

    def piece(k: int) -> bool:
        text = contact[k].text
        return " " not in text and not any(c in text for c in "@(/:")

    for i, line in enumerate(contact):
        if "@" not in line.text:
            continue
        first, last = i, i
        while first > 0 and first > i - 3 and piece(first - 1) and " " not in line.text:
            first -= 1
        while last + 1 < len(contact) and last < i + 3 and piece(last + 1) and " " not in line.text:
            last += 1
        match = _EMAIL.search("".join(ln.text for ln in contact[first : last + 1]))
        if match:
            return match[0]
    return None


def _cap(text: str) -> str:
    return text[:MAX_TEXT_CHARS]
