"""Analyst pages: the queue (filters and paging), a case (approach, findings, notes, status, campaign) and the
one-click "list this sender" action. Every change goes through the Service, which audits it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from counterpitch.store.accounts import Actor
from counterpitch.store.reports import MAX_NOTE, ReportFilter
from counterpitch.store.tables import STATUSES
from counterpitch.web.auth import require_page, service, verify_csrf
from counterpitch.web.params import MAX_ID, PageNo, RowId
from counterpitch.web.templating import render
from counterpitch.web.verdict import STATUS_LABELS, verdict_context

router = APIRouter(include_in_schema=False)
Analyst = Annotated[Actor, Depends(require_page("analyst", "admin"))]
BANDS = ("high", "medium", "low")
PAGE = 50


def _day(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name}: {value[:40]!r} is not a date such as 2026-01-31") from None


def queue_filter(band: str, status: str, since: str, until: str, campaign: str, page: int) -> ReportFilter:
    """The queue's query string as a ReportFilter; a bad value is a 422 naming the field, never ignored."""
    if band and band not in BANDS:
        raise HTTPException(422, f"band: must be one of {', '.join(BANDS)}")
    if status and status not in STATUSES:
        raise HTTPException(422, f"status: must be one of {', '.join(STATUSES)}")
    if campaign and not (campaign.isascii() and campaign.isdigit() and 1 <= int(campaign) <= MAX_ID):
        raise HTTPException(422, "campaign: must be a campaign number")
    start, end = _day(since, "from"), _day(until, "to")
    return ReportFilter(
        band=band or None,
        status=status or None,
        reported_from=datetime.combine(start, datetime.min.time(), UTC) if start else None,
        # "to" is inclusive: reports of that whole day
        reported_to=datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC) if end else None,
        campaign_id=int(campaign) if campaign else None,
        limit=PAGE + 1,
        offset=(page - 1) * PAGE,
    )


@router.get("/queue")
def queue(request: Request, actor: Analyst, page: PageNo = 1) -> Response:
    """Filters come as band, status, from, to (dates) and campaign in the query string."""
    page = max(1, min(page, 100_000))
    args = {k: request.query_params.get(k, "")[:40] for k in ("band", "status", "from", "to", "campaign")}
    f = queue_filter(args["band"], args["status"], args["from"], args["to"], args["campaign"], page)
    rows = service(request).list_reports(actor, f)
    context = {
        "rows": rows[:PAGE],
        "more": len(rows) > PAGE,
        "page": page,
        "args": args,
        "bands": BANDS,
        "statuses": STATUSES,
        "status_labels": STATUS_LABELS,
        "query": urlencode({k: v for k, v in args.items() if v}),
    }
    return render(request, "queue.html.j2", context)


@router.get("/cases/{report_id}")
def case(request: Request, report_id: RowId, actor: Analyst, listed: str = "") -> Response:
    view = service(request).get_report(actor, report_id)
    if view is None:
        raise HTTPException(404, "No such report.")
    context = {
        "ctx": verdict_context(view),
        "statuses": STATUSES,
        "status_labels": STATUS_LABELS,
        "max_note": MAX_NOTE,
        "listed": listed[:120],
    }
    return render(request, "case.html.j2", context)


@router.post("/cases/{report_id}/status", dependencies=[Depends(verify_csrf)])
def set_status(
    request: Request, report_id: RowId, actor: Analyst, status: Annotated[str, Form(max_length=40)]
) -> Response:
    if status not in STATUSES:
        raise HTTPException(422, f"status: must be one of {', '.join(STATUSES)}")
    if not service(request).set_status(actor, report_id, status):
        raise HTTPException(404, "No such report.")
    return RedirectResponse(f"/cases/{report_id}", status_code=303)


@router.post("/cases/{report_id}/notes", dependencies=[Depends(verify_csrf)])
def add_note(
    request: Request, report_id: RowId, actor: Analyst, text: Annotated[str, Form(max_length=MAX_NOTE)]
) -> Response:
    try:
        found = service(request).add_note(actor, report_id, text)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    if not found:
        raise HTTPException(404, "No such report.")
    return RedirectResponse(f"/cases/{report_id}#notes", status_code=303)


@router.post("/cases/{report_id}/watchlist", dependencies=[Depends(verify_csrf)])
async def list_sender(request: Request, report_id: RowId, actor: Analyst) -> Response:
    """Add the case's sender to the watchlist (name, firm, profile URL, e-mail, messenger ids; provenance)."""
    try:
        entry_id = await run_in_threadpool(service(request).add_watchlist_from_report, actor, report_id)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    if entry_id is None:
        raise HTTPException(404, "No such report.")
    return RedirectResponse(f"/cases/{report_id}?listed={entry_id}", status_code=303)
