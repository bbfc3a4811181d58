"""E-mail as approaches: parsing hostile .eml and mbox input, attachment and link findings, and scoring.

Every sender, address and domain here is invented (example.* and .test names).
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterpitch.detectors.registry import default_registry
from counterpitch.engine import Engine
from counterpitch.ingest import mail
from counterpitch.ingest.mail import MailError, MailMessage, parse_message, read_eml, read_mail, read_mbox
from counterpitch.ingest.mail_findings import MAIL_DETECTORS, assess_mail, mail_findings, mail_scorer, mail_weights
from counterpitch.ingest.mail_html import html_to_text

SENDER = "Mara Lindqvist <mara.lindqvist@brightpath-talent.example>"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56


# --- builders -------------------------------------------------------------------------------------------------
def message(body: str | None = "Hello, I came across your profile.", **headers: str) -> EmailMessage:
    m = EmailMessage()
    m["From"] = headers.pop("From", SENDER)
    m["To"] = headers.pop("To", "Sam Okafor <sam.okafor@aerolab.example>")
    m["Subject"] = headers.pop("Subject", "An opportunity")
    m["Date"] = headers.pop("Date", "Tue, 04 Mar 2025 09:30:00 +0100")
    m["Message-ID"] = headers.pop("Message_ID", "<op-1@brightpath-talent.example>")
    for k, v in headers.items():
        m[k.replace("_", "-")] = v
    if body is not None:
        m.set_content(body)
    return m


def zipped(members: dict[str, bytes], *, encrypt: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    raw = bytearray(buf.getvalue())
    if encrypt:  # zipfile cannot write encrypted entries; set the "encrypted" flag bit in both headers
        for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            for m in re.finditer(re.escape(sig), bytes(raw)):
                raw[m.start() + flag_at] |= 0x01
    return bytes(raw)


def with_file(
    name: str, data: bytes, ctype: str = "application/octet-stream", body: str = "Please see attached."
) -> bytes:
    m = message(body)
    maintype, subtype = ctype.split("/")
    m.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return m.as_bytes()


def with_html(html: str, plain: str | None = None) -> bytes:
    m = message(plain)
    if plain is None:
        m.set_content(html, subtype="html")
    else:
        m.add_alternative(html, subtype="html")
    return m.as_bytes()


def parse(raw: bytes) -> MailMessage:
    return parse_message(raw, "test.eml")


def outcome(raw: bytes, source: str = "test.eml") -> MailMessage | MailError:
    try:
        return parse_message(raw, source)
    except MailError as err:
        return err


def ids(msg: MailMessage) -> set[str]:
    return {f.detector for f in mail_findings(msg)}


OLE_MACRO = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "_VBA_PROJECT".encode("utf-16-le") + b"\x00" * 50
DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
DOCM = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<x/>", "word/vbaProject.bin": b"\x01"})
XLSM = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"\x01"})

# (case, raw message, expected mail findings)
CASES: list[tuple[str, Callable[[], bytes], set[str]]] = [
    ("plain", lambda: message().as_bytes(), set()),
    ("exe", lambda: with_file("salary_table.exe", EXE), {"mail.executable_attachment"}),
    (
        "exe_bytes_named_pdf",
        lambda: with_file("Job_Description.pdf", EXE, "application/pdf"),
        {"mail.executable_attachment"},
    ),
    ("double_extension", lambda: with_file("CV.pdf.exe", EXE, "application/pdf"), {"mail.executable_attachment"}),
    ("script_by_name", lambda: with_file("offer.js", b"var a = 1;", "text/javascript"), {"mail.executable_attachment"}),
    ("docm", lambda: with_file("Role_Details.docm", DOCM), {"mail.macro_document"}),
    ("xlsm_named_xlsx", lambda: with_file("Salary_Bands.xlsx", XLSM), {"mail.macro_document"}),
    (
        "ole_macro_xls",
        lambda: with_file("Benefits.xls", OLE_MACRO, "application/vnd.ms-excel"),
        {"mail.macro_document"},
    ),
    (
        "interview_app",
        lambda: with_file("Interview_Client_Setup.exe", EXE),
        {"mail.executable_attachment", "mail.installer_or_interview_app"},
    ),
    (
        "pdf_reader",
        lambda: with_file("SecurePDFReader.msi", b"\xd0\xcf\x11\xe0"),
        {"mail.executable_attachment", "mail.installer_or_interview_app"},
    ),
    (
        "assessment_zip_holding_exe",
        lambda: with_file("Skills_Assessment.zip", zipped({"Assessment/Start.exe": EXE})),
        {"mail.executable_attachment", "mail.installer_or_interview_app"},
    ),
    (
        "encrypted_zip",
        lambda: with_file("details.zip", zipped({"details.txt": b"x"}, encrypt=True)),
        {"mail.encrypted_archive"},
    ),
    (
        "mismatched_link",
        lambda: with_html('<p>Apply at <a href="https://airbus-careers.example/login">www.airbus.com/careers</a></p>'),
        {"mail.mismatched_link"},
    ),
    (
        "ip_link",
        lambda: with_html('<a href="http://203.0.113.7/portal">Job portal</a>'),
        {"mail.raw_ip_or_lookalike_link"},
    ),
    (
        "decimal_ip_link",
        lambda: message("Portal: http://3405803783/apply").as_bytes(),
        {"mail.raw_ip_or_lookalike_link"},
    ),
    (
        "punycode_link",
        lambda: with_html('<a href="https://xn--rbus-9qa.example/jobs">Jobs</a>'),
        {"mail.raw_ip_or_lookalike_link"},
    ),
    (
        "assessment_rar",
        lambda: with_file("Assessment.rar", b"Rar!\x1a\x07\x00" + b"\x00" * 20),
        {"mail.installer_or_interview_app"},
    ),
    # hard negatives
    ("assessment_brief_zip", lambda: with_file("Assessment_Brief.zip", zipped({"brief.pdf": PDF})), set()),
    ("docx", lambda: with_file("Role.docx", DOCX), set()),
    ("pdf", lambda: with_file("Brochure.pdf", PDF, "application/pdf"), set()),
    ("plain_zip", lambda: with_file("photos.zip", zipped({"a.jpg": b"\xff\xd8\xff"})), set()),
    (
        "subdomain_link",
        lambda: with_html('<a href="https://www.airbus.example/careers">careers.airbus.example</a>'),
        set(),
    ),
    ("name_not_domain", lambda: with_html('<a href="https://people.example/jd">Jane.Doe</a>'), set()),
    ("mailto_link", lambda: with_html('<a href="mailto:hr@other.example">hr@aerolab.example</a>'), set()),
]


def newsletter() -> bytes:
    html = """<html><head><title>Weekly</title><style>.x{color:red}</style></head><body>
    <h1>Aerospace Weekly</h1><p>Five stories this week &mdash; read on.</p>
    <p><a href="https://news.example.org/2025/03/drones">Read more</a></p>
    <p><a href="https://www.example.org/">example.org</a> | <a href="https://example.org/unsubscribe?u=1">Unsubscribe</a></p>
    </body></html>"""
    m = message("Aerospace Weekly: five stories this week. https://news.example.org/2025/03/drones")
    m.add_alternative(html, subtype="html")
    m.add_attachment(PDF, maintype="application", subtype="pdf", filename="issue-12.pdf")
    return m.as_bytes()


CASES.append(("benign_newsletter", newsletter, set()))


# --- truth table ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("case", "build", "expected"), CASES, ids=[c[0] for c in CASES])
def test_when_mail_carries_x_then_exactly_these_findings(
    case: str, build: Callable[[], bytes], expected: set[str]
) -> None:
    msg = parse(build())
    found = mail_findings(msg)
    assert {f.detector for f in found} == expected, (case, msg.attachments, msg.links)
    for f in found:
        assert f.sources and f.evidence and f.attack
        for e in f.evidence:
            assert _resolve(msg, e.field) == e.quote


def _resolve(msg: MailMessage, path: str) -> Any:
    obj: Any = msg
    for name, index in re.findall(r"(\w+)(?:\[(\d+)\])?", path):
        obj = getattr(obj, name)
        if index:
            obj = obj[int(index)]
    return obj


def test_every_mail_detector_has_a_positive_case_a_weight_and_no_registry_clash() -> None:
    fired = set().union(*(c[2] for c in CASES))
    ours = {d.meta.id for d in MAIL_DETECTORS}
    assert fired == ours
    assert set(mail_weights()) == ours
    assert not ours & {d.meta.id for d in default_registry(plugins=False)}


# --- parsing --------------------------------------------------------------------------------------------------
def test_when_plain_message_then_approach_fields_come_from_headers() -> None:
    msg = parse(message("Dear Sam,\nWould you write a short paper for us?").as_bytes())
    a = msg.approach
    assert a.id == "op-1@brightpath-talent.example" and a.channel == "email"
    assert a.sent_at == "2025-03-04T09:30:00+01:00" and a.subject == "An opportunity"
    assert a.sender is not None and a.sender.name == "Mara Lindqvist"
    assert a.sender.email == "mara.lindqvist@brightpath-talent.example"
    assert a.recipient is not None and a.recipient.email == "sam.okafor@aerolab.example"
    assert a.text == "Dear Sam,\nWould you write a short paper for us?"
    assert not msg.links and not msg.attachments and not msg.warnings


def test_when_html_only_then_scripts_dropped_entities_unescaped_link_text_kept() -> None:
    html = (
        "<html><head><style>p {color: red}</style></head><body><p>Tom &amp; Jerry &lt;3 &eacute;t&eacute;</p>"
        "<script>var secret = 'do not show';</script><p>See <a href='https://jobs.example/x'>our portal</a>.</p>"
        "</body></html>"
    )
    msg = parse(with_html(html))
    assert "Tom & Jerry <3 été" in msg.approach.text
    assert "See our portal." in msg.approach.text
    assert "secret" not in msg.approach.text and "color" not in msg.approach.text
    assert [(link.href, link.text) for link in msg.links] == [("https://jobs.example/x", "our portal")]


def test_when_plain_and_html_then_plain_is_the_text_and_links_come_from_html() -> None:
    msg = parse(with_html('<p>HTML <a href="https://a.example/">here</a></p>', plain="Plain version"))
    assert msg.approach.text == "Plain version"
    assert [link.text for link in msg.links] == ["here"]


def test_when_no_message_id_then_id_is_a_stable_hash() -> None:
    m = message()
    del m["Message-ID"]
    raw = m.as_bytes()
    assert parse(raw).approach.id.startswith("sha256:")
    assert parse(raw).approach.id == parse(raw).approach.id


def test_when_attachment_then_size_hash_type_and_deception_are_recorded() -> None:
    (a,) = parse(with_file("CV.pdf.exe", EXE, "application/pdf")).attachments
    assert (a.filename, a.content_type, a.size, a.kind, a.deceptive_name) == (
        "CV.pdf.exe", "application/pdf", len(EXE), "executable", True,
    )  # fmt: skip
    assert len(a.sha256) == 64
    (z,) = parse(with_file("d.zip", zipped({"x.txt": b"1"}, encrypt=True))).attachments
    assert (z.kind, z.encrypted, z.members) == ("archive", True, ("x.txt",))
    (rlo,) = parse(with_file("CV\u202efdp.exe", EXE)).attachments
    assert rlo.deceptive_name and rlo.kind == "executable"


def test_when_bytes_are_invalid_or_charset_unknown_then_replaced_with_a_warning() -> None:
    bad = message().as_bytes().replace(b"Hello, I came", b"Hello, I \xff\xfe came")
    msg = parse(bad.replace(b'charset="utf-8"', b"charset=utf-8"))
    assert "\ufffd" in msg.approach.text and any("replaced" in w for w in msg.warnings)
    odd = message().as_bytes().replace(b'charset="utf-8"', b'charset="x-no-such-charset"')
    msg = parse(odd)
    assert "Hello" in msg.approach.text and any("unknown character set" in w for w in msg.warnings)


def test_when_header_has_undecodable_bytes_then_output_is_still_serialisable() -> None:
    raw = message().as_bytes().replace(b"Subject: An opportunity", b"Subject: Caf\xe9 \xff offer")
    a = parse(raw).approach
    assert a.subject is not None and "Caf" in a.subject
    json.dumps(a.to_json_dict())


# --- limits ---------------------------------------------------------------------------------------------------
def test_when_message_is_over_the_size_limit_then_refused_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mail, "MAX_MESSAGE_BYTES", 2_000)
    path = tmp_path / "big.eml"
    path.write_bytes(message("x" * 5_000).as_bytes())
    with pytest.raises(MailError, match=r"big\.eml: message larger than 2,000 bytes"):
        read_eml(path)


def test_when_too_many_parts_then_the_rest_are_skipped_with_a_warning() -> None:
    m = message("body")
    for i in range(mail.MAX_PARTS + 50):
        m.add_attachment(b"x", maintype="application", subtype="octet-stream", filename=f"f{i}.bin")
    msg = parse(m.as_bytes())
    assert len(msg.attachments) < mail.MAX_PARTS
    # root + body + 250 attachments = 252 parts, of which MAX_PARTS (200) were read
    assert "the rest of this e-mail was not read: 52 parts over the limit of 200" in msg.warnings


def test_when_a_message_has_thousands_of_parts_then_it_is_cut_before_parsing_and_stays_fast() -> None:
    parts = "".join(f"--b\nContent-Type: application/octet-stream\n\nx{i}\n" for i in range(20_000))
    raw = f"From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n{parts}--b--\n".encode()
    started = time.perf_counter()
    msg = parse(raw)
    assert time.perf_counter() - started < 10
    assert len(msg.attachments) < mail.MAX_PARTS
    assert "the rest of this e-mail was not read: about 19,801 parts over the limit of 200" in msg.warnings


def test_when_dashes_cut_a_message_that_has_few_parts_then_the_warning_says_boundary_lines() -> None:
    body = "\n".join("-- quoted" for _ in range(mail.MAX_DELIMITER_LINES + 5))
    msg = parse(f"From: a@b.example\nSubject: s\n\n{body}\n".encode())
    assert any("boundary lines; the rest of this e-mail was not read" in w for w in msg.warnings)


@pytest.mark.parametrize("pattern", ["<a ", "<!--", "<![", "<a href='", "</", "&#"])
def test_when_html_is_crafted_to_be_slow_then_it_is_still_read_in_linear_time(pattern: str) -> None:
    started = time.perf_counter()
    html_to_text(pattern * 200_000)
    assert time.perf_counter() - started < 5


def _nested(depth: int) -> bytes:
    head = "From: a@b.example\nSubject: nest\nMIME-Version: 1.0\n"
    body = "Content-Type: text/plain\n\ninner text\n"
    for i in range(depth):
        body = f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n{body}\n--b{i}--\n'
    return (head + body).encode()


def test_when_nesting_is_too_deep_then_inner_parts_are_skipped_or_refused() -> None:
    msg = parse(_nested(mail.MAX_DEPTH + 5))
    assert msg.approach.text == "" and any("nested deeper" in w for w in msg.warnings)
    assert parse(_nested(3)).approach.text == "inner text"
    # Far deeper than any real message: the stdlib parser may give up; either way, no crash.
    deep = outcome(_nested(3_000))
    assert isinstance(deep, MailMessage) or "test.eml" in str(deep)


def test_when_header_is_huge_then_it_is_cut() -> None:
    msg = parse(message(Subject="Offer " + "very " * 10_000).as_bytes())
    assert msg.approach.subject is not None and len(msg.approach.subject) <= mail.MAX_SUBJECT_CHARS
    assert any("Subject header longer" in w for w in msg.warnings)


# --- files and mailboxes --------------------------------------------------------------------------------------
def _mbox_entry(raw: bytes) -> bytes:
    body = re.sub(rb"(?m)^From ", b">From ", raw.replace(b"\r\n", b"\n"))
    return b"From sender@example.test Tue Mar  4 09:30:00 2025\n" + body.rstrip(b"\n") + b"\n\n"


def test_when_mbox_has_a_malformed_message_then_it_is_named_and_the_others_read(tmp_path: Path) -> None:
    path = tmp_path / "inbox.mbox"
    first = message("First message", Message_ID="<m1@example.test>").as_bytes()
    third = with_file("Interview_Setup.exe", EXE)
    path.write_bytes(
        _mbox_entry(first) + _mbox_entry(b"this is not an e-mail at all\n\njust words") + _mbox_entry(third)
    )
    out = list(read_mbox(path))
    assert isinstance(out[0], MailMessage) and out[0].approach.text == "First message"
    assert isinstance(out[1], MailError) and out[1].where == "message 2"
    assert str(out[1]).startswith(f"{path}, message 2: no e-mail headers")
    assert isinstance(out[2], MailMessage) and "mail.installer_or_interview_app" in ids(out[2])
    assert [type(r) for r in read_mail(path)] == [type(r) for r in out]


def test_when_path_is_eml_or_missing_or_not_an_mbox_then_read_mail_says_so(tmp_path: Path) -> None:
    eml = tmp_path / "one.eml"
    eml.write_bytes(message().as_bytes())
    (only,) = read_mail(eml)
    assert isinstance(only, MailMessage)
    (missing,) = read_mail(tmp_path / "nope.eml")
    assert isinstance(missing, MailError) and "nope.eml" in str(missing)
    fake = tmp_path / "fake.mbox"
    fake.write_bytes(b"Subject: hi\n\nno From_ line")
    (err,) = read_mail(fake)
    assert isinstance(err, MailError) and "does not start with a 'From ' line" in str(err)
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    (err,) = read_mail(empty)
    assert isinstance(err, MailError) and "empty" in str(err)


# --- scoring --------------------------------------------------------------------------------------------------
def test_when_only_an_executable_is_attached_then_medium_never_high(rules_engine: Engine) -> None:
    a = assess_mail(rules_engine, parse(with_file("salary_table.exe", EXE, body="Hello Sam.")))
    assert a.band == "medium"
    assert a.findings[0].detector == "mail.executable_attachment" and (a.findings[0].weight or 0) > 0


def test_when_benign_newsletter_then_low(rules_engine: Engine) -> None:
    a = assess_mail(rules_engine, parse(newsletter()))
    assert a.band == "low" and not [f for f in a.findings if f.detector.startswith("mail.")]


def test_when_interview_app_then_high(rules_engine: Engine) -> None:
    body = "Thank you for your interest in the role. Please install the attached interview client before our call."
    a = assess_mail(rules_engine, parse(with_file("Interview_Client_Setup.exe", EXE, body=body)))
    assert a.band == "high"


def test_mail_weights_are_added_to_a_copy_and_fitted_weights_win(rules_engine: Engine) -> None:
    scorer = rules_engine.scorer
    merged = mail_scorer(scorer)
    assert "mail.macro_document" in merged.weights and "mail.macro_document" not in scorer.weights
    fitted = mail_scorer(type(scorer)(scorer.intercept, {"mail.macro_document": 0.5}, scorer.medium, scorer.high))
    assert fitted.weights["mail.macro_document"] == 0.5


# --- fuzz -----------------------------------------------------------------------------------------------------
_header_line = st.sampled_from(
    [b"From: ", b"Subject: ", b"Content-Type: multipart/mixed; boundary=b\n", b"Content-Type: text/html\n",
     b"Content-Transfer-Encoding: base64\n", b"Content-Disposition: attachment; filename*=utf-8''x%FF.exe\n",
     b"--b\n", b"--b--\n", b"\n", b"Date: ", b"Message-ID: <", b"=?utf-8?q?=FF?=", b"<a href='http://[::1",
     b"PK\x03\x04"]
)  # fmt: skip


@settings(max_examples=300, deadline=2_000, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=2_000), st.lists(st.one_of(_header_line, st.binary(max_size=40)), max_size=60).map(b"".join)
    )
)
def test_fuzz_arbitrary_bytes_as_eml_never_crash(raw: bytes) -> None:
    result = outcome(raw, "fuzz.eml")
    if isinstance(result, MailError):
        assert str(result).startswith("fuzz.eml")
        return
    json.dumps(result.approach.to_json_dict())
    mail_findings(result)


@settings(max_examples=100, deadline=2_000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=1_500))
def test_fuzz_arbitrary_mbox_text_never_crashes(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.mbox"
    path.write_bytes(b"From x@example.test Tue Mar  4 09:30:00 2025\n" + text.encode("utf-8", "surrogatepass"))
    for result in read_mbox(path):
        assert isinstance(result, MailMessage | MailError)
