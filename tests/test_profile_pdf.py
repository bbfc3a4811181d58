"""Reading LinkedIn "Save to PDF" profiles: truth tables on built PDFs, hostile PDFs, a fuzz that nothing crashes."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterpitch.ingest.profile_pdf import ProfilePdfError, read_profile_pdf
from counterpitch.model import PersonProfile
from tests import pdf_builder as pb
from tests.pdf_builder import Job, ProfileSpec, Role, School

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

NO_SUMMARY = ProfileSpec(
    name="Aiko Brandt",
    headline="Firmware Engineer at Kestrel Avionics",
    location="Munich, Bavaria, Germany",
    email="aiko.brandt@example.test",
    slug="aikobrandt",
    skills=("Embedded C", "RTOS"),
    jobs=(Job("Kestrel Avionics", (Role("Firmware Engineer", "Sep 2022 - Present (1 year 9 months)", "Munich"),)),),
    schools=(School("Technical University of Nordheim", "Master of Science - MS, Electrical Engineering"),),
)
LONG_TEXT = " ".join(f"Sentence {n} about radar signal processing work for a naval programme." for n in range(60))
TWO_PAGES = ProfileSpec(
    name="Alexandra Konstantinopoulou",
    headline="Systems Engineer",
    location="Bristol, England, United Kingdom",
    email="alexandra.konstantinopoulou@example-recruiting.test",
    slug="alexandra-konstantinopoulou-9f8e7d6c5b4a",
    skills=("Systems Engineering",),
    summary="Engineer.",
    jobs=(
        Job(
            "Arden Marine Systems",
            (Role("Principal Engineer", "January 2015 - December 2023 (9 years)", None, LONG_TEXT),),
        ),
        Job("Westcombe Labs", (Role("Graduate Engineer", "August 2011 - December 2014 (3 years 5 months)", "Bath"),)),
    ),
    schools=(School("University of Kingsmere", "Master of Engineering - MEng · (2007 - 2011)"),),
)
UNICODE = ProfileSpec(
    name="Łucja Brønsted-Núñez",
    headline="Directrice des talents — Île-de-France",
    location="Zürich, Switzerland",
    email="lucja@example.test",
    slug="lucja-bronsted",
    skills=("Gestion de projet", "Négociation"),
    jobs=(Job("Bureau d'Études Œuvre", (Role("Chargée de recrutement", "février 2020 - Present", "Genève"),)),),
    schools=(School("Université de Pont-Sévère", "Licence · (2014 - 2017)"),),
)
NO_CONTACT = ProfileSpec(
    name="Tomás Rivera",
    headline="Independent Consultant",
    location="Madrid, Community of Madrid, Spain",
    contact=False,
    skills=("Consulting",),
    summary="Advisor to technology start-ups.",
    jobs=(Job("Self-employed", (Role("Consultant", "2018 - Present (6 years)", "Remote"),)),),
)
CYRILLIC = ProfileSpec(
    name="Дмитрий Волков",
    headline="Рекрутер, ИТ",
    location="Riga, Latvia",
    email="d.volkov@example.test",
    slug="dvolkov",
    jobs=(Job("Балтик Кадры", (Role("Рекрутер", "March 2020 - Present (4 years)", "Riga"),)),),
)

SAMPLE_EXPERIENCE = (
    ("Senior Talent Partner", "Northgate Talent Partners", "London, England, United Kingdom", "2021-03", None),
    ("Talent Partner", "Northgate Talent Partners", "Greater London Area", "2019-06", "2021-03"),
    ("Research Associate", "Harbourline Consulting", "Singapore", "2016", "2019"),
)

# (variant, field, expected): one row per field the reader should get right.
TRUTH = [
    ("sample", "name", "Marcus Thornfield"),
    ("sample", "headline", pb.sample_sender().headline),
    ("sample", "location", "London, England, United Kingdom"),
    ("sample", "company", "Northgate Talent Partners"),
    ("sample", "email", "m.thornfield@example-search.test"),
    ("sample", "profile_url", "https://www.linkedin.com/in/marcus-thornfield-4b2a91"),
    ("sample", "about", pb.sample_sender().summary),
    ("sample", "skills", ("Executive Search", "Talent Acquisition", "Stakeholder Management")),
    ("sample", "experience", SAMPLE_EXPERIENCE),
    ("sample", "education", (("University of Eastbridge", "Bachelor of Arts - BA, International Relations", "2012",
                               "2015"),)),
    ("no_summary", "name", "Aiko Brandt"),
    ("no_summary", "about", None),
    ("no_summary", "experience", (("Firmware Engineer", "Kestrel Avionics", "Munich", "2022-09", None),)),
    ("no_summary", "education", (("Technical University of Nordheim", "Master of Science - MS, Electrical Engineering",
                                   None, None),)),
    ("no_summary", "skills", ("Embedded C", "RTOS")),
    ("two_pages", "name", "Alexandra Konstantinopoulou"),
    ("two_pages", "email", "alexandra.konstantinopoulou@example-recruiting.test"),
    ("two_pages", "profile_url", "https://www.linkedin.com/in/alexandra-konstantinopoulou-9f8e7d6c5b4a"),
    ("two_pages", "about", "Engineer."),
    ("two_pages", "company", None),
    ("two_pages", "experience", (
        ("Principal Engineer", "Arden Marine Systems", None, "2015-01", "2023-12"),
        ("Graduate Engineer", "Westcombe Labs", "Bath", "2011-08", "2014-12"),
    )),
    ("two_pages", "education", (("University of Kingsmere", "Master of Engineering - MEng", "2007", "2011"),)),
    ("unicode", "name", "Łucja Brønsted-Núñez"),
    ("unicode", "headline", "Directrice des talents — Île-de-France"),
    ("unicode", "location", "Zürich, Switzerland"),
    ("unicode", "experience", (("Chargée de recrutement", "Bureau d'Études Œuvre", "Genève", "2020", None),)),
    ("unicode", "education", (("Université de Pont-Sévère", "Licence", "2014", "2017"),)),
    ("unicode", "skills", ("Gestion de projet", "Négociation")),
    ("no_contact", "name", "Tomás Rivera"),
    ("no_contact", "email", None),
    ("no_contact", "profile_url", None),
    ("no_contact", "about", "Advisor to technology start-ups."),
    ("no_contact", "skills", ("Consulting",)),
    ("no_contact", "experience", (("Consultant", "Self-employed", "Remote", "2018", None),)),
]  # fmt: skip

VARIANTS = {
    "sample": pb.sample_sender(),
    "no_summary": NO_SUMMARY,
    "two_pages": TWO_PAGES,
    "unicode": UNICODE,
    "no_contact": NO_CONTACT,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[PersonProfile, list[str]]]:
    folder = tmp_path_factory.mktemp("profiles")
    return {
        name: read_profile_pdf(pb.build_profile_pdf(spec, folder / f"{name}.pdf")) for name, spec in VARIANTS.items()
    }


def _field(profile: PersonProfile, name: str) -> object:
    value = getattr(profile, name)
    if name == "experience":
        return tuple((p.title, p.company, p.location, p.start, p.end) for p in value)
    if name == "education":
        return tuple((e.school, e.degree, e.start, e.end) for e in value)
    return value


@pytest.mark.parametrize(("variant", "field", "expected"), TRUTH, ids=[f"{v}-{f}" for v, f, _ in TRUTH])
def test_when_profile_pdf_then_field_read(built: dict[str, tuple[PersonProfile, list[str]]], variant: str,
                                          field: str, expected: object) -> None:  # fmt: skip
    assert _field(built[variant][0], field) == expected


def test_when_committed_sample_then_same_as_built(built: dict[str, tuple[PersonProfile, list[str]]]) -> None:
    profile, warnings = read_profile_pdf(pb.SAMPLE)
    assert profile == built["sample"][0]
    assert warnings == []


def test_when_descriptions_span_pages_then_footers_dropped_and_text_whole(
    built: dict[str, tuple[PersonProfile, list[str]]],
) -> None:
    profile = built["two_pages"][0]
    assert profile.experience[0].description == LONG_TEXT
    assert "Page 1 of" not in profile.model_dump_json()


def test_when_multi_role_company_then_descriptions_stay_with_their_role(
    built: dict[str, tuple[PersonProfile, list[str]]],
) -> None:
    first, second, third = built["sample"][0].experience
    assert first.description == (
        "Lead retained searches for clients in defence electronics and satellite systems.\n"
        "Build long-term relationships with cleared specialists."
    )
    assert second.description is None
    assert third.description == "Market mapping for technology clients."


def test_when_no_contact_then_warned(built: dict[str, tuple[PersonProfile, list[str]]]) -> None:
    assert any("Contact" in w for w in built["no_contact"][1])
    assert built["unicode"][1] == []


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans is needed to draw Cyrillic")
def test_when_cyrillic_then_read(tmp_path: Path) -> None:
    profile, _ = read_profile_pdf(pb.build_profile_pdf(CYRILLIC, tmp_path / "c.pdf", font_path=DEJAVU))
    assert (profile.name, profile.headline, profile.company) == ("Дмитрий Волков", "Рекрутер, ИТ", "Балтик Кадры")


# --- what a missing section means (docs/decisions/0037-missing-is-not-evidence.md) -----------------------------

JOBLESS = ProfileSpec(name="Lena Hart", headline="Talent Partner", location="London", slug="lena-hart-77")
BARE = ProfileSpec(name="Lena Hart", headline="Talent Partner", location="London", contact=False)


def test_when_saved_profile_has_no_experience_section_then_it_is_read_whole_with_none(tmp_path: Path) -> None:
    profile, warnings = read_profile_pdf(pb.build_profile_pdf(JOBLESS, tmp_path / "p.pdf"))
    assert profile.captured_whole
    assert (profile.experience, profile.education, profile.skills) == ((), (), ())
    assert "no Experience section" in warnings


def test_when_no_section_header_is_recognised_then_lists_are_unknown_not_empty(tmp_path: Path) -> None:
    """A layout or language the reader does not know: a missing header may be one it could not see."""
    profile, _ = read_profile_pdf(pb.build_profile_pdf(BARE, tmp_path / "p.pdf"))
    assert not profile.captured_whole
    assert (profile.experience, profile.education, profile.skills) == (None, None, None)


def test_when_experience_section_cannot_be_read_then_experience_is_unknown(tmp_path: Path) -> None:
    spec = ProfileSpec(
        name="Lena Hart",
        headline="Talent Partner",
        location="London",
        slug="lena-hart-77",
        jobs=(Job("Meridian Partners", (Role("Partner", "since the spring"),)),),
    )
    profile, warnings = read_profile_pdf(pb.build_profile_pdf(spec, tmp_path / "p.pdf"))
    assert profile.captured_whole and profile.experience is None
    assert any("no position with a date line" in w for w in warnings)


def test_when_profile_read_whole_is_serialised_then_the_mark_stays_out_of_the_record(
    built: dict[str, tuple[PersonProfile, list[str]]],
) -> None:
    profile = built["sample"][0]
    assert profile.captured_whole
    assert set(profile.to_json_dict()) <= set(PersonProfile.model_fields)  # the schema's fields, nothing more
    again = PersonProfile.model_validate(profile.to_json_dict())
    assert again.model_dump() == profile.model_dump()
    assert not again.captured_whole  # a record cannot vouch for how it was captured


# --- hostile PDFs ----------------------------------------------------------------------------------------------

HOSTILE = [
    ("not_a_pdf", lambda: b"GIF89a not a pdf at all", "not a PDF"),
    ("empty", lambda: b"", "not a PDF"),
    ("truncated", lambda: pb.SAMPLE.read_bytes()[:4000], "malformed"),
    ("garbage_after_header", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8, "malformed"),
    ("too_many_pages", lambda: pb.many_pages_pdf(51), "51 pages"),
    ("huge_page_tree", lambda: pb.many_pages_pdf(500_000), "limit"),
    ("decompression_bomb", pb.bomb_pdf, "limit"),
    ("text_free", lambda: pb.one_page_pdf(b"0 0 m 10 10 l S"), "no text"),
]


@pytest.mark.parametrize(("name", "make", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_when_hostile_pdf_then_error_names_file(tmp_path: Path, name: str, make: object, message: str) -> None:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(make())  # type: ignore[operator]
    with pytest.raises(ProfilePdfError, match=message) as caught:
        read_profile_pdf(path)
    assert str(path) in str(caught.value)


def test_when_encrypted_then_refused(tmp_path: Path) -> None:
    path = pb.build_profile_pdf(pb.sample_sender(), tmp_path / "locked.pdf", encrypt="secret")
    with pytest.raises(ProfilePdfError, match="encrypted") as caught:
        read_profile_pdf(path)
    assert str(path) in str(caught.value)


def test_when_file_too_large_then_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(21 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(ProfilePdfError, match="larger than 20 MB"):
        read_profile_pdf(path)


def test_when_missing_file_then_error_names_it(tmp_path: Path) -> None:
    with pytest.raises(ProfilePdfError, match="cannot be read") as caught:
        read_profile_pdf(tmp_path / "nowhere.pdf")
    assert "nowhere.pdf" in str(caught.value)


def test_when_extraction_is_slow_then_time_bound_stops_it(tmp_path: Path) -> None:
    path = tmp_path / "busy.pdf"
    path.write_bytes(pb.busy_pdf(200_000))
    started = time.monotonic()
    with pytest.raises(ProfilePdfError, match="took too long"):
        read_profile_pdf(path, max_seconds=0.0)
    assert time.monotonic() - started < 5


# --- fuzz: whatever the bytes, a profile or a ProfilePdfError, quickly -----------------------------------------

SAMPLE_BYTES = pb.SAMPLE.read_bytes()


def _read_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.pdf"
        path.write_bytes(data)
        started = time.monotonic()
        outcome: object
        try:
            outcome = read_profile_pdf(path)
        except ProfilePdfError as exc:
            outcome = exc
        assert time.monotonic() - started < 15
        if isinstance(outcome, ProfilePdfError):
            assert str(path) in str(outcome)
        else:
            assert isinstance(outcome, tuple)
            assert isinstance(outcome[0], PersonProfile)


FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=2048))
def test_when_arbitrary_bytes_then_profile_or_error(data: bytes) -> None:
    _read_bytes(data)


@FUZZ
@given(st.binary(max_size=2048))
def test_when_pdf_header_then_garbage_then_profile_or_error(data: bytes) -> None:
    _read_bytes(b"%PDF-1.7\n" + data)


@FUZZ
@given(st.integers(0, len(SAMPLE_BYTES) - 1), st.binary(min_size=1, max_size=64), st.booleans())
def test_when_sample_is_mutated_then_profile_or_error(at: int, patch: bytes, cut: bool) -> None:
    mutated = SAMPLE_BYTES[:at] + patch + (b"" if cut else SAMPLE_BYTES[at + len(patch) :])
    _read_bytes(mutated)
