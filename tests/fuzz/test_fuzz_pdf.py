"""Profile PDFs under hypothesis: content streams built from text operators, profiles built by pdf_builder with
generated fields, and both with mutated bytes. Each must read or raise a `ProfilePdfError` naming the file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import pdf_builder as pb
from tests.fuzz import strategies as fs
from tests.fuzz.targets import pdf_bytes

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_OPERATORS = [
    b"BT", b"ET", b"q", b"Q", b"/F1 12 Tf", b"/F1 0 Tf", b"/F1 -1e308 Tf", b"/F9 12 Tf", b"220 700 Td", b"0 0 Td",
    b"1 0 0 1 36 700 Tm", b"0 0 0 0 0 0 Tm", b"1e38 0 0 1e38 0 0 cm", b"nan 0 0 1 0 0 cm", b"(Experience) Tj",
    b"(Summary) Tj", b"(Contact) Tj", b"(Page 1 of 1) Tj", b"(January 2020 - Present \\(4 years\\)) Tj",
    b"[(A) -120 (B)] TJ", b"(x) '", b"1 2 (y) \"", b"T*", b"12 TL", b"<00ff> Tj", b"(\\377\\376) Tj", b"(", b")", b"[",
    b"<<", b"999999999999999999999", b"-0.", b"/Name", b"Do", b"/Im0 Do", b"BI ID EI",
]  # fmt: skip
_CONTENT = st.lists(st.sampled_from(_OPERATORS), max_size=60).map(b" ".join)


@FUZZ
@given(_CONTENT, st.booleans(), fs.MUTATIONS)
def test_when_content_stream_is_generated_then_profile_or_named_error(content: bytes, flate: bool, edits: list) -> None:
    pdf_bytes(fs.mutate(pb.one_page_pdf(content, flate=flate), edits))


_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",  # a page tree that contains itself
    b"<< /Type /Pages /Kids [3 0 R 3 0 R] /Count -5 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 0 0] /Contents 4 0 R >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [1e400 0 -1 nan] >>",
    b"<< /Length 999999 >>\nstream\nBT ET\nendstream",
    b"<< /Length 5 /Filter /LZWDecode >>\nstream\n\x80\x00\x00\x00\x00\nendstream",
    b"<< /Length 4 /Filter [/FlateDecode /ASCIIHexDecode] >>\nstream\nxxxx\nendstream",
    b"[1 0 R]",
    b"4 0 R",
]


@FUZZ
@given(st.lists(st.sampled_from(_OBJECTS), min_size=1, max_size=6), st.booleans(), fs.MUTATIONS)
def test_when_object_graph_is_hostile_then_profile_or_named_error(objects: list, xref: bool, edits: list) -> None:
    pdf_bytes(fs.mutate(pb.raw_pdf([_OBJECTS[0], *objects], xref=xref), edits))


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
_ROLES = st.builds(pb.Role, title=_TEXT, dates=st.one_of(_TEXT, st.just("May 2019 - Present (6 years)")))
_SPECS = st.builds(
    pb.ProfileSpec,
    name=_TEXT,
    headline=_TEXT,
    location=_TEXT,
    email=st.one_of(st.none(), _TEXT),
    slug=st.one_of(st.none(), _TEXT),
    skills=st.lists(_TEXT, max_size=3).map(tuple),
    summary=st.one_of(st.none(), _TEXT),
    jobs=st.lists(st.builds(pb.Job, company=_TEXT, roles=st.lists(_ROLES, max_size=2).map(tuple)), max_size=2).map(
        tuple
    ),
    schools=st.lists(st.builds(pb.School, school=_TEXT, degree_line=st.one_of(st.none(), _TEXT)), max_size=2).map(
        tuple
    ),
    contact=st.booleans(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SPECS, fs.MUTATIONS)
def test_when_built_profile_is_generated_and_mutated_then_profile_or_named_error(
    spec: pb.ProfileSpec, edits: list
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = pb.build_profile_pdf(spec, Path(folder) / "p.pdf").read_bytes()
    pdf_bytes(fs.mutate(data, edits))
