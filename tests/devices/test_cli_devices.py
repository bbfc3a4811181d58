"""`counterpitch devices audit`: the formats, formula-safe CSV, the escaped report, --site, --keep-going."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from counterpitch.cli import app
from tests.devices.test_readers import BILLION_LAUGHS

REGISTER = (
    "asset,site,ip,mac,manufacturer,model\n"
    '=HYPERLINK("http://x"),HQ,10.0.0.1,44:19:B6:00:00:01,+Generic,\n'
    "<script>alert(1)</script>,HQ,10.0.0.2,,Dahua,IPC-HFW2431S-S-S2\n"
    "CAM-3,HQ,10.0.0.3,00:40:8C:00:00:03,Axis,P3245-LVE\n"
)


def _files(tmp_path: Path) -> tuple[Path, Path]:
    register = tmp_path / "assets.csv"
    register.write_text(REGISTER, encoding="utf-8")
    bad = tmp_path / "bad.xml"
    bad.write_text(BILLION_LAUGHS, encoding="utf-8")
    return register, bad


def test_when_csv_is_asked_then_every_device_is_a_row_and_no_cell_is_a_formula(tmp_path, runner):
    register, _ = _files(tmp_path)
    result = runner.invoke(app, ["devices", "audit", str(register), "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["covered"] for r in rows] == ["true", "true", "false"]
    assert rows[0]["asset"] == '\'=HYPERLINK("http://x")'
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())


def test_when_json_is_asked_then_the_devices_and_the_summary_are_one_document(tmp_path, runner):
    register, _ = _files(tmp_path)
    result = runner.invoke(app, ["devices", "audit", str(register), "-f", "json"])
    doc = json.loads(result.stdout)
    assert len(doc["devices"]) == 3
    assert doc["summary"]["sites"]["HQ"]["makers"] == {"Hikvision": 1, "Dahua": 1}
    assert doc["summary"]["sites"]["HQ"]["bases"]["both"] == 2


def test_when_the_table_is_asked_then_the_devices_to_remove_are_listed(tmp_path, runner):
    register, _ = _files(tmp_path)
    result = runner.invoke(app, ["devices", "audit", str(register)], terminal_width=200)
    assert result.exit_code == 0
    assert "3 devices at 1 site(s); 2 to remove" in result.stdout
    assert "IPC-HFW" not in result.stdout and "Dahua" in result.stdout


def test_when_the_report_is_written_then_hostile_text_is_escaped(tmp_path, runner):
    register, _ = _files(tmp_path)
    html = tmp_path / "report.html"
    result = runner.invoke(app, ["devices", "audit", str(register), "-f", "jsonl", "--html", str(html)])
    assert result.exit_code == 0
    page = html.read_text("utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Content-Security-Policy" in page


def test_when_a_file_is_refused_without_keep_going_then_the_audit_stops_with_exit_2(tmp_path, runner):
    register, bad = _files(tmp_path)
    result = runner.invoke(app, ["devices", "audit", str(bad), str(register), "-f", "jsonl"])
    assert result.exit_code == 2
    assert f"{bad}: refused: the XML declares entities" in result.stderr
    assert result.stdout == ""


def test_when_keep_going_is_given_then_the_rest_is_audited_and_the_exit_still_says_so(tmp_path, runner):
    register, bad = _files(tmp_path)
    result = runner.invoke(app, ["devices", "audit", str(bad), str(register), "-f", "jsonl", "--keep-going"])
    assert result.exit_code == 2
    assert len(result.stdout.splitlines()) == 3
    assert "1 record(s) rejected" in result.stderr


def test_when_a_scan_names_no_site_then_site_gives_it_one(tmp_path, runner):
    from tests.devices.constructed import scan_xml

    scan = tmp_path / "scan.xml"
    scan.write_text(scan_xml(), encoding="utf-8")
    result = runner.invoke(app, ["devices", "audit", str(scan), "-f", "jsonl", "--site", "Annex"])
    assert {json.loads(x)["site"] for x in result.stdout.splitlines()} == {"Annex"}


def test_when_an_input_is_missing_or_a_map_is_bad_then_the_command_says_which(tmp_path, runner):
    result = runner.invoke(app, ["devices", "audit", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and "no such file" in result.stderr
    register, _ = _files(tmp_path)
    result = runner.invoke(app, ["devices", "audit", str(register), "--map", "Kit=colour"])
    assert result.exit_code == 2 and "not a field" in result.stderr
