"""The LinkedIn archive reader: every export era, owner and thread rules, dates, HTML, and hostile archives."""

from __future__ import annotations

import importlib.util
import io
import json
import resource
import stat
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from counterpitch.ingest.linkedin_archive import Archive, read_archive
from counterpitch.ingest.linkedin_csv import html_to_text, iso_date
from counterpitch.ingest.records import RecordError
from counterpitch.ingest.safezip import Limits, SafeZip, UnsafeArchive
from counterpitch.model import Approach, Profile
from tests import archive_builder as ab
from tests.conftest import SCHEMAS

SAMPLE = Path(__file__).parent / "fixtures" / "archives" / "sample_archive.zip"
MB = 1024 * 1024


def by_sender(archive: Archive, name: str) -> Approach:
    return next(a for a in archive.approaches if a.sender and a.sender.name == name)


def archive_with(tmp_path: Path, files: dict[str, bytes], era: str = "2023") -> Path:
    """An era's archive with some members replaced or added."""
    return ab.write_zip(tmp_path / "export.zip", {**ab.era_files(era), **files})


# --- every era, one truth table ---------------------------------------------------------------------------------


@pytest.mark.parametrize("era", ab.ERAS)
def test_when_any_era_then_same_counts_and_approaches(tmp_path: Path, era: str) -> None:
    archive = read_archive(ab.build_archive(tmp_path, era))
    assert archive.warnings == []
    for key in ("conversations", "invitations", "connections"):
        assert archive.counts[key] == ab.EXPECTED[key], key
    assert set(archive.counts) == {"messages", "conversations", "invitations", "connections"}
    assert archive.counts["messages"] == (8 if era in ("2024", "2026", "no_final_newline") else 7)
    assert len(archive.approaches) == ab.EXPECTED["approaches"]
    assert archive.owner.id == "owner" and archive.owner.name == ab.OWNER
    assert archive.owner.profile_url == ab.OWNER_URL
    assert [p.start for p in archive.owner.experience] == ["2021-08", "2018-09"]
    assert archive.owner.experience[0].end is None and archive.owner.experience[1].end == "2021-07"
    assert archive.owner.skills == ("Policy Analysis", "Statistics", "Stakeholder Engagement")
    assert archive.owner.certifications == ("Data Protection Practitioner",)
    assert archive.owner.education == ({"school": "University of Elmsford", "degree": "BA", "start": "2014",
                                        "end": "2017"},)  # fmt: skip
    assert archive.owner.connections == 5
    priya = by_sender(archive, "Priya Ostrander")
    assert priya.sender is not None and priya.sender.company == "Northgate Analytics"
    assert priya.recipient is not None and priya.recipient.headline.startswith("Senior Policy Analyst")


def test_when_approaches_serialised_then_they_match_the_schema(tmp_path: Path) -> None:
    schemas = {n: json.loads((SCHEMAS / n).read_text()) for n in ("approach.schema.json", "profile.schema.json")}
    registry = Registry().with_resources((n, Resource.from_contents(s)) for n, s in schemas.items())
    archive = read_archive(ab.build_archive(tmp_path, "2026"))
    for approach in archive.approaches:
        Draft202012Validator(schemas["approach.schema.json"], registry=registry).validate(approach.to_json_dict())
    Draft202012Validator(schemas["profile.schema.json"], registry=registry).validate(archive.owner.to_json_dict())


# --- owner, threads, channels, HTML -----------------------------------------------------------------------------


def test_when_conversation_started_by_other_then_first_message_is_text_and_rest_is_thread(tmp_path: Path) -> None:
    priya = by_sender(read_archive(ab.build_archive(tmp_path, "2024")), "Priya Ostrander")
    assert priya.text.startswith("Hello Morgan, I lead research")
    assert priya.subject == "Consulting opportunity" and priya.sent_at == "2023-03-01T09:00:00Z"
    assert [(m.from_, m.sent_at) for m in priya.thread] == [
        ("recipient", "2023-03-01T10:15:00Z"),
        ("sender", "2023-03-02T08:30:00Z"),
    ]
    assert "WhatsApp" in priya.thread[-1].text
    assert priya.channel == "linkedin_message"


def test_when_owner_started_conversation_then_no_approach_and_drafts_never_in_threads(tmp_path: Path) -> None:
    archive = read_archive(ab.build_archive(tmp_path, "2024"))
    assert all(a.sender is None or a.sender.name != "Tomasz Wielgosz" for a in archive.approaches)
    assert all("Draft reply" not in m.text for a in archive.approaches for m in a.thread)


def test_when_export_has_no_urls_then_owner_found_by_name(tmp_path: Path) -> None:
    msgs = [{**m, "SENDER PROFILE URL": "", "RECIPIENT PROFILE URLS": ""} for m in ab.default_messages()]
    files = ab.era_files("2021", msgs)
    del files["Profile.csv"]
    archive = read_archive(ab.write_zip(tmp_path / "x.zip", files))
    assert archive.owner.name == ab.OWNER and archive.owner.profile_url is None
    assert {a.sender.name for a in archive.approaches if a.sender} == {
        "Priya Ostrander", "LinkedIn Member", "Dana Kettleby", "Quentin Harrowgate"}  # fmt: skip


def test_when_one_message_ties_participants_then_profile_name_decides_owner(tmp_path: Path) -> None:
    msgs = [m for m in ab.default_messages() if m["CONVERSATION ID"] == "2-Q09OVjQ="]
    archive = read_archive(archive_with(tmp_path, {"messages.csv": ab.csv_bytes(ab.MESSAGE_COLUMNS, msgs)}))
    assert archive.owner.profile_url == ab.OWNER_URL
    assert [a.sender.name for a in archive.approaches if a.channel == "linkedin_message"] == ["Dana Kettleby"]


def test_when_content_is_html_then_plain_text_with_link_targets(tmp_path: Path) -> None:
    archive = read_archive(ab.build_archive(tmp_path, "2023"))
    dana = by_sender(archive, "Dana Kettleby")
    assert dana.text == (
        "Hi Morgan,\nAre you coming to the evidence-based policy conference on 3 May? It's listed on our events "
        "page (https://example.org/conference)."
    )
    inmail = by_sender(archive, "LinkedIn Member")
    assert inmail.channel == "linkedin_inmail" and inmail.sender is not None and inmail.sender.profile_url is None
    assert "<p" not in inmail.text and "data governance & public policy" in inmail.text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("plain text, a < b and Q&A", "plain text, a < b and Q&A"),
        ("<p>One</p><p>Two &amp; three</p>", "One\n\nTwo & three"),
        ("<script>alert(1)</script><p>Hi</p>", "Hi"),
        ('<a href="javascript:alert(1)">click</a>', "click"),
        ("<img src=x onerror=alert(1)>Hello&nbsp;there", "Hello there"),
        ("<div>unclosed <b>bold", "unclosed bold"),
    ],
)
def test_when_html_then_tags_dropped_entities_unescaped(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    "hostile",
    [
        "<p>" + "<a " * 66_000,
        "<p>" + "<!--" * 50_000,
        "<p>" + "<a href='" * 20_000,
        "<p>" + "</" * 100_000,
        "<p>" + "<script>" * 25_000,
        "<p>" + "<a href='x'>y" * 20_000 + "</a>" * 20_000,
        "<p><" + " " * 199_000,
    ],
)
def test_when_html_is_pathological_then_linear_time(hostile: str) -> None:
    start = time.perf_counter()
    html_to_text(hostile)
    assert time.perf_counter() - start < 1.0  # html.parser takes minutes on the first of these


@settings(max_examples=200, deadline=1_000)
@given(st.lists(st.sampled_from(["<", ">", "/", "a", "p", " ", "href=", "'", '"', "!--", "-->", "&amp;", "&#", "script",
                                 "x", "\n"]), max_size=300).map("".join))  # fmt: skip
def test_property_html_soup_gives_text_without_tags(soup: str) -> None:
    text = html_to_text(soup)
    assert isinstance(text, str) and "<p>" not in text.replace("&lt;", "")


# --- dates --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("07 Jun 2022", "2022-06-07"),  # Connections.csv Connected On
        ("2023-05-01 14:02:11 UTC", "2023-05-01T14:02:11Z"),  # messages.csv DATE
        ("5/1/23, 2:02 PM", "2023-05-01T14:02:00"),  # Invitations.csv Sent At
        ("5/1/23, 2:02\u202fPM", "2023-05-01T14:02:00"),
        ("12/31/23, 12:05 AM", "2023-12-31T00:05:00"),
        ("2023/05/01 14:02:11 UTC", "2023-05-01T14:02:11Z"),  # endorsements
        ("Aug 2022", "2022-08"),  # positions
        ("2019", "2019"),  # education
        ("2023-05-01", "2023-05-01"),
        ("", None),
    ],
)
def test_when_export_date_then_iso_8601(raw: str, iso: str | None) -> None:
    assert iso_date(raw) == iso


@pytest.mark.parametrize("raw", ["yesterday", "31 Foo 2022", "2/30/23, 1:00 PM", "13/45/2023", "13/1/23, 25:00 PM"])
def test_when_date_not_understood_then_value_error(raw: str) -> None:
    with pytest.raises(ValueError):
        iso_date(raw)


def test_when_dates_in_files_then_each_normalised_or_warned(tmp_path: Path) -> None:
    conns = ab.connections()
    conns[0] = {**conns[0], "Connected On": "sometime"}
    header = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    archive = read_archive(archive_with(tmp_path, {"Connections.csv": ab.csv_bytes(header, conns)}))
    assert [c.connected_on for c in archive.connections] == [None, "2022-06-07", "2021-03-01", "2020-09-15"]
    assert archive.warnings == ["Connections.csv line 2: 'connected on' 'sometime' is not a date; left empty"]
    quentin = by_sender(archive, "Quentin Harrowgate")
    assert quentin.sent_at == "2023-03-05T16:07:00" and quentin.channel == "linkedin_invitation"
    assert by_sender(archive, "Dana Kettleby").sent_at == "2023-05-03T09:30:00Z"


# --- hostile archives --------------------------------------------------------------------------------------------


def test_when_zip_bomb_declares_its_size_then_refused_at_once(tmp_path: Path) -> None:
    bomb = ab.zip_bomb(tmp_path / "bomb.zip")
    start = time.perf_counter()
    with pytest.raises(UnsafeArchive, match=r"bomb\.zip, messages\.csv: declares .* bytes"):
        read_archive(bomb)
    assert time.perf_counter() - start < 0.5


def test_when_zip_bomb_inflates_past_headers_then_counted_read_refuses_fast_and_small(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = ab.zip_bomb(tmp_path / "bomb.zip")  # ~4 GB of zeros in ~4 MB
    monkeypatch.setattr(SafeZip, "_check_declared", lambda self, info: None)  # as if the headers lied
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    with pytest.raises(UnsafeArchive, match="inflates past 209,715,200 bytes"):
        read_archive(bomb)
    assert time.perf_counter() - start < 2.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before < 256


@pytest.mark.parametrize(
    ("limits", "match"),
    [
        (Limits(max_member_bytes=MB), "declares 4,194,304 bytes"),
        (Limits(max_total_bytes=MB), "past 1,048,576 bytes inflated"),
        (Limits(ratio_floor_bytes=MB // 2), "compression ratio over 200:1"),
    ],
)
def test_when_member_passes_a_limit_then_archive_refused(tmp_path: Path, limits: Limits, match: str) -> None:
    path = archive_with(tmp_path, {"messages.csv": bytes(4 * MB)})
    with pytest.raises(UnsafeArchive, match=match):
        read_archive(path, limits)


@pytest.mark.parametrize(
    "name", ["../messages.csv", "a/../../messages.csv", "/etc/messages.csv", "C:/x/messages.csv", "x\\messages.csv"]
)
def test_when_member_name_escapes_then_refused_naming_it(tmp_path: Path, name: str) -> None:
    path = archive_with(tmp_path, {name: b"x"})
    with pytest.raises(UnsafeArchive) as err:
        read_archive(path)
    assert err.value.source == "export.zip" and err.value.where == name


def test_when_member_is_symlink_then_refused(tmp_path: Path) -> None:
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("messages.csv", ab.FIXED_TIME)
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(UnsafeArchive, match=r"link\.zip, messages\.csv: member is a symbolic link"):
        read_archive(path)


def test_when_archive_inside_then_skipped_with_warning(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("messages.csv", "evil")
    archive = read_archive(archive_with(tmp_path, {"more.zip": inner.getvalue(), "x.csv.gz": b"\x1f\x8b"}))
    assert archive.warnings == [
        "more.zip: an archive inside the archive; not opened",
        "x.csv.gz: an archive inside the archive; not opened",
    ]
    assert archive.counts["conversations"] == ab.EXPECTED["conversations"]


def test_when_too_many_members_then_refused(tmp_path: Path) -> None:
    files = {f"f{i}.csv": b"" for i in range(2_001)}
    with pytest.raises(UnsafeArchive, match="declares 2,001 members, more than 2,000"):
        read_archive(ab.write_zip(tmp_path / "many.zip", files))


def test_when_not_a_zip_then_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.zip"
    path.write_bytes(b"First Name,Last Name\n")
    with pytest.raises(UnsafeArchive, match=r"notes\.zip: not a readable zip archive"):
        read_archive(path)


def test_when_member_not_utf8_then_replaced_with_warning(tmp_path: Path) -> None:
    header = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    conns = [*ab.connections(), {"First Name": "Zoë", "Last Name": "Brontë", "Connected On": "01 Jan 2020"}]
    raw = ab.csv_bytes(header, conns).decode().encode("cp1252")
    archive = read_archive(archive_with(tmp_path, {"Connections.csv": raw}))
    assert len(archive.warnings) == 1 and archive.warnings[0].startswith("Connections.csv: not UTF-8")
    assert archive.connections[-1].first_name == "Zo\ufffd"
    with SafeZip(archive_with(tmp_path, {"Connections.csv": raw})) as zf:
        text, warnings = zf.read_text("Connections.csv")
    assert "Bront\ufffd" in text and len(warnings) == 1


def test_when_bom_and_crlf_then_read_cleanly(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + ab.era_files("2023")["messages.csv"].replace(b"\n", b"\r\n")
    archive = read_archive(archive_with(tmp_path, {"messages.csv": raw}))
    assert archive.warnings == [] and archive.counts["conversations"] == ab.EXPECTED["conversations"]


def test_when_field_oversize_then_row_skipped_with_warning(tmp_path: Path) -> None:
    msgs = ab.default_messages()
    msgs.insert(1, ab.message("2-QklH", "Big Sender", "", ab.OWNER, ab.OWNER_URL, "2023-01-01 00:00:00 UTC",
                              "x" * 300_000))  # fmt: skip
    archive = read_archive(archive_with(tmp_path, {"messages.csv": ab.csv_bytes(ab.MESSAGE_COLUMNS, msgs)}))
    assert archive.warnings == ["messages.csv line 3: a field longer than 200,000 characters; row skipped"]
    assert archive.counts["conversations"] == ab.EXPECTED["conversations"]


def test_when_rows_malformed_then_warned_and_rest_read(tmp_path: Path) -> None:
    good = ab.era_files("2023")["messages.csv"].decode()
    head, first, rest = good.split("\n", 2)
    raw = f"{head}\n{first}\nonly,three,fields\n{rest}".encode()
    archive = read_archive(archive_with(tmp_path, {"messages.csv": raw, "Skills.csv": b"Nom\nx\n"}))
    assert sorted(archive.warnings) == [
        "Skills.csv line 1: no header row naming name; file skipped",
        "messages.csv line 3: 3 fields where the header has 10; row skipped",
    ]
    assert archive.counts["conversations"] == ab.EXPECTED["conversations"]


def test_when_member_corrupt_then_warned_and_other_members_read(tmp_path: Path) -> None:
    path = archive_with(tmp_path, {})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("Invitations.csv")
    at = info.header_offset + 30 + len(info.filename) + 2
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    archive = read_archive(path)
    assert any(w.startswith("Invitations.csv line") for w in archive.warnings)
    assert archive.counts["conversations"] == ab.EXPECTED["conversations"]


def test_when_csv_nested_deeper_than_one_folder_then_not_found(tmp_path: Path) -> None:
    files = {f"a/b/{n}": d for n, d in ab.era_files("2023").items()}
    with SafeZip(ab.write_zip(tmp_path / "deep.zip", files)) as zf:
        assert zf.find("messages.csv") is None
    with SafeZip(ab.build_archive(tmp_path, "nested")) as zf:
        assert zf.find("MESSAGES.CSV") == "Basic_LinkedInDataExport_05-01-2023/messages.csv"


# --- the committed sample ----------------------------------------------------------------------------------------


def test_when_sample_archive_then_known_counts_and_reproducible(tmp_path: Path) -> None:
    archive = read_archive(SAMPLE)
    assert archive.counts == {"messages": 14, "conversations": 6, "invitations": 5, "connections": 19}
    assert archive.warnings == [] and len(archive.approaches) == 8
    assert archive.owner.headline and "Parliamentary Researcher" in archive.owner.headline
    spec = importlib.util.spec_from_file_location("make_sample", SAMPLE.parent / "make_sample.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.write(tmp_path / "again.zip").read_bytes() == SAMPLE.read_bytes()


# --- properties: nothing but records, warnings or a RecordError comes out ----------------------------------------


def _read_or_refuse(path: Path) -> None:
    try:
        archive = read_archive(path)
    except RecordError:
        return
    assert isinstance(archive.owner, Profile)
    assert all(isinstance(a, Approach) for a in archive.approaches)
    assert all(isinstance(w, str) for w in archive.warnings)


_SLOW = settings(max_examples=60, deadline=2_000, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SLOW
@given(st.binary(max_size=4_096))
def test_property_arbitrary_bytes_never_crash(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "any.zip"
    path.write_bytes(raw)
    _read_or_refuse(path)


@_SLOW
@given(st.lists(st.tuples(st.integers(0, 5_000), st.integers(0, 255)), min_size=1, max_size=8))
def test_property_damaged_sample_never_crashes(tmp_path: Path, flips: list[tuple[int, int]]) -> None:
    data = bytearray(SAMPLE.read_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(data))
    _read_or_refuse(path)


_TOKENS = [*'ab,"\n\r \t<>&;%/:ü\ufeff\x00', "FROM", "CONTENT", "<p>", "&amp;", "2023-05-01 14:02:11 UTC"]
_CSV_TEXT = st.one_of(st.lists(st.sampled_from(_TOKENS), max_size=200).map("".join), st.text(max_size=300))


@_SLOW
@given(st.sampled_from(["messages.csv", "Connections.csv", "Invitations.csv", "Profile.csv"]), _CSV_TEXT)
def test_property_arbitrary_csv_text_never_crashes(tmp_path: Path, member: str, text: str) -> None:
    header = {
        "messages.csv": "CONVERSATION ID,FROM,SENDER PROFILE URL,DATE,CONTENT,RECIPIENT PROFILE URLS\n",
        "Connections.csv": "First Name,Last Name,URL,Connected On\n",
        "Invitations.csv": "From,To,Sent At,Message,Direction\n",
        "Profile.csv": "First Name,Last Name,Headline\n",
    }[member]
    path = ab.write_zip(tmp_path / "csv.zip", {member: (header + text).encode("utf-8", "surrogatepass")})
    _read_or_refuse(path)
