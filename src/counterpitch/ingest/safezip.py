"""Reading a zip archive as hostile input: nothing is extracted to disk and every cost is bounded.

A LinkedIn data export is the member's own, but a file called `Basic_LinkedInDataExport_...zip` can come from
anyone. The archive is refused, with an `UnsafeArchive` naming it and the member at fault, when a member name
could escape a folder (`..`, absolute, drive letter, backslash), a member is a symbolic link, it has more
members than `Limits.max_members`, or a member inflates past a size or ratio limit. Header sizes are checked
first (a cheap refusal) but never relied on: bytes are counted as they are inflated, in chunks, and reading stops
at the first chunk over a limit, so a bomb costs at most one limit's worth of inflation and a chunk of memory.
Archives inside the archive are listed as warnings and never opened. See docs/decisions/0012.
"""

from __future__ import annotations

import codecs
import lzma
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from counterpitch.ingest.records import RecordError
from counterpitch.model import MAX_TEXT_CHARS

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one archive may cost. A real export is a few dozen members and a few megabytes."""

    max_members: int = 2_000
    max_member_bytes: int = 200 * MB
    max_total_bytes: int = 1024 * MB
    max_ratio: float = 200.0
    #: Below this many inflated bytes the ratio is not judged: tiny or repetitive files compress oddly well.
    ratio_floor_bytes: int = 1 * MB
    #: One CSV field; larger ones could not become a record anyway (model.MAX_TEXT_CHARS).
    max_field_chars: int = MAX_TEXT_CHARS
    #: One CSV record, across lines; bounds what the csv module buffers before it returns a row.
    max_record_chars: int = 4 * MAX_TEXT_CHARS
    chunk_bytes: int = 64 * 1024


class UnsafeArchive(RecordError):
    """The archive as a whole is refused: `source` names it, `where` the member at fault."""


class MemberError(RecordError):
    """One member cannot be read (corrupt, encrypted, unsupported); the rest of the archive still can."""


class RecordTooLong(ValueError):
    """A CSV record (one line or several quoted ones) longer than `Limits.max_record_chars`; it was skipped."""


#: Anything zipfile or zlib raise on a damaged archive: arbitrary bytes must end in a RecordError, not a crash.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    NotImplementedError,
    OverflowError,
    RuntimeError,
    IndexError,
    KeyError,
    lzma.LZMAError,  # a member stored with method 14 (LZMA) and damaged properties (found by bench/fuzz)
)
_NESTED = (".zip", ".gz", ".tgz", ".7z", ".rar", ".tar", ".bz2", ".xz", ".jar")
_DRIVE = re.compile(r"^[A-Za-z]:")
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")


def unsafe_name_reason(name: str) -> str | None:
    """Why a member name could write outside a target folder if anyone extracted it, or None."""
    if not name:
        return "empty member name"  # zipfile cuts a name at its first NUL; an empty one breaks ZipInfo.is_dir
    if "\\" in name:
        return "backslash in member name"
    if name.startswith("/"):
        return "absolute member name"
    if _DRIVE.match(name):
        return "drive letter in member name"
    if "\x00" in name:
        return "NUL byte in member name"
    if ".." in name.split("/"):
        return "'..' in member name (path traversal)"
    return None


def _declared_members(path: Path) -> int | None:
    """The member count the end-of-archive record declares, read before zipfile builds its member list."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        tail_len = min(size, _EOCD.size + 65_535)
        fh.seek(size - tail_len)
        tail = fh.read(tail_len)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < _EOCD.size:
            return None
        count = int(_EOCD.unpack_from(tail, at)[4])
        if count != 0xFFFF or at < _ZIP64_LOCATOR.size:
            return count
        locator = _ZIP64_LOCATOR.unpack_from(tail, at - _ZIP64_LOCATOR.size)
        if locator[0] != b"PK\x06\x07" or locator[2] >= size:
            return count
        fh.seek(locator[2])
        record = fh.read(_ZIP64_EOCD.size)
        if len(record) < _ZIP64_EOCD.size or record[:4] != b"PK\x06\x06":
            return count
        return int(_ZIP64_EOCD.unpack(record)[7])


class SafeZip:
    """An untrusted zip, opened for reading members one at a time within `limits`.

    Use as a context manager. `warnings` lists what was skipped at open (nested archives); `read_text` and
    `text_lines` add their own to the list the caller passes or gets back.
    """

    def __init__(self, path: Path | str, limits: Limits | None = None) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.limits = limits or Limits()
        self.warnings: list[str] = []
        self._inflated = 0
        self._skipped: set[str] = set()
        try:
            declared = _declared_members(self.path)
        except OSError as exc:
            raise UnsafeArchive(self.name, "", "", f"cannot be read: {exc.strerror or exc}") from None
        if declared is not None and declared > self.limits.max_members:
            raise self._refuse("", f"declares {declared:,} members, more than {self.limits.max_members:,}")
        try:
            self._zip = zipfile.ZipFile(self.path)
        except ZIP_ERRORS as exc:
            raise UnsafeArchive(self.name, "", "", f"not a readable zip archive ({exc})") from None
        try:
            self._check_members()
        except UnsafeArchive:
            self._zip.close()
            raise

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def _refuse(self, member: str, message: str) -> UnsafeArchive:
        return UnsafeArchive(self.name, member, "", message + "; archive refused")

    def _check_members(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_members:
            raise self._refuse("", f"has {len(infos):,} members, more than {self.limits.max_members:,}")
        for info in infos:
            reason = unsafe_name_reason(info.orig_filename)
            if reason:
                raise self._refuse(info.orig_filename, reason)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise self._refuse(info.filename, "member is a symbolic link")
            if not info.is_dir() and info.filename.lower().endswith(_NESTED):
                self._skipped.add(info.filename)
                self.warnings.append(f"{info.filename}: an archive inside the archive; not opened")

    def members(self) -> list[str]:
        """Names of the regular members that may be read."""
        return [i.filename for i in self._zip.infolist() if not i.is_dir() and i.filename not in self._skipped]

    def find(self, basename: str) -> str | None:
        """The member called `basename` (any case) at the root or in one folder; the root copy wins."""
        want = basename.lower()
        hits = [m for m in self.members() if m.count("/") <= 1 and m.rsplit("/", 1)[-1].lower() == want]
        return min(hits, key=lambda m: (m.count("/"), m)) if hits else None

    def _check_declared(self, info: zipfile.ZipInfo) -> None:
        """Refuse on what the header says, before inflating anything (the counted read is the real guard)."""
        lim = self.limits
        if info.file_size > lim.max_member_bytes:
            raise self._refuse(info.filename, f"declares {info.file_size:,} bytes, more than {lim.max_member_bytes:,}")
        if self._inflated + info.file_size > lim.max_total_bytes:
            raise self._refuse(info.filename, f"would take the archive past {lim.max_total_bytes:,} bytes inflated")
        if info.file_size > lim.ratio_floor_bytes and info.file_size > lim.max_ratio * max(info.compress_size, 1):
            raise self._refuse(info.filename, f"declares a compression ratio over {lim.max_ratio:g}:1")

    def chunks(self, member: str) -> Iterator[bytes]:
        """The member's bytes in chunks, counted as inflated; stops at the first chunk past a limit."""
        if member in self._skipped:
            raise MemberError(self.name, member, "", "an archive inside the archive; not opened")
        try:
            info = self._zip.getinfo(member)
        except KeyError:
            raise MemberError(self.name, member, "", "no such member") from None
        self._check_declared(info)
        lim, size = self.limits, 0
        ratio_cap = lim.max_ratio * max(info.compress_size, 1)
        try:
            with self._zip.open(info) as fh:
                while chunk := fh.read(lim.chunk_bytes):
                    size += len(chunk)
                    self._inflated += len(chunk)
                    if size > lim.max_member_bytes:
                        raise self._refuse(member, f"inflates past {lim.max_member_bytes:,} bytes")
                    if self._inflated > lim.max_total_bytes:
                        raise self._refuse(member, f"takes the archive past {lim.max_total_bytes:,} bytes inflated")
                    if size > lim.ratio_floor_bytes and size > ratio_cap:
                        raise self._refuse(member, f"inflates at a ratio over {lim.max_ratio:g}:1")
                    yield chunk
        except ZIP_ERRORS as exc:
            raise MemberError(self.name, member, "", f"unreadable after {size:,} bytes ({exc})") from None

    def text_chunks(self, member: str, warnings: list[str]) -> Iterator[str]:
        """The member decoded as UTF-8 (a byte-order mark dropped); other bytes replaced, with one warning."""
        decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
        strict = True
        for chunk in _with_end(self.chunks(member)):
            final = chunk is None
            data = b"" if chunk is None else chunk
            state = decoder.getstate()
            try:
                text = decoder.decode(data, final)
            except UnicodeDecodeError as exc:
                if not strict:
                    raise
                strict = False
                warnings.append(f"{member}: not UTF-8 (byte {exc.start} of a chunk); undecodable bytes replaced")
                decoder = codecs.getincrementaldecoder("utf-8-sig")("replace")
                decoder.setstate(state)
                text = decoder.decode(data, final)
            if text:
                yield text

    def read_text(self, member: str) -> tuple[str, list[str]]:
        """The whole member as text, with the warnings decoding raised. Bounded by `max_member_bytes`."""
        warnings: list[str] = []
        return "".join(self.text_chunks(member, warnings)), warnings

    def text_lines(self, member: str, warnings: list[str]) -> Lines:
        """The member's physical lines, for `csv.reader`, with record length bounded."""
        return Lines(self.text_chunks(member, warnings), self.limits.max_record_chars)


def _with_end(chunks: Iterator[bytes]) -> Iterator[bytes | None]:
    yield from chunks
    yield None


class Lines:
    """Physical lines of a text stream, newline kept, as `csv.reader` wants them (it splits records itself).

    The csv module buffers a whole record before it returns it, so this iterator bounds a record: when the
    characters read since the last `row_done()` pass `max_chars`, the rest of the line is discarded and
    `RecordTooLong` is raised. The csv reader resets on the next call, so reading can go on.
    """

    def __init__(self, chunks: Iterator[str], max_chars: int) -> None:
        self._chunks = chunks
        self._max = max_chars
        self._buf = ""
        self._pos = 0
        self._since_row = 0
        self.line_no = 0

    def __iter__(self) -> Lines:
        return self

    def row_done(self) -> None:
        self._since_row = 0

    def __next__(self) -> str:
        while True:
            end = self._buf.find("\n", self._pos)
            if end >= 0:
                line = self._buf[self._pos : end + 1]
                self._pos = end + 1
                return self._count(line)
            if len(self._buf) - self._pos + self._since_row > self._max:
                self._discard_line()
                raise self._too_long()
            chunk = next(self._chunks, None)
            if chunk is None:
                if self._pos >= len(self._buf):
                    raise StopIteration
                line, self._buf, self._pos = self._buf[self._pos :], "", 0
                return self._count(line)
            self._buf = self._buf[self._pos :] + chunk
            self._pos = 0

    def _count(self, line: str) -> str:
        self.line_no += 1
        self._since_row += len(line)
        if self._since_row > self._max:
            raise self._too_long()
        return line

    def _too_long(self) -> RecordTooLong:
        self._since_row = 0
        return RecordTooLong(f"record longer than {self._max:,} characters; skipped")

    def _discard_line(self) -> None:
        self.line_no += 1
        while True:
            end = self._buf.find("\n", self._pos)
            if end >= 0:
                self._pos = end + 1
                return
            chunk = next(self._chunks, None)
            if chunk is None:
                self._buf, self._pos = "", 0
                return
            self._buf, self._pos = chunk, 0
