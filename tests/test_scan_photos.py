"""`scan --photos DIR`: connections' photos, named by profile slug or name, checked for generated faces
(photo/folder.py, scan.screen_connections). The archive's people are invented; the faces are the shared
development set's (../shared/data/faces, see its README for sources and licences)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from counterpitch.cli import app
from counterpitch.photo.folder import PhotoFolder, PhotoFolderError, key
from tests.archive_builder import build_archive
from tests.conftest import SHARED

FACES = SHARED / "data" / "faces"
GENERATED = FACES / "stylegan3" / "sg3_seed700001_psi0.70.png"
REAL = FACES / "real" / "pixabay_female-4875046_1280.jpg"


def test_when_photos_are_named_by_slug_or_name_then_each_finds_its_person(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("priya-ostrander-11.JPG", "sub/Tomasz Wielgosz.png", "Dana_Kettleby.jpg", "notes.txt", "x.tiff"):
        (tmp_path / name).write_bytes(b"not read here")
    (tmp_path / "dana-kettleby.png").write_bytes(b"a second photo under the same name")
    os.symlink("/etc/hostname", tmp_path / "linked.jpg")
    folder = PhotoFolder.read(tmp_path)
    assert (
        folder.photo_of("https://uk.linkedin.com/in/Priya-Ostrander-11/", "P. O.")
        == tmp_path / "priya-ostrander-11.JPG"
    )
    assert folder.photo_of(None, "Tomasz Wielgosz") == tmp_path / "sub" / "Tomasz Wielgosz.png"
    assert folder.photo_of(None, "Dana Kettleby") is None, "two photos for one name: neither is used"
    assert folder.photo_of(None, "linked") is None, "symbolic links are not followed"
    assert "2 of 2 photos matched a person" in folder.summary() and "1 name(s)" in folder.summary()
    assert key("  Zoë  O'Brien_Smith ") == "zoe-o-brien-smith"


def test_when_the_photo_folder_is_missing_then_scan_says_so(tmp_path: Path) -> None:
    archive = build_archive(tmp_path)
    r = CliRunner().invoke(app, ["scan", str(archive), "--photos", str(tmp_path / "nowhere")])
    assert r.exit_code == 2 and "--photos" in r.output and "no such folder" in r.output
    with pytest.raises(PhotoFolderError, match="a file, not a folder"):
        PhotoFolder.read(archive)


def test_when_a_connections_photo_is_generated_then_the_scan_names_that_connection(tmp_path: Path) -> None:
    if not GENERATED.is_file() or not REAL.is_file():
        pytest.skip("the shared development faces are not beside this checkout")
    archive = build_archive(tmp_path)
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy(GENERATED, photos / "priya-ostrander-11.png")
    shutil.copy(REAL, photos / "Tomasz Wielgosz.jpg")
    report = tmp_path / "scan.html"
    r = CliRunner().invoke(app, ["scan", str(archive), "--photos", str(photos), "-f", "json", "--html", str(report)])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    hits = {h["connection"]["name"]: h for h in doc["watchlist_hits"]}
    assert "Tomasz Wielgosz" not in hits
    [finding] = [f for f in hits["Priya Ostrander"]["findings"] if f["detector"] == "persona.generated_photo"]
    assert "StyleGAN" in finding["explanation"]
    assert any("2 of 2 photos matched a person" in w for w in doc["warnings"])
    html = report.read_text()
    assert "Connections to look at" in html and "Priya Ostrander" in html
    table = CliRunner().invoke(app, ["scan", str(archive), "--photos", str(photos)])
    assert "Connection to look at: Priya Ostrander" in table.output and "generated face" in table.output
