"""Indicators shared by others, into the service's watchlist: a STIX 2.1 bundle, a MISP event, a MISP feed folder.

Hostile input is the rule, so a file is read under limits (size, JSON depth, object count) before anything is
parsed; every STIX object is parsed by `stix2` (standard properties and patterns checked; custom properties of
other tools, such as OpenCTI's x_opencti_*, tolerated and ignored) and every MISP event by PyMISP; the first
bad one stops the import with an error naming the file and the object. Indicators are grouped by the persona
they point to (STIX: an `indicates`/`related-to`/`attributed-to` relationship to a threat-actor, individual
identity or intrusion set; MISP: a user-account, impersonation or persona object), each group one persona entry
of the watchlist, validated as a watchlist file's entry would be. Provenance (who shared it: the bundle's
created_by identity or the MISP Orgc, when, the TLP level, the file) goes into the entry's source and notes and
into the audit log. store_entries writes every entry in the caller's one transaction: all or nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import stix2
from pymisp import MISPEvent
from sqlalchemy import select
from sqlalchemy.orm import Session
from stix2patterns.v21.pattern import Pattern

from counterpitch.store import audit
from counterpitch.store.casework import check_entry
from counterpitch.store.tables import WatchlistRow
from counterpitch.watchlist import normalise_profile_url

MAX_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 40
MAX_OBJECTS = 200_000
MAX_FEED_EVENTS = 5_000
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_PERSONA_TYPES = ("threat-actor", "identity", "intrusion-set", "campaign")
_LINKS = frozenset({"indicates", "related-to", "attributed-to"})


class ShareImportError(ValueError):
    """A file that cannot be imported; the message names the file and, where there is one, the object."""


@dataclass
class Shared:
    """One persona's indicators as another organisation shared them, with where they came from."""

    ident: str
    name: str
    author: str
    shared_on: str
    tlp: str | None
    fmt: str
    file: str
    profile_urls: dict[str, None] = field(default_factory=dict)
    emails: dict[str, None] = field(default_factory=dict)
    email_domains: dict[str, None] = field(default_factory=dict)
    handles: dict[str, dict[str, None]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.profile_urls or self.emails or self.email_domains or self.handles)

    def entry(self) -> dict[str, Any]:
        """The watchlist mapping (watchlist.py's fields), provenance in source and notes."""
        level = f", TLP:{self.tlp.upper()}" if self.tlp else ""
        raw: dict[str, Any] = {
            "id": f"shared-{self.ident}",
            "kind": "persona",
            "name": self.name,
            "source": f"Shared by {self.author} ({self.fmt}{level})",
            "date": self.shared_on,
            "notes": f"Imported {date.today().isoformat()} from {Path(self.file).name}",
        }
        for key in ("profile_urls", "emails", "email_domains"):
            if values := list(getattr(self, key)):
                raw[key] = values
        if self.handles:
            raw["handles"] = {k: list(v) for k, v in self.handles.items()}
        return raw

    def add(self, kind: str, value: str, app: str | None = None) -> None:
        """One shared value, kept only when a watchlist entry would accept it (else noted as skipped)."""
        value = value.strip()
        probe: dict[str, Any] = {"id": "probe", "kind": "persona", "name": "probe", "source": "x", "date": "2000"}
        if kind == "url" and normalise_profile_url(value) is None:
            self.skipped.append(f"{value}: not a LinkedIn profile URL")
            return
        field_, entry_value = {
            "url": ("profile_urls", [value]),
            "email": ("emails", [value]),
            "domain": ("email_domains", [value]),
        }.get(kind, ("handles", {(app or "handle").lower(): [value]}))
        try:
            check_entry({**probe, field_: entry_value})
        except ValueError as exc:
            self.skipped.append(str(exc))
            return
        if field_ == "handles":
            self.handles.setdefault((app or "handle").lower(), {})[value] = None
        else:
            getattr(self, field_)[value] = None


# --- reading under limits -------------------------------------------------------------------------------------


def _depth_ok(text: str, limit: int) -> bool:
    """Whether no array or object nests deeper than `limit` (strings skipped), in one pass without recursion."""
    depth, in_string, escaped = 0, False, False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            if depth > limit:
                return False
        elif c in "]}":
            depth -= 1
    return True


def read_json(path: Path) -> Any:
    """A JSON file read under the limits, or ShareImportError naming the file."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ShareImportError(f"{path}: {size:,} bytes is more than the {MAX_BYTES:,} an import may be")
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ShareImportError(f"{path}: cannot read: {exc}") from None
    if not _depth_ok(text, MAX_DEPTH):
        raise ShareImportError(f"{path}: JSON nested more than {MAX_DEPTH} deep")
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ShareImportError(f"{path}: not valid JSON: {exc}") from None


def load(path: Path | str) -> list[Shared]:
    """What a file or feed folder shares, grouped by persona; ShareImportError on anything it cannot take."""
    p = Path(path)
    if p.is_dir():
        return list(_feed(p))
    if not p.is_file():
        raise ShareImportError(f"{p}: no such file or folder")
    doc = read_json(p)
    if isinstance(doc, dict) and doc.get("type") == "bundle":
        return _stix(doc, str(p))
    if isinstance(doc, dict) and (isinstance(doc.get("Event"), dict) or "Attribute" in doc or "Object" in doc):
        return _misp(doc, str(p))
    raise ShareImportError(f"{p}: neither a STIX bundle nor a MISP event")


# --- STIX -------------------------------------------------------------------------------------------------------


def _unquote(value: str) -> str:
    inner = value[1:-1] if len(value) >= 2 and value[0] == value[-1] == "'" else value
    return re.sub(r"\\(.)", r"\1", inner)


def _values(pattern: str) -> Iterator[tuple[str, str, str | None]]:
    """(kind, value, app) of each equality in a STIX pattern that names a persona's identifier."""
    comparisons = Pattern(pattern).inspect().comparisons
    for path, op, value in comparisons.get("url", []):
        if path == ["value"] and op == "=":
            yield "url", _unquote(value), None
    for path, op, value in comparisons.get("email-addr", []):
        if path == ["value"] and op == "=":
            yield "email", _unquote(value), None
    for path, op, value in comparisons.get("email-message", []):
        if path[-1:] == ["value"] and path[0] in ("from_ref", "sender_ref") and op == "=":
            yield "email", _unquote(value), None
    for path, op, value in comparisons.get("domain-name", []):
        if path == ["value"] and op == "=":
            yield "domain", _unquote(value), None
    accounts = comparisons.get("user-account", [])
    apps = [_unquote(v) for path, op, v in accounts if path == ["account_type"] and op == "="]
    for path, op, value in accounts:
        if path in (["account_login"], ["user_id"]) and op == "=":
            v = _unquote(value)
            if normalise_profile_url(v):
                yield "url", v, None
            else:
                yield "handle", v, apps[0] if len(apps) == 1 else None


def _tlp_of(obj: Mapping[str, Any], markings: Mapping[str, str]) -> str | None:
    for ref in obj.get("object_marking_refs") or ():
        if ref in markings:
            return markings[ref]
    return None


def _marking_levels(objects: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    from counterpitch.share.vocab import TLP_BY_ID, TLP_EXTENSION

    levels = dict(TLP_BY_ID)
    for oid, obj in objects.items():
        if obj.get("type") != "marking-definition" or oid in levels:
            continue
        ext = (obj.get("extensions") or {}).get(TLP_EXTENSION) or {}
        definition = obj.get("definition") or {}
        level = ext.get("tlp_2_0") or (definition.get("tlp") if obj.get("definition_type") == "tlp" else None)
        if isinstance(level, str):
            levels[oid] = level.lower().replace("white", "clear")
    return levels


def _parse_stix(doc: Mapping[str, Any], file: str) -> dict[str, dict[str, Any]]:
    objects = doc.get("objects")
    if not isinstance(objects, list):
        raise ShareImportError(f"{file}: the bundle has no 'objects' list")
    if len(objects) > MAX_OBJECTS:
        raise ShareImportError(f"{file}: {len(objects):,} objects, more than the {MAX_OBJECTS:,} an import may hold")
    out: dict[str, dict[str, Any]] = {}
    for i, obj in enumerate(objects):
        where = f"{file}: object {i}"
        if not isinstance(obj, dict):
            raise ShareImportError(f"{where}: not a JSON object")
        where += f" ({obj.get('type', '?')} {obj.get('id', '?')})"
        try:
            stix2.parse(obj, allow_custom=True, version="2.1")
        except Exception as exc:  # stix2 raises many kinds; each is this object's fault
            raise ShareImportError(f"{where}: {exc}") from None
        out[str(obj["id"])] = obj
    return out


def _stix(doc: Mapping[str, Any], file: str) -> list[Shared]:
    objects = _parse_stix(doc, file)
    markings = _marking_levels(objects)
    rels = [o for o in objects.values() if o.get("type") == "relationship"]
    # Who a persona copies or targets is its victim: never the owner of an indicator.
    victims = {r.get("target_ref") for r in rels if r.get("relationship_type") in ("impersonates", "targets")}
    target: dict[str, str] = {}
    for rel in rels:
        if rel.get("relationship_type") not in _LINKS:
            continue
        src, dst = objects.get(rel.get("source_ref", "")), objects.get(rel.get("target_ref", ""))
        if src is None or dst is None or src.get("type") != "indicator" or dst["id"] in victims:
            continue
        if dst.get("type") not in _PERSONA_TYPES or dst.get("identity_class", "individual") != "individual":
            continue
        best = target.get(src["id"])
        if best is None or _PERSONA_TYPES.index(dst["type"]) < _PERSONA_TYPES.index(objects[best]["type"]):
            target[src["id"]] = dst["id"]
    groups: dict[str, Shared] = {}
    for oid, obj in objects.items():
        if obj.get("type") != "indicator" or obj.get("pattern_type") != "stix" or obj.get("revoked"):
            continue
        owner = objects.get(target.get(oid, ""), obj)
        author = objects.get(obj.get("created_by_ref") or owner.get("created_by_ref") or "", {})
        key = owner["id"]
        if key not in groups:
            groups[key] = Shared(
                ident=key.partition("--")[2].lower(),
                name=str(owner.get("name") or "shared persona"),
                author=str(author.get("name") or "an unnamed organisation"),
                shared_on=str(obj.get("created") or owner.get("created") or date.today().isoformat())[:10],
                tlp=_tlp_of(obj, markings) or _tlp_of(owner, markings),
                fmt="STIX 2.1",
                file=file,
            )
        for kind, value, app in _values(obj["pattern"]):
            groups[key].add(kind, value, app)
    return list(groups.values())


# --- MISP -------------------------------------------------------------------------------------------------------

_MISP_KIND = {
    "link": "url",
    "url": "url",
    "uri": "url",
    "email": "email",
    "email-src": "email",
    "email-reply-to": "email",
    "domain": "domain",
    "hostname": "domain",
}
_PERSONA_OBJECTS = ("user-account", "impersonation", "persnona", "person")
_NAME_RELATIONS = ("display-name", "account-name", "name", "full-name")
_VICTIM_RELATIONS = frozenset({"impersonated-account-name", "impersonated-account-url", "real-name"})


def _misp(doc: Mapping[str, Any], file: str) -> list[Shared]:
    event = MISPEvent()
    try:
        event.load(dict(doc))
    except Exception as exc:  # PyMISP raises its own and plain errors alike
        raise ShareImportError(f"{file}: MISP event {_event_uuid(doc)}: {exc}") from None
    org = getattr(event, "Orgc", None) or getattr(event, "Org", None)
    author = str(getattr(org, "name", "") or "an unnamed organisation")
    tlp = next((t.name.partition(":")[2].lower() for t in event.tags if t.name.lower().startswith("tlp:")), None)
    shared_on = event.date.isoformat() if getattr(event, "date", None) else date.today().isoformat()

    def group(ident: str, name: str) -> Shared:
        return Shared(ident, name, author, shared_on, tlp, "MISP", file)

    groups: dict[str, Shared] = {}
    referenced = {r.referenced_uuid: o.uuid for o in event.objects for r in o.references}
    for obj in event.objects:
        if obj.name not in _PERSONA_OBJECTS:
            continue
        owner = referenced.get(obj.uuid, obj.uuid)
        name = next((str(a.value) for a in obj.attributes if a.object_relation in _NAME_RELATIONS), "")
        g = groups.setdefault(owner, group(owner, name or "shared persona"))
        if name and g.name == "shared persona":
            g.name = name
        app = next((str(a.value) for a in obj.attributes if a.object_relation == "account-type"), None)
        for a in obj.attributes:
            if a.object_relation in _VICTIM_RELATIONS:
                continue  # the real account a persona copies is its victim, never an indicator
            if a.object_relation in ("username", "user-id") and app and app.lower() != "linkedin":
                g.add("handle", str(a.value), app)
            elif a.object_relation in ("link", "account-url") or a.type in ("link", "url"):
                g.add("url", str(a.value))
            elif a.type in _MISP_KIND:
                g.add(_MISP_KIND[a.type], str(a.value))
            elif a.type == "phone-number":
                g.add("handle", str(a.value), "phone")
    loose = [a for a in event.attributes if a.type in _MISP_KIND or a.type == "phone-number"]
    if loose:
        g = groups.setdefault(event.uuid, group(event.uuid, str(event.info or "shared indicators")[:200]))
        for attr in loose:
            kind = _MISP_KIND.get(attr.type, "handle")
            g.add(kind, str(attr.value), "phone" if attr.type == "phone-number" else None)
    return list(groups.values())


def _event_uuid(doc: Mapping[str, Any]) -> str:
    inner = doc.get("Event") if isinstance(doc.get("Event"), dict) else doc
    return str(inner.get("uuid", "?")) if isinstance(inner, dict) else "?"


def _feed(folder: Path) -> Iterator[Shared]:
    manifest = read_json(folder / "manifest.json")
    if not isinstance(manifest, dict):
        raise ShareImportError(f"{folder / 'manifest.json'}: not a mapping of event uuids")
    if len(manifest) > MAX_FEED_EVENTS:
        raise ShareImportError(f"{folder}: {len(manifest):,} events, more than the {MAX_FEED_EVENTS:,} allowed")
    for uuid in manifest:
        if not isinstance(uuid, str) or not _UUID.match(uuid):
            raise ShareImportError(f"{folder / 'manifest.json'}: {uuid!r} is not an event uuid")
        path = folder / f"{uuid}.json"
        doc = read_json(path)
        if not isinstance(doc, dict):
            raise ShareImportError(f"{path}: not a MISP event")
        yield from _misp(doc, str(path))


# --- into the watchlist -----------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }


def _same(stored: str, raw: Mapping[str, Any]) -> bool:
    """Whether a stored entry says what `raw` says (the import's date in its notes aside)."""
    old = json.loads(stored)
    return {k: v for k, v in old.items() if k != "notes"} == {k: v for k, v in raw.items() if k != "notes"}


def store_entries(session: Session, shared: list[Shared], actor_id: int | None = None) -> ImportResult:
    """Add or update one watchlist entry per shared persona, in the caller's transaction (all or nothing).

    Entries are checked first, so a bad one stops the import before any row is written."""
    result = ImportResult()
    entries = []
    for s in shared:
        result.skipped += [f"{s.file}: {s.name}: {why}" for why in s.skipped]
        if s.empty():
            continue
        raw = s.entry()
        try:
            check_entry(raw)
        except ValueError as exc:
            raise ShareImportError(f"{s.file}: {s.ident} ({s.name}): {exc}") from None
        entries.append((s, raw))
    now = datetime.now(UTC)
    for s, raw in entries:
        text = json.dumps(raw, ensure_ascii=False)
        row = session.scalar(select(WatchlistRow).where(WatchlistRow.entry_id == raw["id"]))
        if row is not None and not row.active:
            result.skipped.append(f"{s.file}: {raw['id']}: deactivated on this watchlist; left so")
            continue
        if row is not None and _same(row.entry_json, raw):
            result.unchanged.append(raw["id"])
            continue
        if row is not None:
            # Replaced by a new row, not edited in place: the services notice a watchlist change by its
            # highest row id (store/watchlist_rows.version), and the audit log keeps what was there. The new row
            # is added before the old one goes, so SQLite cannot hand the old id out again.
            row.entry_id = f"replaced-{row.id}"
            session.flush()
            result.updated.append(raw["id"])
        else:
            result.added.append(raw["id"])
        session.add(WatchlistRow(entry_id=raw["id"], entry_json=text, added_by=actor_id, added_at=now))
        if row is not None:
            session.flush()
            session.delete(row)
        audit.record(
            session,
            actor_id=actor_id,
            action="watchlist.import",
            object_type="watchlist_entry",
            object_id=raw["id"],
            detail={"name": raw["name"], "shared_by": s.author, "tlp": s.tlp, "format": s.fmt, "file": s.file},
        )
    session.flush()
    return result


def from_stix_objects(objects: list[dict[str, Any]], source: str) -> list[Shared]:
    """What STIX objects received otherwise than in a file share (TAXII's add objects), named by `source`."""
    return _stix({"type": "bundle", "objects": objects}, source)
