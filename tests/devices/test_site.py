"""The constructed site (tests/devices/constructed.py): every covered device found with the right maker, no
other flagged, OEM brands and conflicts shown; audited through the command, register and scan together."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from counterpitch.cli import app
from tests.devices.constructed import MERGED, ROWS, SCAN_HOSTS, register_csv, scan_xml


def _audit(tmp_path: Path, runner: CliRunner, *extra: str) -> dict[str, dict[str, object]]:
    register = tmp_path / "register.csv"
    register.write_text(register_csv(), encoding="utf-8")
    scan = tmp_path / "scan.xml"
    scan.write_text(scan_xml(), encoding="utf-8")
    result = runner.invoke(app, ["devices", "audit", str(register), str(scan), "-f", "jsonl", *extra])
    assert result.exit_code == 0, result.output
    found = [json.loads(line) for line in result.stdout.splitlines()]
    return {str(d["asset"] or d["ip"]): d for d in found}


def test_when_the_constructed_site_is_audited_then_every_covered_device_is_found_and_no_other(tmp_path, runner):
    assert len(ROWS) + len(SCAN_HOSTS) - len(MERGED) >= 60
    found = _audit(tmp_path, runner)
    assert len(found) == len(ROWS) + len(SCAN_HOSTS) - len(MERGED)
    wrong = []
    for row in ROWS:
        d, e = found[row.asset], row.expect
        got = (d["vendor"], d["covered"], d["brand"] or "", bool(d["conflict"]))
        if got != (e.vendor, e.covered, e.brand, e.conflict) or (e.note and e.note not in str(d["note"])):
            wrong.append((row.asset, got, e))
    for ip, _, _, _, e in SCAN_HOSTS:
        if ip in MERGED:
            continue
        d = found[ip]
        if (d["vendor"], d["covered"]) != (e.vendor, e.covered):
            wrong.append((ip, d["vendor"], d["covered"], e))
    assert not wrong


def test_when_no_device_is_flagged_then_only_listed_makers_oem_brands_are_to_check(tmp_path, runner):
    found = _audit(tmp_path, runner)
    assert sorted(k for k, d in found.items() if d["check"]) == ["NG-CAM-105"]


def test_when_a_covered_device_is_flagged_then_its_basis_and_evidence_say_why(tmp_path, runner):
    found = _audit(tmp_path, runner)
    assert found["NG-CAM-001"]["basis"] == ["us_covered_list", "uk_prc_nil"]
    assert found["RD-CAM-001"]["basis"] == ["uk_prc_nil"]  # Uniview: PRC maker, not on the US list
    evidence = found["NG-CAM-001"]["evidence"]
    assert evidence[0]["kind"] == "oui" and "register.csv line 2" in evidence[0]["source"]


def test_when_a_register_row_and_a_scanned_host_share_an_ip_then_they_are_one_device(tmp_path, runner):
    found = _audit(tmp_path, runner)
    merged = found["NG-CAM-021"]
    kinds = {e["kind"] for e in merged["evidence"]}
    assert {"model", "port", "rtsp"} <= kinds
    assert len(merged["sources"]) == 2
    assert merged["confidence"] > 0.95


def test_when_the_register_names_another_maker_then_the_conflict_says_both(tmp_path, runner):
    found = _audit(tmp_path, runner)
    conflict = found["NG-CAM-014"]["conflict"]
    assert "Hikvision (oui)" in conflict and "Axis Communications (register name)" in conflict


def test_when_the_site_report_is_written_then_it_lists_the_devices_to_remove_per_site(tmp_path, runner):
    html = tmp_path / "site.html"
    _audit(tmp_path, runner, "--html", str(html))
    page = html.read_text("utf-8")
    assert "Northgate HQ" in page and "Riverside Depot" in page
    assert page.count("<svg") >= 4
    assert "NG-CAM-014" in page and "sold as LTS" in page and "conflict: Hikvision (oui)" in page
    assert "NG-CAM-100" not in page  # the Axis camera is neither to remove nor to check
    checks = page[page.index("Devices to check") :]
    assert "NG-CAM-105" in checks  # Amcrest named alone: judge per model
    assert "<script" not in page
