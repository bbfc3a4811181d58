"""Bad images give one clear error naming the file, quickly; good ones load, reduced to the working size."""

from __future__ import annotations

import base64
import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from counterpitch.photo.load import MAX_BYTES, WORK_SIDE, PhotoError, load_photo


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width` x `height` pixels in its header, with a few bytes of data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def jpeg_bytes(size: tuple[int, int] = (300, 240)) -> bytes:
    buf = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(buf, "JPEG", quality=90)
    return buf.getvalue()


def bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    """Each bad kind of file, and the words its error must contain."""
    made = {
        "truncated": (tmp / "cut.jpg", jpeg_bytes()[:1500], "truncated"),
        "header bomb": (tmp / "bomb.png", png_header_only(20_000, 20_000), "decompression bomb"),
        "not an image": (tmp / "notes.jpg", b"Dear Sir, this is not a photo at all.\n" * 20, "not an image"),
        "empty": (tmp / "empty.png", b"", "empty file"),
    }
    out = {}
    for kind, (path, data, words) in made.items():
        path.write_bytes(data)
        out[kind] = (path, words)
    huge = tmp / "huge.jpg"
    with huge.open("wb") as fh:  # sparse: the size is refused before a byte is read
        fh.truncate(MAX_BYTES + 1)
    out["huge file"] = (huge, "larger than")
    return out


@pytest.mark.parametrize("kind", ["truncated", "header bomb", "not an image", "empty", "huge file"])
def test_when_an_image_is_bad_then_the_error_names_the_file_and_comes_within_2_s(tmp_path: Path, kind: str) -> None:
    path, words = bad_files(tmp_path)[kind]
    start = time.perf_counter()
    with pytest.raises(PhotoError) as caught:
        load_photo(path)
    assert time.perf_counter() - start < 2.0
    assert str(path) in str(caught.value)
    assert words in str(caught.value)


def test_when_a_missing_file_or_a_url_is_given_then_nothing_is_fetched() -> None:
    with pytest.raises(PhotoError, match="no such file"):
        load_photo("/nonexistent/face.jpg")
    with pytest.raises(PhotoError, match="never fetched"):
        load_photo("https://example.com/face.jpg")


def test_when_a_data_uri_holds_a_photo_then_it_loads_and_a_bad_one_is_named() -> None:
    uri = "data:image/jpeg;base64," + base64.b64encode(jpeg_bytes()).decode()
    image, name = load_photo(uri)
    assert image.size == (300, 240) and name == "<data: URI>"
    with pytest.raises(PhotoError, match="<data: URI>: not valid base64"):
        load_photo("data:image/png;base64,***")


def test_when_a_photo_is_large_then_it_is_reduced_to_the_working_size(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    path.write_bytes(jpeg_bytes((3000, 2000)))
    image, _ = load_photo(path)
    assert max(image.size) <= WORK_SIDE and image.mode == "RGB"
