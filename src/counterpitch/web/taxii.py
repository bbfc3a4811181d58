"""A TAXII 2.1 server inside the service (OASIS TAXII 2.1, sections 4 and 5): discovery at /taxii2/, one API
root, the collections of store/taxii.py, their objects, manifests and versions, and the status of an add.

The same Bearer tokens as the JSON API: analysts and admins read; admins add objects to `shared-in` (what
another organisation shared with us), which also puts them on the watchlist as `share import` does
(share/ingest.py); reporters and anonymous callers are refused. Every answer is `application/taxii+json;version=2.1`,
errors included (a TAXII error message: title, description, http_status). Reading and writing run in the
thread pool, off the event loop.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from counterpitch.store import taxii
from counterpitch.store.accounts import Actor
from counterpitch.web.auth import require_api, service, settings

MEDIA_TYPE = "application/taxii+json;version=2.1"
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
ROOT = "counterpitch"
PREFIX = "/taxii2"

router = APIRouter(prefix=PREFIX, tags=["taxii"])
Reader = Annotated[Actor, Depends(require_api("analyst", "admin"))]
Writer = Annotated[Actor, Depends(require_api("admin"))]


class TaxiiError(Exception):
    def __init__(self, status: int, title: str, description: str = "") -> None:
        super().__init__(title)
        self.status, self.title, self.description = status, title, description


def answer(body: dict[str, Any], status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status_code=status, media_type=MEDIA_TYPE, headers=headers)


def error_response(
    status: int, title: str, description: str = "", headers: Mapping[str, str] | None = None
) -> Response:
    body = {"title": title, "http_status": str(status)}
    if description:
        body["description"] = description
    return answer(body, status, headers)


def is_taxii(request: Request) -> bool:
    return request.url.path == PREFIX or request.url.path.startswith(PREFIX + "/")


def _accepts(request: Request) -> None:
    """406 unless the client takes TAXII 2.1 (section 1.6.8): `application/taxii+json`, with version 2.1 or none."""
    accept = request.headers.get("accept", "")
    if not accept:
        return
    for part in accept.split(","):
        kind, *params = (p.strip().lower() for p in part.split(";"))
        version = next((p.split("=", 1)[1].strip() for p in params if p.startswith("version=")), "2.1")
        if kind in ("application/taxii+json", "*/*", "application/*") and version == "2.1":
            return
    raise TaxiiError(406, "Not acceptable", "send Accept: application/taxii+json;version=2.1")


Accepts = Depends(_accepts)


def _collection(collection_id: str) -> taxii.Collection:
    found = taxii.BY_ID.get(collection_id)
    if found is None:
        raise TaxiiError(404, "No such collection", f"collection {collection_id[:64]!r} is not served here")
    return found


def _collection_info(c: taxii.Collection, actor: Actor) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "description": c.description,
        "alias": c.alias,
        "can_read": True,
        "can_write": c.kind == "inbox" and actor.role == "admin",
        "media_types": [STIX_MEDIA_TYPE],
    }


# --- discovery, API root, collections -----------------------------------------------------------------------
@router.get("/", dependencies=[Accepts])
def discovery(request: Request, actor: Reader) -> Response:
    base = str(request.base_url).rstrip("/")
    return answer(
        {
            "title": "Counterpitch",
            "description": "Campaigns and indicators of hostile-state approaches this organisation has seen.",
            "default": f"{base}{PREFIX}/{ROOT}/",
            "api_roots": [f"{base}{PREFIX}/{ROOT}/"],
        }
    )


@router.get(f"/{ROOT}/", dependencies=[Accepts])
def api_root(request: Request, actor: Reader) -> Response:
    return answer(
        {
            "title": "Counterpitch",
            "description": "Campaigns and indicators by TLP, and what other organisations shared with us.",
            "versions": [MEDIA_TYPE],
            "max_content_length": settings(request).max_body_bytes,
        }
    )


@router.get(f"/{ROOT}/collections/", dependencies=[Accepts])
def collections(actor: Reader) -> Response:
    return answer({"collections": [_collection_info(c, actor) for c in taxii.COLLECTIONS]})


@router.get(f"/{ROOT}/collections/{{collection_id}}/", dependencies=[Accepts])
def collection(collection_id: str, actor: Reader) -> Response:
    return answer(_collection_info(_collection(collection_id), actor))


# --- objects ------------------------------------------------------------------------------------------------
def _query(request: Request, *, allow_version: bool = True) -> taxii.Query:
    """The filters of section 3.4 from the query string; a bad one is a 400 naming it."""
    params = request.query_params

    def listed(name: str) -> tuple[str, ...]:
        return tuple(v.strip() for raw in params.getlist(name) for v in raw.split(",") if v.strip())

    try:
        added_after = params.get("added_after")
        after = taxii.parse_time(added_after, "added_after") if added_after else None
        limit_text = params.get("limit")
        limit = int(limit_text) if limit_text else taxii.PAGE_MAX
        if limit < 1:
            raise ValueError("limit: at least 1")
        next_text = params.get("next")
        after_row = int(next_text) if next_text else 0
        named = ("last", "first", "all")
        versions = tuple(
            v if v in named else taxii.stamp(taxii.parse_time(v, "match[version]"))
            for v in listed("match[version]") or ("last",)
        )
        if not allow_version and params.getlist("match[version]"):
            raise ValueError("match[version]: not a filter of this endpoint")
    except ValueError as exc:
        message = str(exc)
        if "invalid literal" in message:
            message = "limit and next: expected whole numbers"
        raise TaxiiError(400, "Bad filter", message) from None
    return taxii.Query(
        added_after=after,
        ids=listed("match[id]"),
        types=listed("match[type]"),
        versions=versions,
        spec_versions=listed("match[spec_version]"),
        limit=min(limit, taxii.PAGE_MAX),
        after_row=max(after_row, 0),
    )


def _range_headers(page: taxii.Page) -> dict[str, str]:
    span = page.added_range()
    if span is None:
        return {}
    return {"X-TAXII-Date-Added-First": span[0], "X-TAXII-Date-Added-Last": span[1]}


def _envelope(page: taxii.Page) -> Response:
    body: dict[str, Any] = {"more": page.more}
    if page.next:
        body["next"] = page.next
    if page.rows:
        body["objects"] = [taxii.loads(r) for r in page.rows]
    return answer(body, headers=_range_headers(page))


@router.get(f"/{ROOT}/collections/{{collection_id}}/objects/", dependencies=[Accepts])
async def get_objects(request: Request, collection_id: str, actor: Reader) -> Response:
    c, q = _collection(collection_id), _query(request)
    page = await run_in_threadpool(_read, request, lambda s: taxii.query(s, c, q))
    return _envelope(page)


@router.get(f"/{ROOT}/collections/{{collection_id}}/objects/{{object_id}}/", dependencies=[Accepts])
async def get_object(request: Request, collection_id: str, object_id: str, actor: Reader) -> Response:
    c, q = _collection(collection_id), _query(request)
    q = replace(q, ids=(object_id,), types=())
    page = await run_in_threadpool(_read, request, lambda s: taxii.query(s, c, q))
    if not page.rows and not q.after_row:
        raise TaxiiError(404, "No such object", f"{object_id[:120]!r} is not in this collection")
    return _envelope(page)


@router.get(f"/{ROOT}/collections/{{collection_id}}/objects/{{object_id}}/versions/", dependencies=[Accepts])
async def get_versions(request: Request, collection_id: str, object_id: str, actor: Reader) -> Response:
    c, q = _collection(collection_id), _query(request, allow_version=False)
    page = await run_in_threadpool(_read, request, lambda s: taxii.versions(s, c, object_id, q))
    if not page.rows and not q.after_row:
        raise TaxiiError(404, "No such object", f"{object_id[:120]!r} is not in this collection")
    body: dict[str, Any] = {"more": page.more, "versions": [r.version for r in page.rows]}
    if page.next:
        body["next"] = page.next
    return answer(body, headers=_range_headers(page))


@router.get(f"/{ROOT}/collections/{{collection_id}}/manifest/", dependencies=[Accepts])
async def get_manifest(request: Request, collection_id: str, actor: Reader) -> Response:
    c, q = _collection(collection_id), _query(request)
    page = await run_in_threadpool(_read, request, lambda s: taxii.query(s, c, q))
    body: dict[str, Any] = {"more": page.more}
    if page.next:
        body["next"] = page.next
    if page.rows:
        body["objects"] = [
            {"id": r.stix_id, "date_added": taxii.date_added(r), "version": r.version, "media_type": STIX_MEDIA_TYPE}
            for r in page.rows
        ]
    return answer(body, headers=_range_headers(page))


def _read(request: Request, what: Callable[[Session], Any]) -> Any:
    with service(request).store.read() as session:
        return what(session)


# --- adding objects (admins, `shared-in` only) -----------------------------------------------------------------
@router.post(f"/{ROOT}/collections/{{collection_id}}/objects/", dependencies=[Accepts])
async def add_objects(request: Request, collection_id: str, actor: Writer) -> Response:
    c = _collection(collection_id)
    if c.kind != "inbox":
        raise TaxiiError(403, "Not writable", "only the shared-in collection takes objects; ours are published")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/taxii+json":
        raise TaxiiError(415, "Unsupported media type", "send the envelope as application/taxii+json;version=2.1")
    try:
        envelope = json.loads(await request.body())
    except (ValueError, RecursionError):
        raise TaxiiError(400, "Not JSON", "the body is not a JSON envelope") from None
    objects = envelope.get("objects") if isinstance(envelope, dict) else None
    if not isinstance(objects, list):
        raise TaxiiError(400, "Not an envelope", 'expected {"objects": [...]}')
    status = await run_in_threadpool(_add, request, c, objects, actor)
    return answer(status, 202)


def _add(request: Request, c: taxii.Collection, objects: list[Any], actor: Actor) -> dict[str, Any]:
    """Objects that parse as STIX 2.1 are put on the watchlist as `share import` would (share/ingest.py: all or
    none of them) and kept in `shared-in`; the status names each failure and why."""
    from counterpitch.share.ingest import ShareImportError, from_stix_objects, store_entries

    good, failures = _checked(objects)
    svc = service(request)
    with svc.store.write() as session:
        if good:
            try:
                # store_entries checks every entry before it writes one: a refusal leaves nothing behind
                store_entries(session, from_stix_objects(good, f"TAXII {c.alias}, added by {actor.name}"), actor.id)
            except ShareImportError as exc:
                failures += [(str(o["id"]), str(o.get("modified", "")), str(exc)[:300]) for o in good]
                good = []
        added = taxii.add(session, c, good)
        body = status_body(taxii.record_status(session, c, actor.id, added.added + added.unchanged, failures))
    if good:  # this process matches the new entries at once (others within the holder's recheck interval)
        with svc.store.read() as session:
            svc.engines.load(session)
    return body


def _checked(objects: list[Any]) -> tuple[list[dict[str, Any]], list[tuple[str, str, str]]]:
    """Each object parsed as STIX 2.1 by `stix2` (other tools' custom properties allowed, nothing else);
    those that fail are the status's failures, with why."""
    import stix2
    from stix2.exceptions import STIXError

    good, bad = [], []
    for n, obj in enumerate(objects):
        stix_id = str(obj.get("id", f"objects[{n}]")) if isinstance(obj, dict) else f"objects[{n}]"
        version = str(obj.get("modified", obj.get("created", ""))) if isinstance(obj, dict) else ""
        try:
            if not isinstance(obj, dict) or obj.get("spec_version", "2.1") != "2.1":
                raise ValueError("not a STIX 2.1 object")
            stix2.parse(obj, allow_custom=True, version="2.1")
            taxii.version_of(obj, datetime.now(UTC))
        except (STIXError, ValueError, TypeError, KeyError) as exc:
            bad.append((stix_id[:120], version[:40], str(exc).splitlines()[0][:300]))
            continue
        good.append(obj)
    return good, bad


def status_body(row: Any) -> dict[str, Any]:
    detail = json.loads(row.detail_json)
    return {
        "id": row.id,
        "status": "complete",
        "request_timestamp": taxii.stamp(taxii.utc(row.requested_at)),
        "total_count": row.total,
        "success_count": row.successes,
        "failure_count": row.failures,
        "pending_count": 0,
        "successes": detail.get("successes", []),
        "failures": detail.get("failures", []),
    }


@router.get(f"/{ROOT}/status/{{status_id}}/", dependencies=[Accepts])
async def get_status(request: Request, status_id: str, actor: Reader) -> Response:
    body = await run_in_threadpool(_read, request, lambda s: _status(s, status_id))
    if body is None:
        raise TaxiiError(404, "No such status", f"{status_id[:64]!r} is not known here")
    return answer(body)


def _status(session: Session, status_id: str) -> dict[str, Any] | None:
    row = taxii.status(session, status_id)
    return status_body(row) if row is not None else None
