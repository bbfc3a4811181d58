"""Registers and scans as hostile input: broken CSV rows named by line, XLSX streamed, --map, entity-declaring
XML refused with the file named, oversized files refused unread; and with --keep-going the rest is audited."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from counterpitch.devices.model import Observation
from counterpitch.devices.readers import ColumnMap, read_input
from counterpitch.devices.readers.nmap import MAX_SCAN_BYTES
from counterpitch.devices.readers.register import MAX_CELL_CHARS
from counterpitch.ingest.records import RecordError
from tests.devices.constructed import scan_xml

HEADER = "asset,site,ip,mac,manufacturer,model\n"


def _read(path: Path, *mapping: str) -> list[Observation | RecordError]:
    return list(read_input(str(path), ColumnMap.parse(mapping), ""))


def _errors(items: list[Observation | RecordError]) -> list[str]:
    return [str(i) for i in items if isinstance(i, RecordError)]


@pytest.mark.parametrize(
    ("body", "where", "says"),
    [
        ("CAM-1,HQ,10.0.0.1,44:19:B6:00:00:01,Hikvision,DS-2CD2143G2-I\nCAM-2,HQ,10.0.0.999,,,\n", "line 3", "ip"),
        ("CAM-1,HQ,10.0.0.1,44:19:B6:00:00:ZZ,,\n", "line 2", "not a MAC address"),
        ("CAM-1,HQ,10.0.0.1,,,,extra,cells\n", "line 2", "8 cells, but the header has 6 columns"),
        (
            f"CAM-1,HQ,10.0.0.1,,{'x' * (MAX_CELL_CHARS * 5)},\n",
            "line 2",
            "malformed CSV: field larger than field limit",
        ),
        (f"CAM-1,HQ,10.0.0.1,,{'x' * (MAX_CELL_CHARS + 1)},\n", "line 2", "longer than"),
    ],
)
def test_when_a_register_row_is_broken_then_the_error_names_the_file_and_line(tmp_path, body, where, says):
    path = tmp_path / "assets.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    errors = _errors(_read(path))
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}, {where}") and says in errors[0]


def test_when_a_row_is_broken_then_the_rows_after_it_are_still_read(tmp_path):
    path = tmp_path / "assets.csv"
    path.write_text(HEADER + "A,HQ,bad-ip,,,\nB,HQ,10.0.0.2,,Dahua,\n\nC,HQ,10.0.0.3,,,\n", encoding="utf-8")
    items = _read(path)
    assert [i.asset for i in items if isinstance(i, Observation)] == ["B", "C"]
    assert [i.where for i in items] == ["line 2", "line 3", "line 5"]


def test_when_a_quoted_cell_spans_lines_then_the_row_is_named_by_its_lines(tmp_path):
    path = tmp_path / "assets.csv"
    path.write_text(HEADER + 'A,HQ,10.0.0.1,,"Hik\nvision",\nB,HQ,nope,,,\n', encoding="utf-8")
    items = _read(path)
    assert items[0].where == "lines 2-3" and items[1].where == "line 4"


def test_when_the_header_names_nothing_usable_then_map_names_the_columns(tmp_path):
    path = tmp_path / "assets.csv"
    path.write_text("Tag,Kit,Hardware addr\nCAM-1,Dome,44:19:B6:00:00:01\n", encoding="utf-8")
    assert "--map" in _errors(_read(path))[0]
    items = _read(path, "Tag=asset", "Kit=description", "Hardware addr=mac")
    assert isinstance(items[0], Observation) and items[0].mac == "44:19:B6:00:00:01" and items[0].asset == "CAM-1"


def test_when_a_map_names_no_field_then_it_is_refused():
    with pytest.raises(ValueError, match="not a field"):
        ColumnMap.parse(["Kit=colour"])


def test_when_a_register_is_not_utf8_then_the_file_is_named(tmp_path):
    path = tmp_path / "assets.csv"
    path.write_bytes(HEADER.encode() + "A,HQ,10.0.0.1,,Caf\xe9,\n".encode("latin-1"))
    errors = _errors(_read(path))
    assert errors and errors[-1].startswith(str(path)) and "UTF-8" in errors[-1]


def test_when_a_register_uses_semicolons_then_it_is_read(tmp_path):
    path = tmp_path / "assets.csv"
    path.write_text("asset;ip;manufacturer\nA;10.0.0.1;Hikvision\n", encoding="utf-8")
    items = _read(path)
    assert isinstance(items[0], Observation) and items[0].field("manufacturer") == "Hikvision"


def test_when_a_register_is_xlsx_then_every_sheet_with_a_header_is_read(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Register of CCTV, last reviewed by facilities"])
    sheet = book.create_sheet("Depot")
    sheet.append(["Asset Tag", "IP Address", "MAC Address", "Model"])
    sheet.append(["D-1", "10.0.0.1", "44:19:B6:00:00:01", "DS-2CD2143G2-I"])
    sheet.append([None, None, None, None])
    sheet.append(["D-2", "10.0.0.300", None, None])
    sheet.append(["D-3", None, None, 12345])
    path = tmp_path / "register.xlsx"
    book.save(path)
    items = _read(path)
    assert [i.asset for i in items if isinstance(i, Observation)] == ["D-1", "D-3"]
    assert _errors(items) == [f"{path}, sheet 'Depot' row 4: field 'ip': not an IP address: '10.0.0.300'"]
    assert items[-1].field("model") == "12345"


def test_when_an_xlsx_is_not_a_workbook_then_the_file_is_named(tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    assert _errors(_read(path))[0].startswith(f"{path}: not an XLSX workbook")


def test_when_an_xlsx_would_unpack_beyond_the_limit_then_it_is_refused_unread(tmp_path, monkeypatch):
    from counterpitch.devices.readers import register

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<a/>" + b" " * 200_000)
    monkeypatch.setattr(register, "MAX_XLSX_UNPACKED", 100_000)
    assert "zip bomb" in _errors(_read(path))[0]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE nmaprun [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<nmaprun><host><status state="up"/><address addr="10.0.0.1" addrtype="ipv4"/>
<hostnames><hostname name="&lol3;"/></hostnames></host></nmaprun>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE nmaprun [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<nmaprun><host><status state="up"/><address addr="10.0.0.1" addrtype="ipv4"/>
<hostnames><hostname name="&secret;"/></hostnames></host></nmaprun>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "external-entity"])
def test_when_a_scan_declares_entities_then_it_is_refused_with_the_file_named(tmp_path, text):
    path = tmp_path / "scan.xml"
    path.write_text(text, encoding="utf-8")
    items = _read(path)
    assert len(items) == 1 and isinstance(items[0], RecordError)
    assert str(items[0]).startswith(f"{path}: refused: the XML declares entities")
    assert "root:" not in str(items[0])


def test_when_a_scan_is_malformed_then_the_line_is_named_and_the_hosts_before_it_kept(tmp_path):
    path = tmp_path / "scan.xml"
    good = scan_xml()
    path.write_text(good.replace("</nmaprun>", "<host><status state='up'/><address addr=</nmaprun>"), "utf-8")
    items = _read(path)
    assert sum(isinstance(i, Observation) for i in items) == 3
    assert f"{path}, line 3, column" in str(items[-1]) and "malformed XML" in str(items[-1])


def test_when_a_file_is_not_an_nmap_scan_then_it_says_so(tmp_path):
    path = tmp_path / "scan.xml"
    path.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    assert "not an nmap XML scan" in _errors(_read(path))[0]


def test_when_a_scan_is_over_the_size_limit_then_it_is_refused_unread(tmp_path):
    path = tmp_path / "huge.xml"
    with open(path, "wb") as f:  # a sparse 2 GB file: nothing is written but its size
        f.truncate(2 * 1024**3)
    assert os.path.getsize(path) > MAX_SCAN_BYTES
    errors = _errors(_read(path))
    assert errors == [
        f"{path}: 2,147,483,648 bytes: larger than the 512 MiB a scan may be; split the scan (nmap -oX per subnet)"
    ]


def test_when_a_scan_is_read_then_hosts_services_and_the_scanners_vendor_are_kept(tmp_path):
    path = tmp_path / "scan.xml"
    path.write_text(scan_xml(), encoding="utf-8")
    first = _read(path)[0]
    assert isinstance(first, Observation)
    assert (first.kind, first.ip, first.mac, first.scanner_vendor) == (
        "scan",
        "10.10.3.99",
        "C0:56:E3:00:00:99",
        "Hangzhou Hikvision Digital Technology",
    )
    assert [(s.port, s.product) for s in first.services] == [
        (80, "Hikvision camera httpd"),
        (554, "Hikvision DVR rtspd"),
    ]
    assert first.services[0].cpes == ("cpe:/h:hikvision:ds-2cd2032-i",)


def test_when_a_scan_declares_an_unknown_encoding_then_the_file_is_named(tmp_path):
    path = tmp_path / "scan.xml"  # found by tests/fuzz/test_fuzz_devices.py: a LookupError escaped
    path.write_bytes(scan_xml().replace('encoding="UTF-8"', 'encoding="TF-8"').encode())
    assert _errors(_read(path)) == [f"{path}, line 1: malformed XML: unknown encoding: TF-8"]


def test_when_an_xlsx_sheet_declares_entities_then_it_is_refused_with_the_file_named(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["asset", "mac"])
    book.active.append(["A-1", "44:19:B6:00:00:01"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    path = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + data
            dst.writestr(info, data)
    errors = _errors(_read(path))
    assert errors == [
        f"{path}: not a readable XLSX workbook: refused: its XML declares entities or loads external "
        "ones (EntitiesForbidden)"
    ]
