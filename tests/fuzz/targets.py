"""One fuzz target per parser: bytes in, and the property every parser owes hostile input checked.

The property: the parser returns its result, or raises (or yields) the project's own error type for that parser,
and the error names the file. Any other exception propagates, so the hypothesis tests (tests/fuzz/) and the
atheris harnesses (bench/fuzz/) both see it as a failure. A call that takes longer than `MAX_SECONDS` is a hang.
The same functions serve both layers, so a crash found by either is replayed by the other.
"""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from counterpitch.ingest.linkedin_archive import Archive, read_archive
from counterpitch.ingest.mail import MailError, MailMessage, read_mail
from counterpitch.ingest.profile_pdf import ProfilePdfError, read_profile_pdf
from counterpitch.ingest.records import RecordError, read_records
from counterpitch.ingest.safezip import Limits
from counterpitch.ingest.tabular import read_csv
from counterpitch.model import Approach, PersonProfile, Profile
from tests import archive_builder as ab

#: Wall-clock bound for one input. The PDF reader's own budget is 10 s; everything else should take milliseconds.
MAX_SECONDS = 15.0
#: Tighter archive limits, so a bomb is refused after a few megabytes rather than hundreds.
ARCHIVE_LIMITS = Limits(max_member_bytes=8 * 1024 * 1024, max_total_bytes=16 * 1024 * 1024)


class Hang(AssertionError):
    """A parser took longer than `MAX_SECONDS` on one input."""


@contextmanager
def _file(name: str, data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="cp-fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


@contextmanager
def _bounded(what: str) -> Iterator[None]:
    started = time.monotonic()
    yield
    spent = time.monotonic() - started
    if spent > MAX_SECONDS:
        raise Hang(f"{what} took {spent:.1f} s on one input (bound {MAX_SECONDS:g} s)")


def _names_file(err: Exception, name: str) -> None:
    assert name in str(err), f"error does not name the file {name!r}: {err}"


# --- LinkedIn archive -----------------------------------------------------------------------------------------
def archive_bytes(data: bytes) -> Archive | RecordError:
    """Any bytes as a LinkedIn export: an `Archive`, or a `RecordError` (`UnsafeArchive`, `MemberError`)."""
    name = "Basic_LinkedInDataExport_fuzz.zip"
    with _file(name, data) as path, _bounded("read_archive"):
        try:
            archive = read_archive(path, ARCHIVE_LIMITS)
        except RecordError as err:
            _names_file(err, name)
            return err
    assert isinstance(archive.owner, Profile)
    assert all(isinstance(a, Approach) for a in archive.approaches)
    assert all(isinstance(w, str) for w in archive.warnings)
    return archive


def archive_members(files: dict[str, bytes]) -> Archive | RecordError:
    """An archive made of `files` (member name to bytes), written as a well-formed zip."""
    with tempfile.TemporaryDirectory(prefix="cp-fuzz-") as folder:
        path = ab.write_zip(Path(folder) / "export.zip", files)
        return archive_bytes(path.read_bytes())


def archive_csv(era: str, member: str, csv: bytes) -> Archive | RecordError:
    """A valid export of `era` whose `member` is replaced by `csv`: the CSV reader of each era under fire."""
    files = ab.era_files(era)
    target = next((m for m in files if m.rsplit("/", 1)[-1] == member), member)
    files[target] = csv
    return archive_members(files)


def archive_csv_bytes(data: bytes) -> Archive | RecordError:
    """Bytes-in form of `archive_csv` for coverage-guided fuzzing: byte 0 picks the era, byte 1 the member."""
    era = ab.ERAS[data[0] % len(ab.ERAS)] if data else "2023"
    members = ("messages.csv", "Connections.csv", "Invitations.csv", "Profile.csv", "Positions.csv", "Education.csv")
    member = members[data[1] % len(members)] if len(data) > 1 else "messages.csv"
    return archive_csv(era, member, data[2:])


# --- e-mail ---------------------------------------------------------------------------------------------------
def mail_bytes(data: bytes, suffix: str = ".eml") -> list[MailMessage | MailError]:
    """Any bytes as an `.eml` file or an `.mbox` mailbox: messages, or `MailError`s naming the file."""
    with _file("fuzz" + suffix, data) as path, _bounded("read_mail"):
        out = list(read_mail(path))
    for item in out:
        if isinstance(item, MailError):
            assert item.source == str(path), item
        else:
            assert isinstance(item, MailMessage), type(item)
            item.approach.to_json_dict()
    return out


# --- profile PDF ----------------------------------------------------------------------------------------------
def pdf_bytes(data: bytes) -> PersonProfile | ProfilePdfError:
    """Any bytes as a saved LinkedIn profile PDF: a `PersonProfile`, or a `ProfilePdfError` naming the file."""
    with _file("fuzz.pdf", data) as path, _bounded("read_profile_pdf"):
        try:
            profile, warnings = read_profile_pdf(path)
        except ProfilePdfError as err:
            _names_file(err, str(path))
            return err
    assert isinstance(profile, PersonProfile)
    assert all(isinstance(w, str) for w in warnings)
    return profile


# --- records: JSON, JSON array, JSON Lines, CSV -----------------------------------------------------------------
def records_bytes(data: bytes) -> list[object]:
    """Any bytes as approaches and as profiles in JSON/JSONL: each a record or a `RecordError` naming the source."""
    out: list[object] = []
    for model in (Approach, Profile):
        with _bounded("read_records"):
            items = list(read_records(io.BytesIO(data), model, "fuzz.jsonl"))
        for item in items:
            if isinstance(item, RecordError):
                assert item.source == "fuzz.jsonl", item
            else:
                assert isinstance(item, model), type(item)
        out += items
    return out


def csv_bytes(data: bytes) -> list[Approach | RecordError]:
    """Any bytes as a CSV of approaches: each row an `Approach` or a `RecordError` naming file and line."""
    with _bounded("read_csv"):
        items = list(read_csv(io.BytesIO(data), "fuzz.csv"))
    for item in items:
        if isinstance(item, RecordError):
            assert item.source == "fuzz.csv", item
        else:
            assert isinstance(item, Approach), type(item)
    return items


#: Every bytes-in target by name, for the atheris harnesses and the crash replays.
TARGETS: dict[str, Callable[[bytes], object]] = {
    "archive": archive_bytes,
    "archive_csv": archive_csv_bytes,
    "eml": mail_bytes,
    "mbox": lambda data: mail_bytes(data, ".mbox"),
    "pdf": pdf_bytes,
    "records": records_bytes,
    "csv": csv_bytes,
}
