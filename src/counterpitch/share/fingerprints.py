"""Keyed fingerprints of personas, and matching two organisations' files of them (issue 15, the keyed mode).

Every organisation of a trust community holds one random 32-byte key. A fingerprint is HMAC-SHA256 under that
key of one canonical identifier (identifiers.py), cut to 128 bits and tagged with the identifier's kind. Two
files made under one key match wherever both hold an identifier; without the key nobody can test a guess. With
it, anyone can: a leaked key lets a holder of a file try a dictionary of likely names, addresses and profile
URLs (docs/sharing-personas.md). The private set intersection (psi.py) needs no shared key.

A file says which key made it by a key id (HMAC of a fixed label under the key), so files of different keys are
refused rather than silently matching nothing.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from counterpitch.share.identifiers import KINDS, Identifier, Persona

FORMAT = "counterpitch-fingerprints"
VERSION = 1
KEY_BYTES = 32
#: Bytes of HMAC-SHA256 kept per fingerprint: 128 bits, no collision in any realistic number of personas.
FP_BYTES = 16
_KEY_LINE = "hmac-sha256-key-v1:"
_KEY_ID_LABEL = b"counterpitch/share/key-id/v1"
_FP_LABEL = b"counterpitch/share/fingerprint/v1\x00"
_FP = re.compile(rf"^({'|'.join(KINDS)}):([0-9a-f]{{{2 * FP_BYTES}}})$")
#: Every fingerprint of a file at once, one a line: one pass of the regex engine instead of one call each.
_FPS = re.compile(rf"(?:(?:{'|'.join(KINDS)}):[0-9a-f]{{{2 * FP_BYTES}}}\n)*")


class ShareError(ValueError):
    """A key or file that cannot be used, with a message for the person running the command."""


# ---------------------------------------------------------------------------------------------------------
# Secret files: the community's key here, a PSI secret in psi.py; one line '<kind>:<hex>' after '#' comments.


def write_secret(path: Path, line: str, force: bool = False) -> None:
    """Write a secret file readable by its owner alone (0600), never over an existing one unless `force`."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise ShareError(f"{path}: already exists; it may be a key in use (--force replaces it)") from None
    except OSError as exc:
        raise ShareError(f"{path}: cannot write: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        os.fchmod(f.fileno(), 0o600)
        f.write(line + "\n")


def read_secret(path: Path, prefix: str, what: str, size: int) -> bytes:
    """The `size` bytes of a secret file whose line starts with `prefix`; anything else is refused."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ShareError(f"{path}: cannot read {what}: {exc}") from None
    lines = [s.strip() for s in text.splitlines() if s.strip() and not s.lstrip().startswith("#")]
    if len(lines) != 1 or not lines[0].startswith(prefix):
        raise ShareError(f"{path}: not {what} (expected one line '{prefix}<{2 * size} hex digits>')")
    try:
        raw = bytes.fromhex(lines[0].removeprefix(prefix))
    except ValueError:
        raw = b""
    if len(raw) != size:
        raise ShareError(f"{path}: {what} must be {2 * size} hex digits")
    return raw


def new_key(path: Path, force: bool = False) -> str:
    """Write a random key for a trust community; its key id."""
    key = secrets.token_bytes(KEY_BYTES)
    comment = "# counterpitch share key: HMAC-SHA256, shared within one trust community only"
    write_secret(path, f"{comment}\n{_KEY_LINE}{key.hex()}", force)
    return key_id(key)


def read_key(path: Path) -> bytes:
    return read_secret(path, _KEY_LINE, "a share key", KEY_BYTES)


def key_id(key: bytes) -> str:
    """Which key made a file (16 hex digits): the same for every holder, and no help in finding the key."""
    return hmac.new(key, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------------------
# Fingerprint files


def fingerprint(key: bytes, ident: Identifier) -> str:
    digest = hmac.new(key, _FP_LABEL + ident.encoded(), hashlib.sha256).digest()[:FP_BYTES]
    return f"{ident.kind}:{digest.hex()}"


def document(key: bytes, personas: Iterable[Persona]) -> dict[str, Any]:
    """The file's content: a header (format, version, key id, when) and each persona's fingerprints, sorted."""
    rows = [{"id": p.id, "fp": sorted(fingerprint(key, i) for i in p.identifiers)} for p in personas]
    return {
        "format": FORMAT,
        "version": VERSION,
        "key_id": key_id(key),
        "made": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "personas": rows,
    }


@dataclass(frozen=True)
class FingerprintFile:
    name: str
    key_id: str
    #: (persona id, its fingerprints 'kind:hex').
    personas: tuple[tuple[str, tuple[str, ...]], ...]


@contextlib.contextmanager
def _bulk() -> Iterator[None]:
    """The cyclic garbage collector paused while hundreds of thousands of acyclic strings and lists are built:
    its passes over them, not the parsing or the join, took most of the time (4x, bench/psi.py)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(path: Path) -> FingerprintFile:
    """A fingerprint file, checked whole: format, version, key id and every fingerprint's form."""
    try:
        with _bulk():
            doc = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ShareError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ShareError(f"{path}: not JSON: {exc}") from None
    return parse(doc, str(path))


def parse(doc: object, name: str) -> FingerprintFile:
    if not isinstance(doc, Mapping) or doc.get("format") != FORMAT:
        raise ShareError(f"{name}: not a fingerprint file (made by `counterpitch share fingerprints`)")
    if doc.get("version") != VERSION:
        raise ShareError(f"{name}: fingerprint file version {doc.get('version')!r}; this build reads {VERSION}")
    kid, rows = doc.get("key_id"), doc.get("personas")
    if not isinstance(kid, str) or not re.fullmatch(r"[0-9a-f]{16}", kid):
        raise ShareError(f"{name}: the key id is missing or malformed")
    if not isinstance(rows, list):
        raise ShareError(f"{name}: 'personas' must be a list")
    with _bulk():
        personas = []
        for n, row in enumerate(rows):
            pid = row.get("id") if isinstance(row, Mapping) else None
            fps = row.get("fp") if isinstance(row, Mapping) else None
            if not isinstance(pid, str) or not pid or not isinstance(fps, list):
                raise ShareError(f"{name}: persona {n}: needs an 'id' and a list 'fp'")
            personas.append((pid, tuple(fps)))
        try:
            joined = "\n".join(f for _, fps in personas for f in fps)
            whole = not joined or _FPS.fullmatch(joined + "\n") is not None
        except TypeError:
            whole = False
        if not whole:
            pid, bad = next((p, f) for p, fps in personas for f in fps if not isinstance(f, str) or not _FP.match(f))
            raise ShareError(f"{name}: persona {pid!r}: {bad!r} is not a fingerprint ('kind:32 hex digits')")
    return FingerprintFile(name, kid, tuple(personas))


@dataclass(frozen=True)
class PersonaMatch:
    a: str
    b: str
    #: The kinds of identifier both hold (url, email, handle, phone, name).
    kinds: tuple[str, ...]


def _holders(file: FingerprintFile) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Each fingerprint and the persona (by index) holding it; where several hold one (never in a file this tool
    made, which joins such records into one persona, but maybe in another's), all of them in the second map."""
    first = {f: i for i, (_, fps) in enumerate(file.personas) for f in fps}
    if len(first) == sum(len(fps) for _, fps in file.personas):
        return first, {}
    seen: dict[str, int] = {}
    more: dict[str, list[int]] = {}
    for i, (_, fps) in enumerate(file.personas):
        for f in fps:
            if seen.setdefault(f, i) != i:
                more.setdefault(f, [seen[f]]).append(i)
    return first, more


def match(a: FingerprintFile, b: FingerprintFile) -> list[PersonaMatch]:
    """Every pair of personas, one from each file, holding an identifier in common; one hash join."""
    if a.key_id != b.key_id:
        raise ShareError(
            f"{a.name} and {b.name} were made under different keys (key ids {a.key_id} and {b.key_id}): "
            "fingerprints of different keys never match; both sides must use the community's one key"
        )
    with _bulk():
        (mine, mine_more), (theirs, theirs_more) = _holders(a), _holders(b)
        pairs: dict[tuple[int, int], set[str]] = {}
        for f in mine.keys() & theirs.keys():  # the intersection in C; Python sees only what is shared
            for i in mine_more.get(f) or (mine[f],):
                for j in theirs_more.get(f) or (theirs[f],):
                    pairs.setdefault((i, j), set()).add(f.partition(":")[0])
    return [
        PersonaMatch(a.personas[i][0], b.personas[j][0], tuple(k for k in KINDS if k in kinds))
        for (i, j), kinds in sorted(pairs.items())
    ]
