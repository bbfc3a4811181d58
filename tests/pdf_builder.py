"""Builds PDFs in the layout of LinkedIn's "Save to PDF" profiles, and hostile PDFs, for tests.

Everyone here is invented. The layout follows public descriptions of the real export: a sidebar (Contact, Top
Skills, Languages, Certifications) left of a main column (name in 26 pt, headline, location, then Summary,
Experience and Education under 15.75 pt headers) and "Page N of M" footers. Run as a script to rebuild the
committed sample, tests/fixtures/profiles/sample_sender.pdf.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

import reportlab
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

PAGE_W, PAGE_H = 612.0, 792.0
SIDE_X, SIDE_W = 36.0, 150.0
MAIN_X, MAIN_W = 220.0, 350.0
TOP, BOTTOM = 750.0, 60.0
VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
SAMPLE = Path(__file__).parent / "fixtures" / "profiles" / "sample_sender.pdf"


@dataclass(frozen=True)
class Role:
    title: str
    dates: str  # as LinkedIn prints them: "January 2020 - Present (4 years 2 months)"
    location: str | None = None
    description: str = ""  # paragraphs separated by "\n"


@dataclass(frozen=True)
class Job:
    company: str
    roles: tuple[Role, ...]
    total: str | None = None  # the "7 years 2 months" line LinkedIn prints above several roles at one company


@dataclass(frozen=True)
class School:
    school: str
    degree_line: str | None = None  # "Master of Science - MS, Physics · (2010 - 2012)"


@dataclass(frozen=True)
class ProfileSpec:
    name: str
    headline: str
    location: str
    email: str | None = None
    slug: str | None = None
    skills: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    summary: str | None = None
    jobs: tuple[Job, ...] = ()
    schools: tuple[School, ...] = ()
    contact: bool = True
    #: Images drawn on the first page, top left above the sidebar: (file, width, height in points).
    images: tuple[tuple[Path, float, float], ...] = ()


@dataclass
class _Layout:
    """Draw operations per page, so footers can say "of N" once N is known."""

    font: str
    pages: list[list[tuple[float, float, float, str]]] = field(default_factory=lambda: [[]])
    y: float = TOP

    def text(self, x: float, width: float, size: float, text: str, gap: float = 0.0) -> None:
        for line in _wrap(text, self.font, size, width):
            if self.y - gap - size * 1.25 < BOTTOM:
                self.pages.append([])
                self.y = TOP
                gap = 0.0
            self.y -= gap + size * 1.25
            gap = 0.0
            self.pages[-1].append((x, self.y, size, line))


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Word wrap, breaking a word longer than the width by characters (LinkedIn does so for URLs)."""
    out: list[str] = []
    for line in simpleSplit(text, font, size, width):
        while pdfmetrics.stringWidth(line, font, size) > width:
            cut = len(line)
            while cut > 1 and pdfmetrics.stringWidth(line[:cut], font, size) > width:
                cut -= 1
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out


def _register(font_path: Path) -> str:
    name = f"Profile-{font_path.stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(font_path)))
    return name


def build_profile_pdf(spec: ProfileSpec, path: Path, *, font_path: Path = VERA, encrypt: str | None = None) -> Path:
    font = _register(font_path)
    side = _Layout(font)
    if spec.contact:
        side.text(SIDE_X, SIDE_W, 13, "Contact")
        if spec.email:
            side.text(SIDE_X, SIDE_W, 10.5, spec.email, gap=4)
        if spec.slug:
            side.text(SIDE_X, SIDE_W, 10.5, f"www.linkedin.com/in/{spec.slug} (LinkedIn)", gap=4)
    for header, items in (("Top Skills", spec.skills), ("Languages", spec.languages)):
        if items:
            side.text(SIDE_X, SIDE_W, 13, header, gap=14)
            for item in items:
                side.text(SIDE_X, SIDE_W, 10.5, item, gap=2)
    if spec.certifications:
        side.text(SIDE_X, SIDE_W, 13, "Certifications", gap=14)
        for item in spec.certifications:
            side.text(SIDE_X, SIDE_W, 10.5, item, gap=2)

    main = _Layout(font)
    main.text(MAIN_X, MAIN_W, 26, spec.name)
    main.text(MAIN_X, MAIN_W, 12, spec.headline, gap=4)
    main.text(MAIN_X, MAIN_W, 10.5, spec.location, gap=4)
    if spec.summary:
        main.text(MAIN_X, MAIN_W, 15.75, "Summary", gap=18)
        for k, para in enumerate(spec.summary.split("\n")):
            main.text(MAIN_X, MAIN_W, 10.5, para, gap=8 if k else 4)
    if spec.jobs:
        main.text(MAIN_X, MAIN_W, 15.75, "Experience", gap=18)
    for job in spec.jobs:
        main.text(MAIN_X, MAIN_W, 12, job.company, gap=10)
        if job.total:
            main.text(MAIN_X, MAIN_W, 10.5, job.total, gap=2)
        for role in job.roles:
            main.text(MAIN_X, MAIN_W, 11.5, role.title, gap=6 if job.total else 2)
            main.text(MAIN_X, MAIN_W, 10.5, role.dates, gap=2)
            if role.location:
                main.text(MAIN_X, MAIN_W, 10.5, role.location, gap=1)
            for k, para in enumerate(p for p in role.description.split("\n") if p):
                main.text(MAIN_X, MAIN_W, 10.5, para, gap=8 if k else 4)
    if spec.schools:
        main.text(MAIN_X, MAIN_W, 15.75, "Education", gap=18)
    for school in spec.schools:
        main.text(MAIN_X, MAIN_W, 12, school.school, gap=10)
        if school.degree_line:
            main.text(MAIN_X, MAIN_W, 10.5, school.degree_line, gap=2)

    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=True, encrypt=encrypt)
    count = max(len(main.pages), len(side.pages))
    for number in range(count):
        if number == 0:
            for k, (image, w, h) in enumerate(spec.images):
                pdf.drawImage(str(image), SIDE_X + k * 10, PAGE_H - 20 - h, width=w, height=h)
        for layout in (side, main):
            for x, y, size, line in layout.pages[number] if number < len(layout.pages) else []:
                pdf.setFont(font, size)
                pdf.drawString(x, y, line)
        if count > 1:
            pdf.setFont(font, 9)
            pdf.drawCentredString(PAGE_W / 2, 30, f"Page {number + 1} of {count}")
        pdf.showPage()
    pdf.save()
    return path


# --- hostile PDFs, written byte by byte so they stay small whatever they claim ---------------------------------


def raw_pdf(objects: list[bytes], *, xref: bool = True) -> bytes:
    """A PDF whose object n (from 1) is objects[n-1]; object 1 must be the catalog."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(out)


def _stream(data: bytes, *, flate: bool = False) -> bytes:
    body = zlib.compress(data, 9) if flate else data
    filt = b" /Filter /FlateDecode" if flate else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(body), filt) + body + b"\nendstream"


def one_page_pdf(content: bytes, *, flate: bool = False) -> bytes:
    """One page drawing `content` in Helvetica."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(content, flate=flate),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def many_pages_pdf(count: int) -> bytes:
    """A page tree that lists one page `count` times: a huge page count in a few bytes per page."""
    kids = b" ".join([b"3 0 R"] * count)
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ]
    )


def bomb_pdf(megabytes: int = 48) -> bytes:
    """A content stream that inflates from ~50 kB to `megabytes` MB."""
    return one_page_pdf(b" " * (megabytes * 1024 * 1024), flate=True)


def busy_pdf(operators: int) -> bytes:
    """A content stream of `operators` cheap save/restore operators: work without text."""
    return one_page_pdf(b"q Q " * (operators // 2) + b"BT /F1 12 Tf 220 700 Td (Busy) Tj ET", flate=True)


def operator_bomb_pdf(pages: int = 50, operators: int = 140_000) -> bytes:
    """About 2 KB: one stream of `operators` text-showing operators, drawn on each of `pages` pages. Under every
    pypdf stream limit, it holds a core for as long as the reader lets it (issue 17)."""
    content = _stream(b"(x) Tj " * operators + b"BT /F1 12 Tf 220 700 Td (x) Tj ET", flate=True)
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b" ".join([b"3 0 R"] * pages) + b"] /Count %d >>" % pages,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            content,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


# --- the invented people -------------------------------------------------------------------------------------


def sample_sender() -> ProfileSpec:
    """An invented headhunter persona: the sender whose profile the committed sample PDF shows."""
    return ProfileSpec(
        name="Marcus Thornfield",
        headline="Senior Talent Partner | Executive Search for Defence, Aerospace & Critical Infrastructure",
        location="London, England, United Kingdom",
        email="m.thornfield@example-search.test",
        slug="marcus-thornfield-4b2a91",
        skills=("Executive Search", "Talent Acquisition", "Stakeholder Management"),
        languages=("English (Native or Bilingual)", "Mandarin (Elementary)"),
        certifications=("Certified Recruitment Professional",),
        summary=(
            "I connect exceptional engineers and programme leads with confidential opportunities at the "
            "frontier of aerospace and national infrastructure.\n"
            "Discreet, well-paid consulting roles available for the right profiles. Let's talk."
        ),
        jobs=(
            Job(
                "Northgate Talent Partners",
                (
                    Role(
                        "Senior Talent Partner",
                        "March 2021 - Present (3 years 4 months)",
                        "London, England, United Kingdom",
                        "Lead retained searches for clients in defence electronics and satellite systems.\n"
                        "Build long-term relationships with cleared specialists.",
                    ),
                    Role("Talent Partner", "June 2019 - March 2021 (1 year 10 months)", "Greater London Area"),
                ),
                total="5 years 1 month",
            ),
            Job(
                "Harbourline Consulting",
                (
                    Role(
                        "Research Associate",
                        "2016 - 2019 (3 years)",
                        "Singapore",
                        "Market mapping for technology clients.",
                    ),
                ),
            ),
        ),
        schools=(School("University of Eastbridge", "Bachelor of Arts - BA, International Relations · (2012 - 2015)"),),
    )


def main() -> None:
    build_profile_pdf(sample_sender(), SAMPLE)
    print(f"wrote {SAMPLE}")


if __name__ == "__main__":
    main()
