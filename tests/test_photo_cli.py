"""`counterpitch photo` and `check --sender-photo`: table, JSON and JSON Lines out; bad images named and the rest
still read (exit code 2); the shipped model on one generated and one real development face."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from counterpitch.cli import app
from counterpitch.photo import check_photo
from counterpitch.photo.judge import shipped_model
from tests.test_photo_detector import GENERATED, REAL, TEXT
from tests.test_photo_load import png_header_only

runner = CliRunner()


@pytest.fixture(scope="module")
def faces() -> None:
    if not GENERATED.is_file() or not REAL.is_file():
        pytest.skip("the shared development faces are not beside this checkout")


def folder_with_a_bad_image(tmp_path: Path) -> Path:
    """A folder (with a subfolder) holding one faceless picture, one decompression bomb and a text file."""
    (tmp_path / "sub").mkdir()
    Image.linear_gradient("L").convert("RGB").save(tmp_path / "sub" / "gradient.png")
    (tmp_path / "bomb.png").write_bytes(png_header_only(20_000, 20_000))
    (tmp_path / "notes.txt").write_text("not looked at: not an image suffix")
    return tmp_path


def test_when_a_folder_holds_a_bad_image_then_it_is_named_the_rest_is_read_and_the_exit_is_2(tmp_path: Path) -> None:
    folder = folder_with_a_bad_image(tmp_path)
    r = runner.invoke(app, ["photo", str(folder), "-f", "json"])
    assert r.exit_code == 2
    doc = json.loads(r.stdout)
    assert [Path(d["path"]).name for d in doc] == ["gradient.png"]
    assert doc[0]["faces"] == 0 and doc[0]["flag"] is False
    assert set(doc[0]) == {"path", "generated", "flag", "faces", "reasons"}
    assert "bomb.png" in r.stderr and "decompression bomb" in r.stderr


def test_when_jsonl_is_asked_then_one_line_per_readable_image(tmp_path: Path) -> None:
    folder = folder_with_a_bad_image(tmp_path)
    r = runner.invoke(app, ["photo", str(folder), "-f", "jsonl"])
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["path"].endswith("gradient.png")


def test_when_a_path_is_missing_or_the_format_unknown_then_the_exit_is_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["photo", str(tmp_path / "none.jpg")]).exit_code == 2
    assert runner.invoke(app, ["photo", str(tmp_path), "-f", "xml"]).exit_code == 2


def test_when_the_dev_faces_are_checked_then_the_generated_one_is_flagged_in_the_table(
    faces: None, tmp_path: Path
) -> None:
    shutil.copy(GENERATED, tmp_path / GENERATED.name)
    shutil.copy(REAL, tmp_path / REAL.name)
    r = runner.invoke(app, ["photo", str(tmp_path)], env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.stderr
    assert "GENERATED" in r.stdout and "2 photo(s) read, 1 treated as generated" in r.stdout


def test_when_the_shipped_model_judges_the_dev_faces_then_generated_is_flagged_and_real_is_not(faces: None) -> None:
    gen, real = check_photo(GENERATED), check_photo(REAL)
    assert gen.flag and gen.faces == 1 and gen.generated >= shipped_model().threshold
    assert any("StyleGAN" in r for r in gen.reasons)
    assert not real.flag and real.faces == 1
    assert any("not where StyleGAN" in r for r in real.reasons)


def test_when_check_is_given_a_generated_sender_photo_then_the_finding_is_in_the_verdict(faces: None) -> None:
    r = runner.invoke(
        app, ["check", "--text", TEXT, "--sender-photo", str(GENERATED), "-f", "json", "--meaning", "never"]
    )
    assert r.exit_code == 0, r.stderr
    ids = [f["detector"] for f in json.loads(r.stdout)["findings"]]
    assert "persona.generated_photo" in ids


def test_when_check_is_given_a_bad_sender_photo_then_it_stops_with_the_error(tmp_path: Path) -> None:
    bad = tmp_path / "face.jpg"
    bad.write_bytes(b"GIF89a but not really")
    r = runner.invoke(app, ["check", "--text", TEXT, "--sender-photo", str(bad)])
    assert r.exit_code == 2
    assert "--sender-photo" in r.stderr and str(bad) in r.stderr
