"""The CLI as a user meets it: real subprocesses where exit codes and streams matter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from counterpitch.cli import app
from tests.conftest import SCHEMAS

runner = CliRunner()
HOSTILE_TEXT = (
    "I advise investors overseas who will pay £2,000 a month for your notes on what ministers say privately "
    "before decisions are published. Payment can be in crypto so nothing links back to you; keep this between us "
    "and add me on WhatsApp."
)


def cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "counterpitch.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def assessment_schema() -> Draft202012Validator:
    path = SCHEMAS / "assessment.schema.json"
    if not path.is_file():
        pytest.skip("shared schemas not present")
    return Draft202012Validator(json.loads(path.read_text()))


def test_when_text_is_pasted_then_json_assessment_matches_schema(
    assessment_schema: Draft202012Validator,
) -> None:
    r = runner.invoke(app, ["check", "--text", HOSTILE_TEXT, "--sender-name", "Jo Bell", "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assessment_schema.validate(doc)
    assert doc["band"] == "high"
    detectors = {f["detector"] for f in doc["findings"]}
    assert {"lure.secrecy", "lure.cash_crypto_gifts", "lure.off_platform"} <= detectors


def test_when_ordinary_text_then_low() -> None:
    r = runner.invoke(app, ["check", "--text", "Congratulations on the new job! Coffee next week?", "-f", "json"])
    assert r.exit_code == 0
    assert json.loads(r.stdout)["band"] == "low"


def test_when_table_format_then_band_evidence_and_advice_are_shown() -> None:
    r = runner.invoke(app, ["check", "--text", HOSTILE_TEXT], env={"COLUMNS": "160"})
    assert r.exit_code == 0
    assert "HIGH" in r.stdout and "What to do" in r.stdout and "WhatsApp" in r.stdout


def test_when_file_has_a_bad_line_then_exit_2_naming_line_and_field(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": "a", "text": "hi"}) + "\n" + json.dumps({"id": "b"}) + "\n")
    r = cli("check", str(f), "--format", "jsonl")
    assert r.returncode == 2
    assert b"line 2" in r.stderr and b"'text'" in r.stderr
    assert r.stdout == b""


def test_when_keep_going_then_good_records_are_still_assessed(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_bytes(
        json.dumps({"id": "a", "text": "hi"}).encode()
        + b"\n\xff\xfe\x00garbage\n"
        + json.dumps({"id": "c", "text": HOSTILE_TEXT}).encode()
        + b"\n"
    )
    r = cli("check", str(f), "--format", "jsonl", "--keep-going")
    assert r.returncode == 2
    ids = [json.loads(line)["id"] for line in r.stdout.decode().splitlines()]
    assert ids == ["a", "c"]
    assert b"line 2" in r.stderr


def test_when_stdin_then_read_like_a_file() -> None:
    r = cli("check", "-", "--format", "json", stdin=json.dumps([{"id": "s1", "text": "hello"}]).encode())
    assert r.returncode == 0
    assert json.loads(r.stdout)[0]["id"] == "s1"


def test_when_file_is_missing_then_exit_2() -> None:
    r = runner.invoke(app, ["check", "/nonexistent/file.jsonl"])
    assert r.exit_code == 2


def test_when_both_file_and_text_then_exit_2() -> None:
    assert runner.invoke(app, ["check", "x.json", "--text", "hi"]).exit_code == 2


def test_detectors_catalogue_lists_every_family() -> None:
    r = runner.invoke(app, ["detectors"], env={"COLUMNS": "250"})
    assert r.exit_code == 0
    for family in ("lure.", "persona.", "watchlist.", "exposure.", "semantic.", "safeguard.", "targeting."):
        assert family in r.stdout


def test_when_eval_on_casebook_then_metrics_and_confusion_are_printed(casebook: Path, tmp_path: Path) -> None:
    out = tmp_path / "eval.json"
    r = runner.invoke(app, ["eval", str(casebook), "--json", str(out)], env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    assert "ROC AUC" in r.stdout and "confusion" in r.stdout
    report = json.loads(out.read_text())
    summary = next(iter(report.values()))["summary"]
    assert summary["cases"] == 60


def test_when_eval_input_is_unlabelled_then_exit_2(tmp_path: Path) -> None:
    f = tmp_path / "u.jsonl"
    f.write_text(json.dumps({"id": "a", "text": "hi"}) + "\n")
    assert runner.invoke(app, ["eval", str(f)]).exit_code == 2


def test_when_user_rules_are_given_then_their_detector_runs(tmp_path: Path) -> None:
    rules = tmp_path / "ours.yaml"
    rules.write_text(
        "detectors:\n"
        "  - id: ours.parking_offer\n"
        "    title: Offers a parking permit\n"
        "    severity: low\n"
        "    explanation: Our own indicator.\n"
        "    guidance: Tell facilities.\n"
        "    sources: ['internal note']\n"
        "    match:\n"
        "      all_of:\n"
        "        - ['\\bparking permit\\b']\n"
    )
    r = runner.invoke(app, ["check", "--text", "I can get you a parking permit.", "--rules", str(rules), "-f", "json"])
    assert r.exit_code == 0, r.output
    assert "ours.parking_offer" in {f["detector"] for f in json.loads(r.stdout)["findings"]}


def test_when_user_rules_are_malformed_then_exit_2_naming_the_file(tmp_path: Path) -> None:
    rules = tmp_path / "broken.yaml"
    rules.write_text("detectors: [")
    r = runner.invoke(app, ["check", "--text", "hi", "--rules", str(rules)])
    assert r.exit_code == 2
    assert "broken.yaml" in r.output


SAMPLE_PDF = Path(__file__).parent / "fixtures" / "profiles" / "sample_sender.pdf"


def test_when_sender_pdf_is_given_then_its_profile_is_the_sender() -> None:
    r = runner.invoke(app, ["check", "--text", "Hello, may we talk?", "--sender-pdf", str(SAMPLE_PDF), "-f", "json"])
    assert r.exit_code == 0, r.output
    evidence_fields = {e["field"] for f in json.loads(r.stdout)["findings"] for e in f["evidence"]}
    assert any(field.startswith("sender.") for field in evidence_fields)


def test_when_sender_pdf_shows_no_jobs_then_no_work_history_counts_but_typed_fields_alone_never(
    tmp_path: Path,
) -> None:
    """Only a profile read whole can say "no work history" (docs/decisions/0037-missing-is-not-evidence.md)."""
    from tests import pdf_builder as pb

    spec = pb.ProfileSpec(name="Lena Hart", headline="Talent Partner", location="London", slug="lena-hart-77")
    pdf = pb.build_profile_pdf(spec, tmp_path / "p.pdf")
    typed = ["--sender-name", "Lena Hart", "--sender-headline", "Talent Partner"]

    def thin(*args: str) -> list[list[str]]:
        r = runner.invoke(app, ["check", "--text", "Hello, may we talk?", *args, "-f", "json"])
        assert r.exit_code == 0, r.output
        found = json.loads(r.stdout)["findings"]
        return [[e["field"] for e in f["evidence"]] for f in found if f["detector"] == "persona.thin_profile"]

    assert thin("--sender-pdf", str(pdf)) == [["sender.experience"]]
    assert thin("--sender-pdf", str(pdf), "--sender-company", "Meridian Partners") == [["sender.experience"]]
    assert thin(*typed) == []


def test_when_sender_pdf_is_not_a_pdf_then_exit_2_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "profile.pdf"
    bad.write_bytes(b"not a pdf at all")
    r = runner.invoke(app, ["check", "--text", "hi", "--sender-pdf", str(bad)])
    assert r.exit_code == 2
    assert "profile.pdf" in r.output


SAMPLE_ARCHIVE = Path(__file__).parent / "fixtures" / "archives" / "sample_archive.zip"


def test_when_archive_is_scanned_then_json_has_counts_approaches_exposure_and_hits(tmp_path: Path) -> None:
    report = tmp_path / "scan.html"
    r = runner.invoke(app, ["scan", str(SAMPLE_ARCHIVE), "-f", "json", "--html", str(report)])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["counts"] == {"messages": 14, "conversations": 6, "invitations": 5, "connections": 19}
    scores = [a["score"] for a in doc["approaches"]]
    assert scores == sorted(scores, reverse=True)
    assert doc["approaches"][0]["band"] == "high"
    assert {"id", "score", "band", "findings"} <= set(doc["exposure"])
    assert isinstance(doc["watchlist_hits"], list)
    assert report.read_text().startswith("<!doctype html>")


def test_when_archive_is_not_a_zip_then_exit_2_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "export.zip"
    bad.write_bytes(b"this is not a zip")
    r = runner.invoke(app, ["scan", str(bad)])
    assert r.exit_code == 2
    assert "export.zip" in r.output


def test_when_mail_with_an_interview_installer_is_checked_then_it_is_flagged(tmp_path: Path) -> None:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "Dana Pryce <dana.pryce@talent-bridge.example>"
    msg["To"] = "eng@example.org"
    msg["Subject"] = "Next step: technical interview"
    msg["Message-ID"] = "<m1@talent-bridge.example>"
    msg.set_content("Please install the interview app attached before our call and run it on your work laptop.")
    msg.add_attachment(
        b"MZ" + b"\0" * 200, maintype="application", subtype="octet-stream", filename="Interview_Setup.exe"
    )
    eml = tmp_path / "m.eml"
    eml.write_bytes(bytes(msg))
    r = runner.invoke(app, ["check-mail", str(eml), "-f", "json"])
    assert r.exit_code == 0, r.output
    (doc,) = json.loads(r.stdout)
    detectors = {f["detector"] for f in doc["findings"]}
    assert "mail.executable_attachment" in detectors
    assert doc["band"] in {"medium", "high"}


def test_when_mailbox_has_a_broken_message_then_the_rest_is_screened_and_exit_is_2(tmp_path: Path) -> None:
    box = tmp_path / "inbox.mbox"
    box.write_text(
        "From a@example.org Mon Jan  1 00:00:00 2026\nFrom: A <a@example.org>\nSubject: hi\n\nLunch on Friday?\n\n"
        "From b@example.org Mon Jan  1 00:00:00 2026\n\n\n"
    )
    r = cli("check-mail", str(box), "-f", "jsonl")
    lines = [line for line in r.stdout.decode().splitlines() if line.strip()]
    assert len(lines) == 1
    assert json.loads(lines[0])["band"] == "low"
    assert r.returncode == 2
    assert b"message 2" in r.stderr


def test_when_bad_input_carries_rich_markup_then_it_is_printed_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "[red]" / "x["  # the path reads ".../[red]/x[/red].jsonl": markup if not escaped
    folder.mkdir(parents=True)
    f = folder / "red].jsonl"
    f.write_text('{"id": "a"}\n')
    r = cli("check", str(f))
    assert r.returncode == 2
    assert b"[red]/x[/red].jsonl" in r.stderr
    assert b"Traceback" not in r.stderr


def test_when_a_users_rule_fires_then_it_counts_towards_the_score(tmp_path: Path) -> None:
    rules = tmp_path / "ours.yaml"
    rules.write_text(
        "detectors:\n"
        "  - id: ours.project_falcon\n"
        "    title: Asks about Project Falcon\n"
        "    severity: high\n"
        "    explanation: Our own programme name.\n"
        "    guidance: Tell security.\n"
        "    sources: ['internal note']\n"
        "    match:\n"
        "      all_of:\n"
        "        - ['\\bproject falcon\\b']\n"
    )
    text = "Could you tell me a little about Project Falcon?"
    base = json.loads(runner.invoke(app, ["check", "--text", text, "-f", "json"]).stdout)
    r = runner.invoke(app, ["check", "--text", text, "--rules", str(rules), "-f", "json"])
    doc = json.loads(r.stdout)
    ours = next(f for f in doc["findings"] if f["detector"] == "ours.project_falcon")
    assert ours["weight"] > 0
    assert doc["score"] > base["score"]


@pytest.mark.parametrize("args", [["eval", "x.jsonl", "--cv", "1"], ["eval", "x.jsonl", "--cv", "-3"]])
def test_when_cv_is_not_a_number_of_folds_then_exit_2(args: list[str], casebook: Path) -> None:
    args = [casebook.as_posix() if a == "x.jsonl" else a for a in args]
    r = runner.invoke(app, args)
    assert r.exit_code == 2


def test_when_report_folder_does_not_exist_then_exit_2_before_scanning() -> None:
    r = runner.invoke(app, ["scan", str(SAMPLE_ARCHIVE), "--html", "/nonexistent/dir/report.html"])
    assert r.exit_code == 2
    assert "does not exist" in r.output


def test_when_weights_file_is_not_json_then_error_names_it(tmp_path: Path) -> None:
    w = tmp_path / "w.json"
    w.write_text("{not json")
    r = runner.invoke(app, ["check", "--text", "hi", "--weights", str(w)])
    assert r.exit_code == 2
    assert "w.json" in r.output
