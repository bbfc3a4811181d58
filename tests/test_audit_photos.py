"""`audit --photos DIR` (audit/faces.py): staff profiles wearing a generated face are listed apart from
exposure, in the table, the JSON summary and the HTML report, the same on one process and on Dask workers.

The organisation is the invented Harbourline fixture; the faces are the shared development set's
(../shared/data/faces, see its README for sources and licences).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from counterpitch.audit.faces import FaceFlag, Faces
from tests.conftest import SHARED
from tests.test_audit_report import ORG, TERMS, audit_cli

FACES = SHARED / "data" / "faces"
GENERATED = FACES / "stylegan3" / "sg3_seed700001_psi0.70.png"
REAL = FACES / "real" / "pixabay_female-4875046_1280.jpg"


def _people() -> list[dict[str, object]]:
    return [json.loads(line) for line in ORG.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    if not GENERATED.is_file() or not REAL.is_file():
        pytest.skip("the shared development faces are not beside this checkout")
    people = _people()
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copy(GENERATED, folder / f"{people[0]['name']}.png")
    shutil.copy(REAL, folder / f"{people[1]['name']}.jpg")
    (folder / f"{people[2]['name']}.jpg").write_bytes(b"not an image")
    return folder


def test_when_a_staff_photo_is_generated_then_the_audit_lists_that_profile_apart(photos: Path, tmp_path: Path) -> None:
    people = _people()
    done = audit_cli(str(ORG), "--terms", str(TERMS), "--photos", str(photos), "-f", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    faces = doc["generated_faces"]
    assert faces["checked"] == 3 and faces["unreadable"] == 1 and faces["flagged"] == 1
    assert [f["name"] for f in faces["profiles"]] == [people[0]["name"]]
    assert any("StyleGAN" in r for r in faces["profiles"][0]["reasons"])
    without = json.loads(audit_cli(str(ORG), "--terms", str(TERMS), "-f", "json").stdout)
    assert "generated_faces" not in without
    assert {k: v for k, v in doc.items() if k != "generated_faces"} == without, "no exposure figure moves"
    table = audit_cli(str(ORG), "--terms", str(TERMS), "--photos", str(photos))
    assert "1 wear a generated face" in table.stdout and str(people[0]["name"]) in table.stdout
    report = tmp_path / "r.html"
    audit_cli(str(ORG), "--terms", str(TERMS), "--photos", str(photos), "--html", str(report))
    assert "Profiles wearing a generated face" in report.read_text("utf-8")


def test_when_audited_on_two_workers_then_the_faces_are_the_same(photos: Path, tmp_path: Path) -> None:
    common = (str(ORG), "--terms", str(TERMS), "--photos", str(photos))
    here = audit_cli(*common, "--out", str(tmp_path / "here"))
    there = audit_cli(*common, "--out", str(tmp_path / "there"), "--workers", "2", "--partition-size", "5")
    assert here.returncode == 0 and there.returncode == 0, there.stderr
    assert (tmp_path / "here" / "summary.json").read_text() == (tmp_path / "there" / "summary.json").read_text()


def test_when_the_photo_folder_is_missing_then_the_audit_says_so_before_reading(tmp_path: Path) -> None:
    done = audit_cli(str(ORG), "--photos", str(tmp_path / "nowhere"))
    assert done.returncode == 2 and "--photos" in done.stderr and "no such folder" in done.stderr


def test_when_faces_are_merged_then_the_order_is_total_and_counts_add() -> None:
    def flag(i: str, g: float) -> FaceFlag:
        return FaceFlag(i, None, None, g, ())

    a = Faces("/x", checked=2, flagged_count=2, flagged=[flag("b", 0.9), flag("a", 0.7)])
    b = Faces("/x", checked=1, unreadable=1, flagged_count=1, flagged=[flag("c", 0.9)])
    merged = a.merge(b)
    assert merged.to_json() == b.merge(a).to_json()
    assert [f.id for f in merged.flagged] == ["b", "c", "a"] and merged.checked == 3 and merged.flagged_count == 3
    with pytest.raises(ValueError, match="different folders"):
        a.merge(Faces("/y"))
