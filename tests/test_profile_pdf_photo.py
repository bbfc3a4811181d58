"""The sender's photo in a saved LinkedIn PDF (ingest/profile_pdf.py `_photo`): the largest roughly square
image on the first page becomes `sender.photo`, a JPEG `data:` URI; banners, logos and broken images do not.

The images are drawn here (gradients and shapes), not photos of anyone; the people are invented.
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from typer.testing import CliRunner

from counterpitch.cli import app
from counterpitch.ingest.profile_pdf import read_profile_pdf
from tests.conftest import SHARED
from tests.pdf_builder import ProfileSpec, build_profile_pdf


def _image(path: Path, size: tuple[int, int], colour: tuple[int, int, int]) -> Path:
    img = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(img)
    draw.ellipse((size[0] // 4, size[1] // 5, 3 * size[0] // 4, 4 * size[1] // 5), fill=(230, 190, 160))
    img.save(path)
    return path


def _spec(images: tuple[tuple[Path, float, float], ...]) -> ProfileSpec:
    return ProfileSpec(
        name="Corin Vale",
        headline="Talent partner at Harrowgate Search",
        location="Invented City",
        slug="corin-vale-invented",
        images=images,
    )


def _decoded(uri: str) -> Image.Image:
    assert uri.startswith("data:image/jpeg;base64,")
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))


def test_when_the_pdf_carries_a_portrait_then_it_is_the_senders_photo(tmp_path: Path) -> None:
    portrait = _image(tmp_path / "p.png", (400, 400), (40, 60, 90))
    banner = _image(tmp_path / "b.png", (800, 120), (200, 200, 200))
    small = _image(tmp_path / "s.png", (48, 48), (0, 0, 0))
    pdf = build_profile_pdf(_spec(((banner, 200, 30), (portrait, 80, 80), (small, 12, 12))), tmp_path / "p.pdf")
    profile, warnings = read_profile_pdf(pdf)
    assert profile.name == "Corin Vale" and not any("photo" in w for w in warnings)
    assert profile.photo is not None
    img = _decoded(profile.photo)
    assert img.size == (400, 400), "the portrait, not the banner nor the icon"
    big = _image(tmp_path / "big.png", (2000, 2000), (40, 60, 90))
    large = read_profile_pdf(build_profile_pdf(_spec(((big, 80, 80),)), tmp_path / "big.pdf"))[0]
    assert large.photo is not None and _decoded(large.photo).size == (512, 512)
    assert len(large.photo) < 200_000, "a data: URI a record can hold"
    r, g, b = img.convert("RGB").getpixel((5, 5))  # type: ignore[misc]
    assert abs(r - 40) < 12 and abs(g - 60) < 12 and abs(b - 90) < 12


def test_when_the_pdf_has_no_portrait_then_there_is_no_photo(tmp_path: Path) -> None:
    banner = _image(tmp_path / "b.png", (800, 120), (200, 200, 200))
    assert read_profile_pdf(build_profile_pdf(_spec(()), tmp_path / "none.pdf"))[0].photo is None
    assert read_profile_pdf(build_profile_pdf(_spec(((banner, 200, 30),)), tmp_path / "b.pdf"))[0].photo is None


def test_when_the_portraits_stream_is_broken_then_the_profile_reads_without_it(tmp_path: Path) -> None:
    portrait = _image(tmp_path / "p.jpg", (300, 300), (90, 30, 30))
    pdf = build_profile_pdf(_spec(((portrait, 80, 80),)), tmp_path / "p.pdf")
    data = pdf.read_bytes()
    start = data.index(b"stream", data.index(b"/Subtype /Image")) + len(b"stream\n")
    broken = data[:start] + b"\x00" * 64 + data[start + 64 :]  # the JPEG's header wiped, its length kept
    (tmp_path / "broken.pdf").write_bytes(broken)
    profile, warnings = read_profile_pdf(tmp_path / "broken.pdf")
    assert profile.name == "Corin Vale" and profile.photo is None
    assert any("photo in the PDF could not be read" in w for w in warnings)


def test_when_checked_with_a_pdf_whose_photo_is_generated_then_the_finding_comes_from_it(tmp_path: Path) -> None:
    generated = SHARED / "data" / "faces" / "stylegan3" / "sg3_seed700001_psi0.70.png"
    if not generated.is_file():
        pytest.skip("the shared development faces are not beside this checkout")
    pdf = build_profile_pdf(_spec(((generated, 80, 80),)), tmp_path / "p.pdf")
    text = "Hello, a paid advisory role for your team; could we continue on WhatsApp?"
    r = CliRunner().invoke(app, ["check", "--text", text, "--sender-pdf", str(pdf), "-f", "json"])
    assert r.exit_code == 0, r.output
    found = [f for f in json.loads(r.stdout)["findings"] if f["detector"] == "persona.generated_photo"]
    assert len(found) == 1 and found[0]["evidence"][0]["field"] == "sender.photo"
