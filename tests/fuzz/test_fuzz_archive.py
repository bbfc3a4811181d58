"""LinkedIn exports under hypothesis: valid archives of each era with mutated CSV cells, headers, encodings,
member names and bytes, and bombs. Each must read or be refused with a `RecordError` naming the archive."""

from __future__ import annotations

import csv
import io
import tempfile
import warnings
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import archive_builder as ab
from tests.fuzz import strategies as fs
from tests.fuzz.targets import ARCHIVE_LIMITS, archive_bytes, archive_csv, archive_members

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MEMBERS = ["messages.csv", "Connections.csv", "Invitations.csv", "Profile.csv", "Positions.csv", "Education.csv"]
_ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]
_CELL_EDITS = st.lists(st.tuples(st.integers(0, 50), st.integers(0, 20), fs.CELLS), max_size=8)


def _rows(era: str, member: str) -> list[list[str]]:
    files = ab.era_files(era)
    data = next(v for k, v in files.items() if k.endswith(member))
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@FUZZ
@given(
    st.sampled_from(ab.ERAS),
    st.sampled_from(MEMBERS),
    _CELL_EDITS,
    st.lists(st.integers(0, 20), max_size=2),
    st.sampled_from(_ENCODINGS),
    st.booleans(),
)
def test_when_era_csv_cells_are_mutated_then_archive_or_named_error(
    era: str, member: str, edits: list, dropped: list[int], encoding: str, quote_all: bool
) -> None:
    rows = _rows(era, member)
    for r, c, value in edits:
        row = rows[r % len(rows)]
        if row:
            row[c % len(row)] = value
    for c in dropped:  # a column the reader expects, gone from every row
        rows = [row[: c % max(len(row), 1)] + row[c % max(len(row), 1) + 1 :] for row in rows]
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL).writerows(rows)
    archive_csv(era, member, buf.getvalue().encode(encoding, "replace"))


@FUZZ
@given(st.sampled_from(ab.ERAS), st.sampled_from(MEMBERS), fs.MUTATIONS)
def test_when_era_csv_bytes_are_mutated_then_archive_or_named_error(era: str, member: str, edits: list) -> None:
    data = next(v for k, v in ab.era_files(era).items() if k.endswith(member))
    archive_csv(era, member, fs.mutate(data, edits))


_METHODS = st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])


@FUZZ
@given(
    st.sampled_from(ab.ERAS), _METHODS, st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=10)
)
def test_when_zip_bytes_are_mutated_then_archive_or_named_error(era: str, method: int, flips: list) -> None:
    raw = bytearray(archive_members_bytes(ab.era_files(era), method))
    for at, value in flips:
        raw[at % len(raw)] = value
    archive_bytes(bytes(raw))


def archive_members_bytes(files: dict[str, bytes], method: int) -> bytes:
    """Like `archive_builder.write_zip`, with any of zipfile's compression methods (LZMA broke the reader once)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, ab.FIXED_TIME)
            info.compress_type = method
            zf.writestr(info, data)
    return buf.getvalue()


_NAMES = st.one_of(
    st.sampled_from(
        [
            "../messages.csv",
            "/etc/passwd",
            "C:messages.csv",
            "a\\..\\b.csv",
            "x/../../messages.csv",
            "inner.zip",
            "a/b/c/messages.csv",
            "MESSAGES.CSV",
            "messages.csv/",
            "dir/",
            "Basic/messages.csv",
            "messages.csv\x00.txt",
        ]
    ),
    st.text(min_size=1, max_size=30),
)


@FUZZ
@given(st.sampled_from(ab.ERAS), st.lists(st.tuples(_NAMES, st.binary(max_size=200)), max_size=5))
def test_when_member_names_are_hostile_then_archive_or_named_error(era: str, extra: list) -> None:
    files = ab.era_files(era)
    for name, data in extra:
        files[name] = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns when it writes a duplicate name
        archive_members(files)


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 40), st.one_of(st.none(), st.integers(0, 0xFFFFFFFF)))
def test_when_zip_bomb_then_refused_naming_the_archive(megabytes: int, declared: int | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = ab.zip_bomb(Path(folder) / "b.zip", megabytes * 1024 * 1024, declared=declared)
        raw = path.read_bytes()
    result = archive_bytes(raw)
    inflated = megabytes * 1024 * 1024 if declared is None else min(declared, megabytes * 1024 * 1024)
    if inflated > ARCHIVE_LIMITS.max_member_bytes:  # zipfile never inflates past the declared size
        assert not hasattr(result, "approaches"), "a bomb past the member limit was read"
