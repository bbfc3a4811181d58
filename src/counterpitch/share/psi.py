"""A private set intersection of two organisations' persona identifiers, with no key in common (issue 15).

Diffie-Hellman blinding in the prime-order group ristretto255 (RFC 9496), by libsodium through `pysodium`
(docs/decisions/0078-persona-matching-psi.md). Each identifier x is hashed to the group, H(x) =
ristretto255 from-uniform of expand_message_xmd(SHA-512) over x with this protocol's domain tag (RFC 9380,
hash_to_ristretto255), so nobody knows a discrete logarithm between two identifiers' points. Then:

1. A (start): a random scalar a; sends a·H(x) for each of its identifiers, shuffled. Keeps a and which point
   is which persona's identifier in its secret file.
2. B (reply): a random scalar b; returns b·(a·H(x)) for A's points in A's order, and b·H(y) for each of its
   own identifiers, shuffled.
3. A (finish): a·(b·H(y)) for B's points; ab·H(x) = ab·H(y) exactly when x = y. A learns which of its
   personas B also holds and how many identifiers B has; B learns how many A has, and nothing of the result.

This holds against parties that follow the protocol (semi-honest): either may put guessed identifiers in its
own set and learn whether the other holds them (docs/sharing-personas.md). Points from the other side are
checked to be canonical, non-identity ristretto255 encodings before use; anything else is refused.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pysodium

from counterpitch.share.fingerprints import ShareError, read_secret, write_secret
from counterpitch.share.identifiers import KINDS, Identifier, Persona

FORMAT = "counterpitch-psi"
VERSION = 1
GROUP = "ristretto255"
HASH_TO_GROUP = "hash_to_ristretto255, expand_message_xmd SHA-512"
#: The domain separation tag of this protocol's hash to the group (RFC 9380 section 3.1).
DST = b"counterpitch-PSI-V01-CS01-with-ristretto255_XMD:SHA-512_R255MAP_RO_"
POINT_BYTES = 32
SCALAR_BYTES = 32
_SECRET_LINE = "psi-ristretto255-secret-v1:"  # noqa: S105 (a file tag, not a secret)
_SECRET_FORMAT = "counterpitch-psi-secret"  # noqa: S105 (a file tag)
_IDENTITY = bytes(POINT_BYTES)


# ---------------------------------------------------------------------------------------------------------
# The group


def expand_message_xmd(msg: bytes, dst: bytes, length: int) -> bytes:
    """RFC 9380 section 5.3.1 with SHA-512: `length` uniform bytes from `msg` under the tag `dst`."""
    ell = -(-length // 64)
    if ell > 255 or length > 65535 or len(dst) > 255:
        raise ValueError("expand_message_xmd: output or tag too long")
    dst_prime = dst + bytes([len(dst)])
    b0 = hashlib.sha512(bytes(128) + msg + length.to_bytes(2, "big") + b"\x00" + dst_prime).digest()
    bi = hashlib.sha512(b0 + b"\x01" + dst_prime).digest()
    out = bi
    for i in range(2, ell + 1):
        bi = hashlib.sha512(bytes(x ^ y for x, y in zip(b0, bi, strict=True)) + bytes([i]) + dst_prime).digest()
        out += bi
    return out[:length]


def hash_to_group(ident: Identifier) -> bytes:
    """H(x): the identifier's point, which nobody can relate to another's by a known scalar."""
    uniform = expand_message_xmd(ident.encoded(), DST, 64)
    return bytes(pysodium.crypto_core_ristretto255_from_hash(uniform))


def random_scalar() -> bytes:
    """A uniformly random non-zero scalar modulo the group order, from libsodium's generator."""
    return bytes(pysodium.crypto_core_ristretto255_scalar_random())


def blind(scalar: bytes, point: bytes) -> bytes:
    return bytes(pysodium.crypto_scalarmult_ristretto255(scalar, point))


def check_point(raw: object, where: str) -> bytes:
    """A point from the other side: 64 hex digits of a canonical, non-identity ristretto255 encoding."""
    try:
        point = bytes.fromhex(raw) if isinstance(raw, str) else b""
    except ValueError:
        point = b""
    if len(point) != POINT_BYTES:
        raise ShareError(f"{where}: not a point ({2 * POINT_BYTES} hex digits expected)")
    if point == _IDENTITY or not pysodium.crypto_core_ristretto255_is_valid_point(point):
        raise ShareError(f"{where}: not a valid ristretto255 point (malformed, or tampered with)")
    return point


# ---------------------------------------------------------------------------------------------------------
# Files


def _header(step: str, session: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "step": step,
        "group": GROUP,
        "hash": HASH_TO_GROUP,
        "session": session,
    }


def _load(path: Path, step: str) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ShareError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ShareError(f"{path}: not JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ShareError(f"{path}: not a PSI file (made by `counterpitch share psi-start` or `psi-reply`)")
    if doc.get("version") != VERSION:
        raise ShareError(f"{path}: PSI file version {doc.get('version')!r}; this build reads {VERSION}")
    if doc.get("step") != step:
        raise ShareError(f"{path}: a {doc.get('step')!r} file where a {step!r} file was expected")
    if doc.get("group") != GROUP or doc.get("hash") != HASH_TO_GROUP:
        raise ShareError(f"{path}: made for another group or hash ({doc.get('group')!r}, {doc.get('hash')!r})")
    if not isinstance(doc.get("session"), str) or len(doc["session"]) != 32:
        raise ShareError(f"{path}: the session id is missing or malformed")
    return doc


def _points(doc: Mapping[str, Any], key: str, name: str) -> list[bytes]:
    raw = doc.get(key)
    if not isinstance(raw, list):
        raise ShareError(f"{name}: {key!r} must be a list of points")
    return [check_point(p, f"{name}: {key}[{n}]") for n, p in enumerate(raw)]


def _identifiers(personas: Sequence[Persona]) -> dict[Identifier, list[str]]:
    """Each distinct identifier and the personas holding it."""
    held: dict[Identifier, list[str]] = {}
    for p in personas:
        for ident in p.identifiers:
            held.setdefault(ident, []).append(p.id)
    return held


def _shuffled(items: list[Any]) -> list[Any]:
    out = list(items)
    secrets.SystemRandom().shuffle(out)
    return out


def start(personas: Sequence[Persona], secret_path: Path, force: bool = False) -> dict[str, Any]:
    """Step 1 (A): the file to send, and A's secret file written (scalar and what each point stands for)."""
    scalar, session = random_scalar(), secrets.token_hex(16)
    order = _shuffled(list(_identifiers(personas).items()))
    state = {
        "format": _SECRET_FORMAT,
        "version": VERSION,
        "session": session,
        "items": [{"kind": ident.kind, "personas": ids} for ident, ids in order],
    }
    comment = "# counterpitch PSI secret of one run: keep it here, send nothing of it"
    write_secret(secret_path, f"{comment}\n# {json.dumps(state)}\n{_SECRET_LINE}{scalar.hex()}", force)
    points = [blind(scalar, hash_to_group(ident)).hex() for ident, _ in order]
    return {**_header("start", session), "points": points}


def reply(start_path: Path, personas: Sequence[Persona], secret_path: Path | None) -> dict[str, Any]:
    """Step 2 (B): A's points blinded again, in A's order, and B's own blinded points, shuffled."""
    doc = _load(start_path, "start")
    theirs = _points(doc, "points", str(start_path))
    if secret_path is not None and secret_path.exists():
        scalar = read_secret(secret_path, _SECRET_LINE, "a PSI secret", SCALAR_BYTES)
    else:
        scalar = random_scalar()
        if secret_path is not None:
            write_secret(secret_path, f"# counterpitch PSI secret (reply side)\n{_SECRET_LINE}{scalar.hex()}")
    mine = _shuffled([blind(scalar, hash_to_group(ident)).hex() for ident in _identifiers(personas)])
    return {
        **_header("reply", doc["session"]),
        "replies": [blind(scalar, p).hex() for p in theirs],
        "points": mine,
    }


@dataclass(frozen=True)
class Held:
    """One of A's personas that B holds too, and the kinds of identifier in common."""

    persona: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    held: tuple[Held, ...]
    #: Distinct identifiers on each side: what each party learns of the other's set beyond the intersection.
    mine: int
    theirs: int


def _state(secret_path: Path) -> tuple[bytes, dict[str, Any]]:
    scalar = read_secret(secret_path, _SECRET_LINE, "a PSI secret", SCALAR_BYTES)
    lines = [s.strip().removeprefix("#").strip() for s in secret_path.read_text("utf-8").splitlines()]
    for line in lines:
        if line.startswith("{"):
            try:
                state = json.loads(line)
            except json.JSONDecodeError:
                break
            if isinstance(state, dict) and state.get("format") == _SECRET_FORMAT and state.get("version") == VERSION:
                return scalar, state
    raise ShareError(f"{secret_path}: a reply side's secret, not the one `psi-start` wrote (it keeps the run)")


def finish(start_path: Path, reply_path: Path, secret_path: Path) -> Outcome:
    """Step 3 (A): which of A's personas B holds."""
    scalar, state = _state(secret_path)
    a1, b1 = _load(start_path, "start"), _load(reply_path, "reply")
    if not a1["session"] == b1["session"] == state.get("session"):
        raise ShareError(
            f"{start_path}, {reply_path} and {secret_path} are not of one run (session ids differ): "
            "finish with the start file and secret that made the file the other side answered"
        )
    items = state.get("items")
    replies = _points(b1, "replies", str(reply_path))
    if not isinstance(items, list) or len(items) != len(a1.get("points", ())) or len(replies) != len(items):
        raise ShareError(f"{reply_path}: {len(replies)} replies to {len(items or ())} points; the file is not whole")
    theirs = {blind(scalar, p) for p in _points(b1, "points", str(reply_path))}
    kinds: dict[str, set[str]] = {}
    for item, twice in zip(items, replies, strict=True):
        if twice in theirs:
            for pid in item["personas"]:
                kinds.setdefault(pid, set()).add(item["kind"])
    held = tuple(Held(pid, tuple(k for k in KINDS if k in ks)) for pid, ks in sorted(kinds.items()))
    return Outcome(held, len(items), len(theirs))
