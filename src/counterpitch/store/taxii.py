"""The TAXII 2.1 collections the service serves (web/taxii.py), kept in `taxii_objects`.

Collections are fixed: for each TLP that may leave the building over TAXII (CLEAR, GREEN, AMBER; AMBER+STRICT
and RED never do), `campaigns-<tlp>` holds the whole graph a STIX export writes (campaigns, personas,
indicators, sightings, relationships, ATT&CK patterns, markings) and `indicators-<tlp>` only what a blocking
tool needs (indicators, the identity that made them, their markings); `shared-in` holds what other
organisations' admins add. Each collection's id is a UUIDv5 of its alias, the same in every deployment.

An object is kept once per version (its `modified`, else `created`), so publishing the same export twice adds
nothing and a changed campaign adds a version. Rows are read in the order they were added: `next` is the last
row's id, and every row's `date_added` is strictly later than the one before it in its collection, so a client
that pages by `added_after` alone misses nothing either.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from counterpitch.store.tables import TaxiiObject, TaxiiStatus

#: The namespace of the collections' UUIDv5 ids.
NAMESPACE = uuid.UUID("5f0c9a57-3c1e-4a8e-9d1b-7c6a8f0e2b41")
SHARED_TLPS = ("clear", "green", "amber")
INBOX = "shared-in"
#: Types an `indicators-<tlp>` collection keeps beside the indicators themselves.
_INDICATOR_COMPANIONS = frozenset({"indicator", "identity", "marking-definition"})
PAGE_MAX = 1000
Kind = Literal["campaigns", "indicators", "inbox"]


@dataclass(frozen=True)
class Collection:
    alias: str
    title: str
    description: str
    kind: Kind
    tlp: str | None = None

    @property
    def id(self) -> str:
        return str(uuid.uuid5(NAMESPACE, self.alias))


def _collections() -> tuple[Collection, ...]:
    out = []
    for tlp in SHARED_TLPS:
        label = f"TLP:{tlp.upper()}"
        out.append(
            Collection(
                f"campaigns-{tlp}",
                f"Campaigns ({label})",
                f"Campaigns, personas, indicators and sightings published at {label}: the whole graph.",
                "campaigns",
                tlp,
            )
        )
        out.append(
            Collection(
                f"indicators-{tlp}",
                f"Indicators ({label})",
                f"Indicators published at {label} (profile URLs, e-mail addresses, domains, handles), for blocking.",
                "indicators",
                tlp,
            )
        )
    out.append(
        Collection(
            INBOX,
            "Shared with us",
            "Indicators other organisations shared with us; admins add them, and they join the watchlist.",
            "inbox",
        )
    )
    return tuple(out)


COLLECTIONS = _collections()
BY_ID = {c.id: c for c in COLLECTIONS}


def collection_for_tlp(kind: Kind, tlp: str) -> Collection | None:
    return next((c for c in COLLECTIONS if c.kind == kind and c.tlp == tlp), None)


# --- versions and times ------------------------------------------------------------------------------------
def _timestamp(value: str) -> datetime:
    text = value.strip()
    if not text.endswith("Z"):
        raise ValueError(f"{value!r}: a STIX timestamp ends in Z")
    return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)


def utc(moment: datetime) -> datetime:
    """A stored time in UTC (SQLite gives it back without its zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def stamp(moment: datetime) -> str:
    """A time as TAXII writes it: UTC, microseconds, Z (so that two of them sort as text)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(value: str, name: str) -> datetime:
    """A timestamp a client sent (`added_after`, a version); ValueError names the parameter."""
    try:
        return _timestamp(value)
    except ValueError:
        raise ValueError(f"{name}: expected a timestamp such as 2026-12-08T09:30:00.000Z, got {value[:40]!r}") from None


def version_of(obj: Mapping[str, Any], added: datetime) -> str:
    """The object's version: `modified`, else `created` (SCOs and markings may have neither: when it was added)."""
    for key in ("modified", "created"):
        value = obj.get(key)
        if isinstance(value, str):
            return stamp(parse_time(value, f"{obj.get('id', 'object')}.{key}"))
    return stamp(added)


# --- writing -----------------------------------------------------------------------------------------------
@dataclass
class Added:
    """What one `add` did: objects new to the collection (by id and version) and those it already held."""

    added: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)


def _next_time(session: Session, collection: str) -> datetime:
    last = session.scalar(select(func.max(TaxiiObject.date_added)).where(TaxiiObject.collection == collection))
    now = datetime.now(UTC)
    if last is not None and utc(last) >= now:
        return utc(last) + timedelta(microseconds=1)
    return now


def add(session: Session, collection: Collection, objects: Iterable[Mapping[str, Any]]) -> Added:
    """Keep each object's version in `collection` unless it is there already. Each object must carry `id` and
    `type` (the caller validated it as STIX); a bad timestamp raises ValueError naming the object."""
    result = Added()
    moment = _next_time(session, collection.alias)
    seen: set[tuple[str, str]] = set()
    for obj in objects:
        stix_id, stix_type = str(obj["id"]), str(obj["type"])
        version = version_of(obj, moment)
        key = (stix_id, version)
        held = key in seen or session.scalar(
            select(TaxiiObject.id).where(
                TaxiiObject.collection == collection.alias,
                TaxiiObject.stix_id == stix_id,
                TaxiiObject.version == version,
            )
        )
        if held:
            result.unchanged.append(key)
            continue
        seen.add(key)
        session.add(
            TaxiiObject(
                collection=collection.alias,
                stix_id=stix_id,
                stix_type=stix_type,
                version=version,
                spec_version=str(obj.get("spec_version", "2.1")),
                date_added=moment,
                object_json=json.dumps(obj, separators=(",", ":"), sort_keys=True),
            )
        )
        result.added.append(key)
        moment += timedelta(microseconds=1)
    session.flush()
    return result


def publish(session: Session, objects: Sequence[Mapping[str, Any]], tlp: str) -> dict[str, Added]:
    """An export's objects (all marked `tlp`) into that TLP's two collections: the whole graph into
    `campaigns-<tlp>`, the indicators with their identity and markings into `indicators-<tlp>`."""
    if tlp not in SHARED_TLPS:
        raise ValueError(f"--tlp: only {', '.join(t.upper() for t in SHARED_TLPS)} is served over TAXII, not {tlp!r}")
    for obj in objects:
        _check_marking(obj, tlp)
    whole = collection_for_tlp("campaigns", tlp)
    blocking = collection_for_tlp("indicators", tlp)
    assert whole is not None and blocking is not None
    return {
        whole.alias: add(session, whole, objects),
        blocking.alias: add(session, blocking, [o for o in objects if o.get("type") in _INDICATOR_COMPANIONS]),
    }


#: TLP levels from the most open; an object may go to a collection of its own level or a stricter one.
_TLP_ORDER = ("clear", "green", "amber", "amber+strict", "red")
_UNMARKED_TYPES = frozenset({"marking-definition", "extension-definition", "language-content"})


def _check_marking(obj: Mapping[str, Any], tlp: str) -> None:
    """Refuse an object that is unmarked or marked stricter than the collection: an AMBER bundle published at
    GREEN would reach readers it was never meant for."""
    from counterpitch.share.vocab import TLP_BY_ID

    if obj.get("type") in _UNMARKED_TYPES:
        return
    levels = [TLP_BY_ID[r] for r in obj.get("object_marking_refs") or () if r in TLP_BY_ID]
    if not levels:
        raise ValueError(f"{obj.get('id')}: no TLP marking (export it with --tlp {tlp})")
    worst = max(levels, key=_TLP_ORDER.index)
    if _TLP_ORDER.index(worst) > _TLP_ORDER.index(tlp):
        raise ValueError(f"{obj.get('id')}: marked TLP:{worst.upper()}, too strict for a TLP:{tlp.upper()} collection")


def record_status(
    session: Session,
    collection: Collection,
    actor_id: int | None,
    successes: Sequence[tuple[str, str]],
    failures: Sequence[tuple[str, str, str]],
) -> TaxiiStatus:
    row = TaxiiStatus(
        id=str(uuid.uuid4()),
        collection=collection.alias,
        requested_by=actor_id,
        total=len(successes) + len(failures),
        successes=len(successes),
        failures=len(failures),
        detail_json=json.dumps(
            {
                "successes": [{"id": i, "version": v} for i, v in successes],
                "failures": [{"id": i, "version": v, "message": m} for i, v, m in failures],
            }
        ),
    )
    session.add(row)
    session.flush()
    return row


def status(session: Session, status_id: str) -> TaxiiStatus | None:
    return session.get(TaxiiStatus, status_id)


# --- reading -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    """The filters of TAXII 2.1 section 3.4: `added_after`, `match[id]`, `match[type]`, `match[version]`
    (last, first, all, or versions), `match[spec_version]`; `limit` and `next` page."""

    added_after: datetime | None = None
    ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    versions: tuple[str, ...] = ("last",)
    spec_versions: tuple[str, ...] = ()
    limit: int = PAGE_MAX
    after_row: int = 0


@dataclass(frozen=True)
class Page:
    rows: list[TaxiiObject]
    more: bool

    @property
    def next(self) -> str | None:
        return str(self.rows[-1].id) if self.more and self.rows else None

    def added_range(self) -> tuple[str, str] | None:
        if not self.rows:
            return None
        return date_added(self.rows[0]), date_added(self.rows[-1])


def date_added(row: TaxiiObject) -> str:
    return stamp(utc(row.date_added))


def query(session: Session, collection: Collection, q: Query) -> Page:
    stmt = select(TaxiiObject).where(TaxiiObject.collection == collection.alias, TaxiiObject.id > q.after_row)
    if q.added_after is not None:
        stmt = stmt.where(TaxiiObject.date_added > q.added_after)
    if q.ids:
        stmt = stmt.where(TaxiiObject.stix_id.in_(q.ids))
    if q.types:
        stmt = stmt.where(TaxiiObject.stix_type.in_(q.types))
    if q.spec_versions:
        stmt = stmt.where(TaxiiObject.spec_version.in_(q.spec_versions))
    stmt = _versions(stmt, collection, q.versions)
    rows = list(session.scalars(stmt.order_by(TaxiiObject.id).limit(q.limit + 1)))
    return Page(rows[: q.limit], more=len(rows) > q.limit)


def _versions(stmt: Any, collection: Collection, wanted: tuple[str, ...]) -> Any:
    if "all" in wanted:
        return stmt
    picks = []
    same = TaxiiObject.collection == collection.alias
    if "last" in wanted:
        newest = select(TaxiiObject.stix_id, func.max(TaxiiObject.version).label("v")).where(same)
        picks.append(_in_pairs(newest.group_by(TaxiiObject.stix_id).subquery()))
    if "first" in wanted:
        oldest = select(TaxiiObject.stix_id, func.min(TaxiiObject.version).label("v")).where(same)
        picks.append(_in_pairs(oldest.group_by(TaxiiObject.stix_id).subquery()))
    exact = [v for v in wanted if v not in ("last", "first")]
    if exact:
        picks.append(TaxiiObject.version.in_(exact))
    return stmt.where(or_(*picks))


def _in_pairs(sub: Any) -> Any:
    return exists().where(and_(sub.c.stix_id == TaxiiObject.stix_id, sub.c.v == TaxiiObject.version))


def versions(session: Session, collection: Collection, stix_id: str, q: Query) -> Page:
    """Every version of one object, oldest first (the versions endpoint ignores match[version])."""
    return query(session, collection, replace(q, ids=(stix_id,), types=(), versions=("all",)))


def loads(row: TaxiiObject) -> dict[str, Any]:
    value = json.loads(row.object_json)
    assert isinstance(value, dict)
    return value


@dataclass(frozen=True)
class CollectionState:
    collection: Collection
    objects: int
    last_added: datetime | None


def states(session: Session) -> list[CollectionState]:
    """Each collection with how many object versions it holds and when the last was added (the sharing page)."""
    rows = session.execute(
        select(TaxiiObject.collection, func.count(), func.max(TaxiiObject.date_added)).group_by(TaxiiObject.collection)
    ).all()
    held = {alias: (int(n), last) for alias, n, last in rows}
    return [CollectionState(c, *held.get(c.alias, (0, None))) for c in COLLECTIONS]
