"""The JSON API of ../shared/schemas/api.md (v1). Bearer tokens only; the cookie is never read here.

Bodies are read and validated after the caller is known, so an anonymous caller learns nothing, not even
whether their body was well formed. Screening and storage run in the thread pool, off the event loop.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from counterpitch.model import Approach, Assessment
from counterpitch.store.accounts import Actor
from counterpitch.store.reports import ReportFilter
from counterpitch.store.tables import STATUSES
from counterpitch.web.auth import api_actor, require_api, service
from counterpitch.web.errors import field_errors, validation_response
from counterpitch.web.params import Offset, QueryId, RowId
from counterpitch.web.photos import PhotoRefused

router = APIRouter(prefix="/api/v1", tags=["api"])

_APPROACH_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Approach"}}},
    }
}
Status = Literal["new", "triaged", "confirmed_hostile", "benign", "closed"]
assert set(STATUSES) == set(get_args(Status))  # the literal and the table's list must agree


async def _approach(request: Request) -> Approach | JSONResponse:
    body = await request.body()
    if not request.headers.get("content-type", "").startswith("application/json"):
        return validation_response([{"field": "body", "message": "send the Approach as application/json"}], 415)
    try:
        return Approach.model_validate_json(body)
    except ValidationError as exc:
        return validation_response(field_errors(exc.errors()))


def _refused(exc: PhotoRefused) -> JSONResponse:
    field, _, message = str(exc).partition(": ")
    return validation_response([{"field": field, "message": message}])


def _json(assessment: Assessment) -> bytes:
    """The Assessment's JSON, written by pydantic's serialiser (as `to_json_dict` would give, several times faster)."""
    return assessment.model_dump_json(by_alias=True, exclude_none=True).encode()


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.post("/assess", openapi_extra=_APPROACH_BODY, responses={200: {"model": Assessment}})
async def assess(request: Request, actor: Annotated[Actor, Depends(api_actor)]) -> Response:
    """Screen one approach as sent to the caller's role (unless it names a recipient); nothing is stored."""
    approach = await _approach(request)
    if isinstance(approach, JSONResponse):
        return approach
    svc = service(request)
    approach = svc.as_received_by(actor, approach)
    # In a thread: the meaning layer (the cascade's second stage, tens of milliseconds) must not hold the event loop.
    try:
        assessment = await run_in_threadpool(svc.assess, approach)
    except PhotoRefused as exc:
        return _refused(exc)
    return Response(_json(assessment), media_type="application/json")


@router.post("/reports", status_code=201, openapi_extra=_APPROACH_BODY)
async def submit(request: Request, actor: Annotated[Actor, Depends(api_actor)]) -> Response:
    """Screen and store one approach, reported by the caller and sent to their role unless it names a recipient.
    201 only once it is committed."""
    approach = await _approach(request)
    if isinstance(approach, JSONResponse):
        return approach
    try:
        report_id, assessment = await run_in_threadpool(service(request).submit_report, actor, approach)
    except PhotoRefused as exc:  # read before anything is assessed or stored (web/photos.py)
        return _refused(exc)
    body = b'{"id": %d, "assessment": %s}' % (report_id, _json(assessment))
    return Response(body, status_code=201, media_type="application/json")


@router.get("/reports")
def list_reports(
    request: Request,
    actor: Annotated[Actor, Depends(api_actor)],
    band: Literal["low", "medium", "high"] | None = None,
    status: Status | None = None,
    reported_from: Annotated[datetime | None, Query(alias="from")] = None,
    reported_to: Annotated[datetime | None, Query(alias="to")] = None,
    campaign_id: QueryId = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> dict[str, list[dict[str, object]]]:
    """Reporters get their own reports; analysts and admins get all. Newest first."""
    f = ReportFilter(band, status, reported_from, reported_to, campaign_id, limit, offset)
    return {"reports": [r.to_api() for r in service(request).list_reports(actor, f)]}


@router.get("/reports/{report_id}")
def get_report(request: Request, report_id: RowId, actor: Annotated[Actor, Depends(api_actor)]) -> dict[str, object]:
    view = service(request).get_report(actor, report_id)
    if view is None:
        raise HTTPException(404, "report_id: no such report")
    return view.to_api()


@router.get("/campaigns")
def campaigns(
    request: Request, actor: Annotated[Actor, Depends(require_api("analyst", "admin"))]
) -> dict[str, list[Any]]:
    return {"campaigns": [c.to_api() for c in service(request).campaigns(actor)]}
