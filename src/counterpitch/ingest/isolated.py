"""Reading an uploaded PDF, e-mail or photo in a child process that the kernel stops at a CPU-time and memory limit.

The readers (profile_pdf.py, mail.py) bound their own work, but only by counting and by the clock they check: a
crafted file still holds a core for the whole budget, in the process that serves every other request. Here each
file gets a fresh child (forked from a forkserver that has the readers imported, so a start costs milliseconds),
which lowers its own priority and sets `RLIMIT_CPU` and `RLIMIT_AS` before reading. A child the kernel stops
becomes a `LimitError` naming the file and the limit; the parent only waits. At most `workers` children run at
once in this process; later files wait their turn. Decision 0048.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import tempfile
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from counterpitch.devices.imported import DeviceRecord
from counterpitch.ingest.mail import MailError, MailMessage, parse_message
from counterpitch.ingest.profile_pdf import ProfilePdfError, read_profile_pdf
from counterpitch.ingest.records import RecordError
from counterpitch.model import PersonProfile

#: Niceness added in the child: parsing yields the core to the requests the service is answering.
_NICE = 10
#: Wall-clock allowance per CPU second: a child that waits (for the core, or on nothing) is still ended.
_WALL_PER_CPU = 4.0


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 3
    memory_mb: int = 768
    workers: int = 2


class ReadError(ValueError):
    """The file was read and refused (not a PDF, malformed, ...): the reader's own message, naming the field."""


class LimitError(ReadError):
    """The child was stopped by a limit: which one, in words a reporter can act on."""


@dataclass(frozen=True)
class Profile:
    profile: PersonProfile
    warnings: tuple[str, ...]


_ctx = multiprocessing.get_context("forkserver")
_ctx.set_forkserver_preload(["counterpitch.ingest.mail", "counterpitch.ingest.profile_pdf"])
_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def read_pdf(data: bytes, name: str, limits: Limits) -> Profile:
    """The profile in the PDF's bytes and the reader's warnings; ReadError or LimitError naming `name`."""
    result = _run("pdf", data, name, limits)
    assert isinstance(result, Profile)
    return result


def read_mail(data: bytes, name: str, limits: Limits) -> MailMessage:
    result = _run("mail", data, name, limits)
    assert isinstance(result, MailMessage)
    return result


@dataclass(frozen=True)
class PhotoFile:
    """A sender's photo as the child read it (photo/load.py's safe loader): the decoded working image written
    again as a lossless PNG (what the photo check reads in the service: the same pixels, from a file this
    process made), the thumbnail and pHash the report keeps (photo/keep.py), and the faces found."""

    working_png: bytes
    thumbnail: bytes
    width: int
    height: int
    phash: int
    faces: int


def read_photo(data: bytes, name: str, limits: Limits) -> PhotoFile:
    """The photo in `data`; ReadError or LimitError naming `name` (field `sender.photo`)."""
    result = _run("photo", data, name, limits)
    assert isinstance(result, PhotoFile)
    return result


@dataclass(frozen=True)
class DeviceFile:
    """The devices of an uploaded audit, register or scan (devices/imported.py), and what could not be read."""

    records: tuple[DeviceRecord, ...]
    errors: tuple[str, ...]


#: Bad records named back to the person who uploaded the file; the rest are counted.
MAX_DEVICE_ERRORS = 20
DEVICE_SUFFIXES = (".jsonl", ".json", ".csv", ".xlsx", ".xml")


def read_devices(data: bytes, name: str, site: str, limits: Limits) -> DeviceFile:
    """The devices in an uploaded file: an audit's JSONL or JSON read back, or an asset register (.csv, .xlsx)
    or nmap XML scan run through the device audit; the kind is the name's suffix. Bad records are skipped and
    named in `errors`; ReadError or LimitError when the file as a whole could not be read."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in DEVICE_SUFFIXES:
        raise ReadError(f"file: {name}: expected {', '.join(DEVICE_SUFFIXES)}")
    result = _run("devices", data, name, limits, site)
    assert isinstance(result, DeviceFile)
    return result


def _slots_for(workers: int) -> threading.BoundedSemaphore:
    with _slots_lock:
        return _slots.setdefault(workers, threading.BoundedSemaphore(max(1, workers)))


def _run(
    kind: str, data: bytes, name: str, limits: Limits, site: str = ""
) -> Profile | MailMessage | DeviceFile | PhotoFile:
    with _slots_for(limits.workers):
        receive, send = _ctx.Pipe(duplex=False)
        child = _ctx.Process(target=_child, args=(send, kind, data, name, limits, site), daemon=True)
        child.start()
        send.close()
        try:
            outcome = _wait(receive, child, limits)
        finally:
            receive.close()
            if child.is_alive():
                child.kill()
            child.join()
    field = {"pdf": "profile_pdf", "mail": "eml", "photo": "sender.photo"}.get(kind, "file")
    if outcome is None:
        raise LimitError(f"{field}: {_stopped(name, child.exitcode, limits)}")
    status, value = outcome
    if status == "ok":
        return value  # type: ignore[no-any-return]
    if status == "memory":
        raise LimitError(f"{field}: {name}: reading it needed more than the {limits.memory_mb} MB memory limit")
    raise ReadError(f"{field}: {name}: {value}")


def _wait(receive: Connection, child: Any, limits: Limits) -> tuple[str, Any] | None:
    """The child's answer, or None when it died (or overran the wall clock) without one."""
    if receive.poll(limits.cpu_seconds * _WALL_PER_CPU + 2):
        try:
            return receive.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError):
            return None
    return None


def _stopped(name: str, exitcode: int | None, limits: Limits) -> str:
    if exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
        return f"{name}: reading it took more than the {limits.cpu_seconds} s CPU-time limit, so it was not read"
    if exitcode is None or exitcode == 0:
        return f"{name}: reading it took longer than {limits.cpu_seconds * _WALL_PER_CPU:.0f} s, so it was not read"
    limit = f"{limits.memory_mb} MB memory limit"
    return f"{name}: the reader stopped (exit {exitcode}), likely at the {limit}, so it was not read"


def _child(send: Connection, kind: str, data: bytes, name: str, limits: Limits, site: str = "") -> None:
    os.nice(_NICE)
    cpu = limits.cpu_seconds
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # SIGXCPU at the soft limit, SIGKILL a second later
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        if kind == "photo":
            send.send(("ok", _parse_photo(data, name)))
        else:
            send.send(("ok", _parse_devices(data, name, site) if kind == "devices" else _parse(kind, data, name, cpu)))
    except _PhotoFailed as exc:
        send.send(("error", str(exc)))
    except (ProfilePdfError, MailError) as exc:
        # The readers turn any failure of a parser into their own error; one that ran out of memory hit ours.
        send.send(("memory", "") if "MemoryError" in exc.message else ("error", exc.message))
    except MemoryError:
        send.send(("memory", ""))
    finally:
        send.close()


class _PhotoFailed(Exception):
    """The photo loader's error, without the file's name (the parent adds it)."""


def _parse_photo(data: bytes, name: str) -> PhotoFile:
    import io

    from counterpitch.photo.keep import keep
    from counterpitch.photo.landmarks import find_faces
    from counterpitch.photo.load import PhotoError, decode

    try:
        image = decode(data, name)
    except PhotoError as exc:
        raise _PhotoFailed(str(exc).removeprefix(f"{name}: ")) from None
    kept = keep(image)
    working = io.BytesIO()
    image.save(working, "PNG", compress_level=1)
    return PhotoFile(working.getvalue(), kept.thumbnail, kept.width, kept.height, kept.phash, len(find_faces(image)))


def _parse_devices(data: bytes, name: str, site: str) -> DeviceFile:
    from counterpitch.devices.imported import read_records

    suffix = os.path.splitext(name)[1].lower()
    fd, path = tempfile.mkstemp(suffix=suffix)  # the readers take a path and pick the format by its suffix
    errors: list[str] = []
    bad = 0

    def on_error(error: RecordError) -> None:
        nonlocal bad
        bad += error.count
        if len(errors) < MAX_DEVICE_ERRORS:
            errors.append(str(error).replace(path, name))

    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        records = tuple(read_records([path], site=site, on_error=on_error))
    except (RecordError, ValueError, OSError) as exc:  # the file as a whole: name it, not the temporary copy
        on_error(exc if isinstance(exc, RecordError) else RecordError(path, "", "", str(exc)))
        records = ()
    finally:
        os.unlink(path)
    if bad > len(errors):
        errors.append(f"{name}: {bad - len(errors)} more bad record(s)")
    return DeviceFile(records, tuple(errors))


def _parse(kind: str, data: bytes, name: str, cpu_seconds: int) -> Profile | MailMessage:
    if kind == "mail":
        return parse_message(data, name)
    fd, path = tempfile.mkstemp(suffix=".pdf")  # the reader takes a path; the file lives only while it reads
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        # The reader's own clock stays as a second line: a child starved of the core by others' work is ended
        # by it, with a message, before the parent's backstop kills it without one.
        profile, warnings = read_profile_pdf(path, max_seconds=cpu_seconds * _WALL_PER_CPU)
    except ProfilePdfError as exc:
        raise ProfilePdfError(name, exc.message) from None
    finally:
        os.unlink(path)
    return Profile(profile, tuple(warnings))
