"""`persona.generated_photo`: a generated sender's face is a finding that moves the verdict; no photo costs
nothing (and imports nothing); URLs are never fetched; unreadable photos give no finding."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from counterpitch.engine import Engine
from counterpitch.model import Approach
from tests.conftest import SHARED
from tests.helpers import assert_fires, assert_quiet

FACES = SHARED / "data" / "faces"
#: A generated face and a real photo that the shipped model and its cross-validation (bench/photos.py) both
#: judge rightly.
GENERATED = FACES / "stylegan3" / "sg3_seed700001_psi0.70.png"
REAL = FACES / "real" / "pixabay_female-4875046_1280.jpg"
TEXT = (
    "Hello, I lead research partnerships at a consultancy advising government clients. Your profile fits a paid "
    "advisory role; could we continue this conversation on WhatsApp?"
)


def with_photo(photo: str | None) -> Approach:
    sender = {"name": "Emma Lawson", "headline": "Research Partnerships Lead", "photo": photo}
    return Approach.model_validate({"id": "p1", "text": TEXT, "sender": {k: v for k, v in sender.items() if v}})


@pytest.fixture(scope="module")
def faces() -> Path:
    if not GENERATED.is_file() or not REAL.is_file():
        pytest.skip("the shared development faces are not beside this checkout")
    return FACES


def test_when_the_sender_photo_is_generated_then_the_finding_moves_the_verdict(
    faces: Path, rules_engine: Engine
) -> None:
    without = rules_engine.assess(with_photo(None), meaning="never")
    seen = rules_engine.assess(with_photo(str(GENERATED)), meaning="never")
    found = [f for f in seen.findings if f.detector == "persona.generated_photo"]
    assert len(found) == 1
    assert "StyleGAN" in (found[0].explanation or "")
    assert found[0].evidence[0].field == "sender.photo"
    assert seen.score > without.score
    order = ["low", "medium", "high"]
    assert order.index(seen.band) > order.index(without.band), (without.band, without.score, seen.score)


def test_when_the_photo_is_a_data_uri_then_it_is_read_and_quoted_by_its_start(faces: Path) -> None:
    uri = "data:image/png;base64," + base64.b64encode(GENERATED.read_bytes()).decode()
    found = assert_fires("persona.generated_photo", with_photo(uri))
    assert found.evidence[0].quote is not None and found.evidence[0].quote.startswith("data:image/png;base64,")
    assert len(found.evidence[0].quote) <= 80


def test_when_the_sender_photo_is_real_then_there_is_no_finding(faces: Path) -> None:
    assert_quiet("persona.generated_photo", with_photo(str(REAL)))


@pytest.mark.parametrize(
    "photo",
    ["https://media.example.com/emma.jpg", "/nonexistent/emma.jpg", "data:image/png;base64,***"],
    ids=["url", "missing file", "bad data uri"],
)
def test_when_the_photo_is_a_url_or_unreadable_then_there_is_no_finding(photo: str) -> None:
    assert_quiet("persona.generated_photo", with_photo(photo))


def test_when_the_photo_has_no_face_then_there_is_no_finding(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    Image.linear_gradient("L").convert("RGB").save(path)
    assert_quiet("persona.generated_photo", with_photo(str(path)))


def test_when_no_approach_has_a_photo_then_the_photo_check_is_never_imported() -> None:
    code = (
        "import sys\n"
        "from counterpitch.engine import Engine\n"
        "from counterpitch.model import Approach\n"
        "e = Engine.default(semantic=False)\n"
        f"a = Approach.model_validate({{'id': 'x', 'text': {TEXT!r}, 'sender': {{'name': 'Emma Lawson'}}}})\n"
        "list(e.assess_many([a] * 50, meaning='never'))\n"
        "loaded = [m for m in sys.modules if m.startswith(('ai_edge_litert', 'counterpitch.photo', 'mediapipe'))]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def test_when_the_check_flags_a_photo_then_the_finding_carries_its_reasons_and_moves_the_verdict(
    monkeypatch: pytest.MonkeyPatch, rules_engine: Engine, tmp_path: Path
) -> None:
    """The detector and the scorer without the development faces: the check's answer stands in."""
    import counterpitch.photo as photo

    reasons = ("the eyes sit exactly where StyleGAN's FFHQ alignment puts them", "treat as generated")
    monkeypatch.setattr(photo, "check_photo", lambda ref: photo.PhotoResult(str(ref), 0.97, True, 1, reasons))
    path = tmp_path / "face.png"  # never read: the check is replaced
    without = rules_engine.assess(with_photo(None), meaning="never")
    seen = rules_engine.assess(with_photo(str(path)), meaning="never")
    found = assert_fires("persona.generated_photo", with_photo(str(path)))
    assert found.strength == pytest.approx(0.97) and found.value == "0.97"
    assert reasons[0] in (found.explanation or "")
    assert (without.band, seen.band) == ("low", "medium")


def test_when_the_shipped_model_loads_then_it_has_one_weight_per_feature_and_a_threshold() -> None:
    from counterpitch.photo.features import GEOMETRY_NAMES, STAT_NAMES
    from counterpitch.photo.judge import shipped_model

    model = shipped_model()
    assert model.names == (*GEOMETRY_NAMES, *STAT_NAMES)
    assert model.coef.shape == (len(model.names),) and 0.5 <= model.threshold < 1.0


def test_when_a_file_of_approaches_names_a_photo_beside_it_then_it_is_found_from_anywhere(
    faces: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import shutil

    from typer.testing import CliRunner

    from counterpitch.cli import app

    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(GENERATED, folder / "sender.png")
    record = {"id": "beside", "text": TEXT, "sender": {"name": "Emma Lawson", "photo": "sender.png"}}
    (folder / "in.jsonl").write_text(json.dumps(record) + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    r = CliRunner().invoke(app, ["check", str(folder / "in.jsonl"), "-f", "jsonl", "--meaning", "never"])
    assert r.exit_code == 0, r.output
    found = [f for f in json.loads(r.stdout.splitlines()[0])["findings"] if f["detector"] == "persona.generated_photo"]
    assert len(found) == 1
